"""Findings from resources, and how several findings for one field become one value.

Rules (documented in docs/fhir-mapping.md, tested in tests/interop/test_fhir_conflicts.py):

* Equal values (numbers within 0.5 %, e.g. the same bilirubin sent in mg/dL and in
  µmol/L) are one value; every resource that gave it is named in the provenance.
* Different values, each with a time (``effective[x]``, ``onset[x]``…), where one result
  lies after all the differing ones: that latest result is used, and a note names the
  resources that were set aside. Partial dates count as their whole span.
* Different values otherwise (no time on one of them, or the same time): the field stays
  unknown and a data-quality issue names both resources and both values ("conflicting
  values"); the rest of the record is assessed.
* List fields (``extrahepatic.sites``, ``course.prior_treatments``) are the union.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from nelm.case.fields import FIELD_BY_PATH, Kind
from nelm.interop.fhir.dates import When

__all__ = [
    "Finding",
    "Issue",
    "LesionSize",
    "LobeSite",
    "NoteGroup",
    "Notes",
    "Resolved",
    "Source",
    "resolve",
]

Scalar = float | int | bool | str


@dataclass(frozen=True, slots=True)
class Source:
    """Where a finding came from: resource reference, JSON path and the code read."""

    ref: str  # "Observation/abc" (or "Observation in Bundle.entry[3]" without an id)
    path: str  # "Bundle.entry[3].resource"
    code: str = ""  # "LOINC 29593-1"

    def describe(self) -> str:
        return f"{self.ref} ({self.code})" if self.code else self.ref


@dataclass(frozen=True, slots=True)
class Finding:
    """One value for one case field, from one resource."""

    field: str
    value: Scalar
    source: Source
    when: When | None = None
    companions: tuple[tuple[str, Scalar], ...] = ()  # fields that go with this value


@dataclass(frozen=True, slots=True)
class Issue:
    """A data-quality problem in one element: that element (and ``field``, when given) is
    not used; the rest of the record is. Names resource references and paths only, plus
    the coded values at fault (units, codes, results)."""

    path: str  # "Bundle.entry[3].resource.valueQuantity.code"
    message: str  # "Observation/abc: unit "mg/dl/h" cannot be converted for …"
    field: str = ""  # the case field left unknown because of it
    # A note on what was read (an AI-asserted label, a server's report on its search): in
    # the data-quality list, but not an element "left unknown" in the warnings' count.
    notice: bool = False

    def describe(self) -> str:
        where = f" ({self.path})" if self.path else ""
        unknown = f"; {self.field} is left unknown" if self.field else ""
        return f"{self.message}{where}{unknown}"


@dataclass
class Resolved:
    """The outcome of resolving every finding."""

    values: dict[str, Scalar | tuple[str, ...]] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)
    chosen: dict[str, list[Finding]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NoteGroup:
    """One reason and the resources it applies to: how many, and the first of them."""

    reason: str
    count: int
    references: tuple[str, ...]


class Notes:
    """Notes grouped by reason; each lists resource references only (no patient data)."""

    def __init__(self) -> None:
        # reason → refs in order (a dict: a large record adds thousands to one reason)
        self._by_reason: dict[str, dict[str, None]] = defaultdict(dict)

    def add(self, reason: str, ref: str = "") -> None:
        refs = self._by_reason[reason]
        if ref:
            refs.setdefault(ref, None)

    def groups(self, limit: int = 20) -> tuple[NoteGroup, ...]:
        """Each reason with its count and at most ``limit`` references, in order."""
        return tuple(
            NoteGroup(reason, len(by_ref), tuple(list(by_ref)[:limit]))
            for reason, by_ref in self._by_reason.items()
        )

    def lines(self, limit: int = 20) -> tuple[str, ...]:
        """``reason: ref, ref and N more`` for each reason."""
        out = []
        for group in self.groups(limit):
            left = group.count - len(group.references)
            more = f" and {left} more" if left > 0 else ""
            refs = ", ".join(group.references)
            out.append(f"{group.reason}: {refs}{more}" if group.count else group.reason)
        return tuple(out)


def _same(a: Scalar, b: Scalar) -> bool:
    if isinstance(a, bool) or isinstance(b, bool) or isinstance(a, str) or isinstance(b, str):
        return a == b
    if a == b:
        return True
    return abs(a - b) <= 0.005 * max(abs(a), abs(b))


def _provenance(findings: list[Finding]) -> str:
    return "; ".join(dict.fromkeys(f.source.describe() for f in findings))


def resolve(findings: list[Finding], notes: Notes) -> tuple[Resolved, list[Issue]]:
    """Turn all findings into one value per field; a conflict leaves its field unknown."""
    by_field: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_field[finding.field].append(finding)
    resolved = Resolved()
    problems: list[Issue] = []
    for path, group in by_field.items():
        if FIELD_BY_PATH[path].kind is Kind.CHOICES:
            choices = FIELD_BY_PATH[path].choices
            present = {str(f.value) for f in group}
            resolved.values[path] = tuple(c for c in choices if c in present)
            resolved.provenance[path] = _provenance(group)
            resolved.chosen[path] = group
            continue
        chosen, problem = _pick(path, group, notes)
        if problem is not None:
            problems.append(problem)
            continue
        resolved.values[path] = chosen[0].value
        resolved.provenance[path] = _provenance(chosen)
        resolved.chosen[path] = chosen
    # Companion fields (e.g. pathology.ki67_source) follow the finding that was chosen.
    for path, chosen in list(resolved.chosen.items()):
        if FIELD_BY_PATH[path].kind is Kind.CHOICES:
            continue
        companions: dict[str, set[Scalar]] = defaultdict(set)
        for finding in chosen:
            for name, value in finding.companions:
                companions[name].add(value)
        for name, values in companions.items():
            if len(values) == 1 and name not in resolved.values:
                resolved.values[name] = next(iter(values))
                resolved.provenance[name] = _provenance(
                    [f for f in chosen if any(n == name for n, _ in f.companions)]
                )
    return resolved, problems


def _pick(path: str, group: list[Finding], notes: Notes) -> tuple[list[Finding], Issue | None]:
    first = group[0]
    if all(_same(f.value, first.value) for f in group):
        return group, None
    timed = [(f.when, f) for f in group if f.when is not None]
    if len(timed) == len(group):
        latest_when, latest = max(timed, key=lambda pair: pair[0].start)
        others = [(w, f) for w, f in timed if not _same(f.value, latest.value)]
        if all(latest_when.after(w) for w, _ in others):
            kept = [
                f for w, f in timed if _same(f.value, latest.value) and not latest_when.after(w)
            ]
            used = ", ".join(dict.fromkeys(f.source.ref for f in kept))
            set_aside = ", ".join(dict.fromkeys(f.source.ref for _, f in others))
            notes.add(
                f"{path}: results differ over time; the latest is used ({used}) "
                f"and earlier ones are set aside ({set_aside})"
            )
            return kept, None
    a = first
    b = next(f for f in group if not _same(f.value, first.value))
    return [], Issue(
        b.source.path,
        f"conflicting values for {path}: {a.source.describe()} says {_show(a.value)} and "
        f"{b.source.describe()} says {_show(b.value)}, and neither is later than the other "
        "(correct or remove one of them)",
        path,
    )


def _show(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@dataclass(frozen=True, slots=True)
class LesionSize:
    """One liver lesion's longest dimension, in cm."""

    source: Source
    when: When | None
    cm: float


@dataclass(frozen=True, slots=True)
class LobeSite:
    """A liver lesion on one side of the liver (for ``liver.bilobar``)."""

    side: str  # "right" or "left"
    source: Source
    when: When | None
    study: bool  # an imaging observation (dated by its study), else a current Condition
