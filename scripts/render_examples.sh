#!/bin/sh
# Render the brief and the workbook of the bundled dataset and of every example to PNG pages,
# to look at them: scripts/render_examples.sh [FOLDER]   (default: output/render)
#
# For each dataset DATASET it writes FOLDER/DATASET/brief-N.png and FOLDER/DATASET/workbook-N.png
# (LibreOffice -> PDF -> pdftoppm at 60 dpi), and refreshes the README's two images:
# docs/images/brief-page.png (page 2 of the bundled brief) and docs/images/workbook-chart.png
# (the first page of the bundled workbook's charts sheet).
# Needs uv, LibreOffice (soffice) and poppler (pdftoppm, pdftotext).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$root/output/render"}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
# A profile of its own, so that a running LibreOffice does not take the conversion.
profile="file://$work/profile"

failed=""
datasets="$root/data/kmo-portefeuille-2019.yaml"
for example in "$root"/data/examples/*.yaml; do
    [ -e "$example" ] && datasets="$datasets $example"
done

for dataset in $datasets; do
    stem=$(basename "$dataset" .yaml)
    echo "$stem"
    built="$work/built/$stem"
    mkdir -p "$built" "$out/$stem"
    if ! (cd "$root" && uv run --quiet kmo-export build "$dataset" -o "$built" -f xlsx \
        -f docx --allow-inconsistent -q -j 1); then
        failed="$failed $stem"
        continue
    fi
    rm -f "$out/$stem"/*.png
    for kind in docx xlsx; do
        soffice "-env:UserInstallation=$profile" --headless --norestore \
            --convert-to pdf --outdir "$built" "$built/$stem.$kind" >/dev/null 2>&1
        name=brief
        [ "$kind" = xlsx ] && name=workbook
        mv "$built/$stem.pdf" "$built/$name.pdf"
        pdftoppm -r 60 -png "$built/$name.pdf" "$out/$stem/$name"
    done
    if [ "$stem" = kmo-portefeuille-2019 ]; then
        mkdir -p "$root/docs/images"
        pdftoppm -r 60 -png -f 2 -l 2 -singlefile "$built/brief.pdf" \
            "$root/docs/images/brief-page"
        # The workbook's first page with a chart: the first page of its charts sheet.
        pages=$(pdfinfo "$built/workbook.pdf" | awk '/^Pages:/ {print $2}')
        # (the sheet's name stands alone on a line of its pages; page 1 is the cover)
        page=2
        while [ "$page" -le "$pages" ]; do
            if pdftotext -f "$page" -l "$page" "$built/workbook.pdf" - | grep -qx "Grafieken"; then
                break
            fi
            page=$((page + 1))
        done
        [ "$page" -le "$pages" ] || page=1
        pdftoppm -r 60 -png -f "$page" -l "$page" -singlefile "$built/workbook.pdf" \
            "$root/docs/images/workbook-chart"
    fi
done
echo "pages in $out"
if [ -n "$failed" ]; then
    echo "not built:$failed" >&2
    exit 1
fi
