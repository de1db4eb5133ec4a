"""Text of a PDF (pypdf), pages separated by form feeds, for the same parser as a text file."""

from __future__ import annotations

from pathlib import Path

from ..errors import ImportTextError


def pdf_text(path: Path) -> str:
    """The text of every page of the PDF at ``path``, joined with form feeds."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:
                raise ImportTextError(
                    f"{path}: the PDF is encrypted; save an unprotected copy"
                ) from None
        pages = [_page_text(page) for page in reader.pages]
    except ImportTextError:
        raise
    except LimitReachedError:  # a decompression bomb: pypdf stops unpacking at its limit
        raise ImportTextError(
            f"{path}: not a readable PDF (a stream unpacks to more than pypdf's limit)"
        ) from None
    except (PdfReadError, OSError, ValueError, KeyError, TypeError) as exc:
        raise ImportTextError(f"{path}: not a readable PDF ({exc})") from None
    text = "\f".join(page.replace("\r\n", "\n").replace("\r", "\n") for page in pages)
    if not text.replace("\f", "").strip():
        raise ImportTextError(
            f"{path}: the PDF holds no text (a scanned image?); import its text instead"
        )
    return text


# The layout mode keeps blank lines between paragraphs; the plain mode is the fallback.
def _page_text(page) -> str:  # type: ignore[no-untyped-def]
    from pypdf.errors import LimitReachedError

    try:
        return page.extract_text(extraction_mode="layout") or ""
    except LimitReachedError:
        raise
    except Exception:
        return page.extract_text() or ""
