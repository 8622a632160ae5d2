"""The printable report as PDF: the HTML report (``nelm.report.html``) laid out by
WeasyPrint.

WeasyPrint needs Pango from the operating system (Debian: ``libpango-1.0-0``,
``libpangoft2-1.0-0``, ``libharfbuzz-subset0``) and a font (``fonts-dejavu-core``). It is
imported inside :func:`render_pdf`, so the rest of nelm works without it. The report has no
external resources; the URL fetcher refuses every fetch, so rendering never touches the
network or the file system.
"""

from __future__ import annotations

from typing import Any, NoReturn

from nelm.errors import UnavailableError

__all__ = ["PdfUnavailableError", "html_to_pdf", "render_pdf"]

INSTALL_HINT = (
    "install the 'web' extra (WeasyPrint) and the system libraries it uses: "
    "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 "
    "fonts-dejavu-core"
)


class PdfUnavailableError(UnavailableError):
    """WeasyPrint or the system libraries it needs are not installed."""


def _refuse(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError(f"the report may not load external resources ({url[:60]})")


def html_to_pdf(html: str, *more: str) -> bytes:
    """Lay out self-contained HTML documents as one PDF, each document's pages after the
    previous one's (each keeps its own page style and numbering)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango missing
        raise PdfUnavailableError(f"PDF output is not available: {INSTALL_HINT}") from exc
    documents = [
        HTML(string=text, url_fetcher=_refuse, base_url=None).render() for text in (html, *more)
    ]
    pages = [page for document in documents for page in document.pages]
    pdf = documents[0].copy(pages).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf


def render_pdf(doc: Any, **kwargs: Any) -> bytes:
    """The PDF report of the assessment ``doc`` (arguments as ``render_html``)."""
    from nelm.report.html import render_html

    return html_to_pdf(render_html(doc, **kwargs))
