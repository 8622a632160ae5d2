"""Citations as a reader reads them: "(001 Table 2; 004 §3.1)" and a review named by its
number in running text become the short reference ("Machairas 2021, Table 2"), linked to
the page's numbered reference list (:class:`nelm.knowledge.sources.ReferenceList`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from markupsafe import Markup, escape

from nelm.knowledge.sources import ReferenceList, cite_plain, reference, resolve

__all__ = ["cite_html", "cite_in_text"]


def cite_html(citations: Sequence[str], refs: ReferenceList) -> Markup:
    """Citations as links to the page's numbered reference list (the full reference with
    its DOI, highlighted when it is the link's target). No hover text: repeated on every
    citation it would double the page's size."""
    parts = []
    for citation in citations:
        ref, locator = resolve(citation)
        if ref is None:
            parts.append(escape(citation))
            continue
        number = refs.number(ref)
        text = f"{ref.short}, {locator}" if locator else ref.short
        parts.append(Markup('<a class="cite" href="#ref-{}">{}</a>').format(number, text))
    return Markup("; ").join(parts)


_PARENS = re.compile(r"\(([^()]+)\)")


def cite_in_text(text: str, refs: ReferenceList, *, html: bool = True) -> Markup | str:
    """Replace "(001 Table 2; 004 §3.1)" inside free text by readable citations."""

    def replace(match: re.Match[str]) -> str:
        parts = [p.strip() for p in match.group(1).split(";")]
        if not parts or any(resolve(p)[0] is None for p in parts):
            return str(escape(match.group(0))) if html else match.group(0)
        if html:
            return f"({cite_html(parts, refs)})"
        return f"({refs.labels(parts)})"

    if not html:
        return cite_plain(text, refs)
    out, last = [], 0
    for match in _PARENS.finditer(text):
        out.append(str(escape(text[last : match.start()])))
        out.append(replace(match))
        last = match.end()
    out.append(str(escape(text[last:])))
    return Markup(_BARE_REVIEW.sub(lambda m: _bare(m, refs), "".join(out)))


# a word of its own (nelm.knowledge.sources._BARE_REVIEW), never inside a tag, a number
# such as 5,000 or 1.005, or a record's name (Patient/pt-004); a "seed " before it goes
# with it, as in plain text ("as seed 001, Table 1 gives it" → "as Machairas 2021, …")
_BARE_REVIEW = re.compile(r"(?<![^\s(;\[])(?:[Ss]eeds? )?(00[0-9])(?![\w<>/\-]|[.,]\d)")


def _bare(match: re.Match[str], refs: ReferenceList) -> str:
    """A review cited by its number alone in running text ("as 001 grades")."""
    ref = reference(match.group(1))
    if ref is None:
        return match.group(0)
    return str(Markup('<a class="cite" href="#ref-{}">{}</a>').format(refs.number(ref), ref.short))
