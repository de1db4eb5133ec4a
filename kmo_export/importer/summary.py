"""What an import found, for the user to check against the source: as data and as text.

Questions, answers, tables (rows x columns, captions, lines), totals and whether they
reconcile with their rows, every guess with its line number, the lines left out.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def summary(data: dict[str, Any], source: str, target: str) -> dict[str, Any]:
    """The summary of an imported dataset ``data`` (as made by ``parse_text``), JSON-ready."""
    questions = data["questions"]
    answers = data["answers"]
    tables = []
    for a in answers:
        numbers = a["number"] if isinstance(a["number"], list) else [a["number"]]
        blocks = [*a.get("content", []), *(b for p in a.get("parts", []) for b in p["content"])]
        for block in blocks:
            if "table" in block:
                tables.append(_table(block["table"], numbers))
    return {
        "source": source,
        "dataset": target,
        "format": data["format"],
        "number": data["number"],
        "subject": data["subject"],
        "url": data["source"].get("url"),
        "introduction": len(data.get("introduction", [])),
        "questions": [
            {"number": q["number"], "parts": [p["label"] for p in q.get("parts", [])]}
            for q in questions
        ],
        "opening": len(data.get("opening", [])),
        "answers": [
            {
                "numbers": a["number"] if isinstance(a["number"], list) else [a["number"]],
                "paragraphs": sum(1 for b in a.get("content", []) if "text" in b),
                "tables": sum(1 for b in a.get("content", []) if "table" in b),
                "parts": [p["label"] for p in a.get("parts", [])],
            }
            for a in answers
        ],
        "closing": len(data.get("closing", [])),
        "tables": tables,
        "guesses": [{"line": no or None, "what": what} for no, what in data.get("_guesses", [])],
        "left_out": [{"line": no, "text": text} for no, text in data.get("_skipped", [])],
    }


def _table(table: dict[str, Any], answer: list[int]) -> dict[str, Any]:
    measures = table["measures"]
    rows = table["rows"]
    out: dict[str, Any] = {
        "id": table["id"],
        "answer": answer,
        "number": table.get("number"),
        "caption": table.get("caption"),
        "rows": len(rows),
        "columns": 1 + len(measures),
        "dimension": table["dimension"]["kind"],
        "labels": [table["dimension"]["label"], *(m["label"] for m in measures)],
        "kinds": [m["kind"] for m in measures],
        "total": None,
    }
    total = table.get("total")
    if total:
        top = [r for r in rows if not r.get("level")]
        checks = []
        for m in measures:
            if m["key"] not in total["values"]:
                continue
            stated = total["values"][m["key"]]
            checks.append(_reconcile(m, stated, top, total["values"], table["dimension"]))
        out["total"] = {
            "label": total["label"],
            "stated": total.get("stated", "table"),
            "sentence": total.get("sentence"),
            "columns": checks,
            "reconciles": all(c["reconciles"] is not False for c in checks),
        }
    return out


# One column of a total against its rows: the sum (or the ratio of the totals), and whether it
# agrees (None: not checked, as for a percent of its own or a sum over periods).
def _reconcile(
    m: dict[str, Any],
    stated: Decimal,
    rows: list[dict[str, Any]],
    totals: dict[str, Decimal],
    dimension: dict[str, Any],
) -> dict[str, Any]:
    out: dict[str, Any] = {"measure": m["key"], "stated": str(stated), "computed": None}
    if m.get("ratio"):
        a, b = (totals.get(k) for k in m["ratio"])
        if a is not None and b:
            computed = Decimal(100) * a / b
            half = Decimal(5).scaleb(-int(m.get("decimals", 1)) - 1)
            out["computed"] = str(round(computed, int(m.get("decimals", 1)) + 2))
            out["reconciles"] = abs(computed - stated) <= half
        else:
            out["reconciles"] = None
        return out
    if m["kind"] not in ("count", "amount") or m.get("share_of"):
        out["reconciles"] = None
        return out
    values = [r[m["key"]] for r in rows if isinstance(r.get(m["key"]), Decimal)]
    computed = sum(values, Decimal(0))
    out["computed"] = str(computed)
    out["reconciles"] = computed == stated
    if dimension["kind"] == "period":
        out["note"] = "a sum over periods: the dataset does not declare it as a fact"
    return out


def summary_text(s: dict[str, Any]) -> list[str]:
    """The summary as lines for the terminal."""
    out = [f"wrote {s['dataset']} (format {s['format']}) from {s['source']}"]
    out.append(f"  question nr. {s['number']}: {s['subject']}")
    if s.get("url"):
        out.append(f"  source: {s['url']}")
    qs = s["questions"]
    parts = sum(len(q["parts"]) for q in qs)
    out.append(
        f"  questions: {len(qs)} ({', '.join(str(q['number']) for q in qs)})"
        + (f", {parts} sub-questions" if parts else "")
        + (f"; introduction: {s['introduction']} paragraph(s)" if s["introduction"] else "")
    )
    answers = ", ".join("+".join(str(n) for n in a["numbers"]) for a in s["answers"])
    out.append(f"  answers: {len(s['answers'])} ({answers})")
    if s["opening"]:
        out.append(f"  opening: {s['opening']} paragraph(s) before the first answer")
    if s["closing"]:
        out.append(f"  closing: {s['closing']} paragraph(s) after the last answer (annexes)")
    out.append(f"  tables: {len(s['tables'])}")
    for t in s["tables"]:
        name = f"Tabel {t['number']}" if t["number"] else t["id"]
        caption = f" {t['caption']!r}" if t["caption"] else ""
        out.append(
            f"    answer {'+'.join(map(str, t['answer']))}, {name}{caption}: "
            f"{t['rows']} rows x {t['columns']} columns ({t['dimension']}: "
            f"{', '.join(t['labels'])})"
        )
        total = t["total"]
        if total is None:
            out.append("      no total stated")
            continue
        where = "in the text" if total["stated"] == "prose" else "in the table"
        for c in total["columns"]:
            if c["reconciles"] is None:
                verdict = "not checked"
            elif c["reconciles"]:
                verdict = "reconciles"
            else:
                verdict = f"DIFFERS from {c['computed']}"
            out.append(
                f"      total {total['label']!r} ({where}): {c['measure']} {c['stated']} {verdict}"
            )
    if s["guesses"]:
        out.append(f"  guesses to check: {len(s['guesses'])}")
        for g in s["guesses"]:
            out.append(f"    line {g['line']}: {g['what']}" if g["line"] else f"    {g['what']}")
    else:
        out.append("  guesses to check: none")
    if s["left_out"]:
        out.append(f"  left out as page furniture: {len(s['left_out'])} line(s)")
    for line in s.get("warnings", []):
        out.append(f"  warning: {line}")
    return out
