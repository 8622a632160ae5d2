"""Citations as a reader sees them: author, title, journal, year and DOI.

The knowledge base cites ``"<key> <locator>"`` (``"001 Table 2"``, ``"NETTER-1
eligibility"``); :func:`resolve` turns that into a :class:`Reference` and the locator, and
:class:`ReferenceList` numbers the references a page or report cites, in order of first
use, for the list at its end. Keys and codes never reach the reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from nelm.yaml_data import load_yaml

__all__ = ["Reference", "ReferenceList", "cite_plain", "reference", "resolve"]


@dataclass(frozen=True, slots=True)
class Reference:
    key: str
    authors: str
    title: str
    journal: str
    year: int | None
    doi: str | None
    short_name: str | None = None

    @property
    def first_author(self) -> str:
        """The first author's surname (``Machairas``)."""
        return self.authors.split(",", 1)[0].split(";", 1)[0].strip().split(" ", 1)[0]

    @property
    def short(self) -> str:
        """``Machairas 2021`` or ``NETTER-1 trial, Strosberg 2017``."""
        if self.short_name:
            return self.short_name
        base = f"{self.first_author} {self.year}" if self.year else self.first_author
        if self.key[:1].isdigit():
            return base
        if self.key == "case-v1":
            return "nelm definitions"
        if self.key.replace("-", " ") == base:
            # a key that is already author and year (Rindi-2022) read "Rindi-2022, Rindi 2022"
            return base
        return f"{self.key}, {base}"

    @property
    def author_list(self) -> str:
        """The authors without a closing full stop, for a citation to add its own once
        (``Nigri G, …, et al.`` gives ``et al.``, never ``et al..``)."""
        return self.authors.rstrip(".")

    @property
    def citation(self) -> str:
        """Authors, title, journal and year; the DOI is left to the caller to link."""
        year = f" ({self.year})" if self.year else ""
        return f"{self.author_list}. {self.title}. {self.journal}{year}."

    @property
    def full(self) -> str:
        doi = f" doi:{self.doi}" if self.doi else ""
        return f"{self.citation}{doi}"

    @property
    def brief(self) -> str:
        """Short name, journal and DOI, without the title: enough to find the article,
        for a printed page with no room for the full reference."""
        doi = f" doi:{self.doi}" if self.doi else ""
        return f"{self.short}. {self.journal}.{doi}"

    @property
    def doi_urls(self) -> list[str]:
        return [f"https://doi.org/{d.strip()}" for d in (self.doi or "").split(";") if d.strip()]


@cache
def _references() -> dict[str, Reference]:
    text = (resources.files("nelm.knowledge") / "data" / "sources.yaml").read_text("utf-8")
    raw = load_yaml(text)
    found: dict[str, Reference] = {}
    for section in ("seeds", "external"):
        for key, entry in raw[section].items():
            year = entry.get("year")
            found[str(key)] = Reference(
                key=str(key),
                authors=str(entry["authors"]),
                title=str(entry["title"]),
                journal=str(entry["journal"]),
                year=int(year) if year else None,
                doi=str(entry["doi"]) if entry.get("doi") else None,
                short_name=str(entry["short"]) if entry.get("short") else None,
            )
    return found


def reference(key: str) -> Reference | None:
    return _references().get(key)


def resolve(citation: str) -> tuple[Reference | None, str]:
    """``"001 Table 2"`` → (the Machairas 2021 reference, ``"Table 2"``)."""
    key, _, locator = citation.strip().partition(" ")
    found = reference(key)
    if found is None:
        return None, citation
    if key == "case-v1":  # the contract's section names are internal words
        locator = ""
    return found, _field_in_words(locator.strip())


def _field_in_words(locator: str) -> str:
    """A locator that is a case field's path (the surgeons' judgement of the liver or of
    the primary) as the field's label: a reader never sees ``liver.surgical_assessment``."""
    from nelm.case.fields import FIELD_BY_PATH

    spec = FIELD_BY_PATH.get(locator)
    return spec.label if spec is not None else locator


@dataclass
class ReferenceList:
    """The references one page cites, numbered in order of first use."""

    order: list[Reference] = field(default_factory=list)

    def number(self, ref: Reference) -> int:
        if ref not in self.order:
            self.order.append(ref)
        return self.order.index(ref) + 1

    def label(self, citation: str) -> str:
        """``"001 Table 2"`` → ``"Machairas 2021, Table 2"`` and the reference numbered."""
        ref, locator = resolve(citation)
        if ref is None:
            return citation
        self.number(ref)
        return f"{ref.short}, {locator}" if locator else ref.short

    def labels(self, citations: Iterable[str]) -> str:
        return "; ".join(self.label(c) for c in citations)


_PARENS = re.compile(r"\(([^()]+)\)")
# a bare review number, also as the records' notes write it ("seed 004 (ref 52)"): a word
# of its own after a space, "(", ";" or "[" — never the digits of a number (5,000, 1.005)
# nor part of a record's name (Patient/pt-004, Observation/004), which warnings quote
_BARE_REVIEW = re.compile(r"(?<![^\s(;\[])(?:[Ss]eeds? )?(00[0-9])(?![\w/\-]|[.,]\d)")


def cite_plain(text: str, refs: ReferenceList) -> str:
    """Free text with "(001 Table 2; 004 §3.1)" made readable, for plain-text output."""

    def group(match: re.Match[str]) -> str:
        parts = [p.strip() for p in match.group(1).split(";")]
        if any(resolve(p)[0] is None for p in parts):
            return match.group(0)
        return f"({refs.labels(parts)})"

    def bare(match: re.Match[str]) -> str:
        ref = reference(match.group(1))
        if ref is None:
            return match.group(0)
        refs.number(ref)
        return ref.short

    return _BARE_REVIEW.sub(bare, _PARENS.sub(group, text))


def reference_lines(refs: ReferenceList) -> list[str]:
    """A blank line, "References" and one numbered line per reference cited, for
    plain-text output (nothing when none was cited)."""
    if not refs.order:
        return []
    numbered = (f"  {n}. {ref.full}" for n, ref in enumerate(refs.order, start=1))
    return ["", "References", *numbered]
