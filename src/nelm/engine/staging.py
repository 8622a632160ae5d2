"""TNM stage of a pancreatic primary by ENETS and by AJCC 7th edition (seed 003 Tables 2, 3).

For each system: the T categories still possible (from the primary's size and local
extent), N (regional nodes), M (liver or other distant metastases) and the stages their
combinations reach, with a sentence that explains them and the case fields that would settle
an open T, N or M. Unknown stays unknown: a T is excluded only when the fields exclude it.
Liver metastases are M1, so the stage is IV once the liver disease is stated, whatever T and
N; T and N are still derived, since they bear on resection of the primary.

The two systems define T differently (ENETS T4 takes any large vessel and adjacent organs,
AJCC T4 only the celiac axis or SMA; at exactly 2 cm ENETS says T2, AJCC T1); both are
always given, and :func:`disagreement` says where they part. The sources give no staging
table for a primary outside the pancreas, and none is borrowed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from nelm.case.document import Value
from nelm.case.units import as_entered_text
from nelm.engine.conditions import Condition, Fact, evaluate, fields_of
from nelm.engine.logic import Truth
from nelm.knowledge.staging import (
    BEYOND_FIELD,
    INVASION_FIELDS,
    M_VALUES,
    N_VALUES,
    StagingSystem,
    StagingTables,
)

__all__ = [
    "NO_SYSTEM",
    "Stage",
    "derive_stages",
    "disagreement",
    "normalised",
    "stage_entries",
    "stage_line",
    "stage_of",
    "staging_doc",
    "tnm_text",
]

NO_SYSTEM = "no staging system in the sources for this primary"


@dataclass(frozen=True, slots=True)
class Stage:
    """One system's stage for one case.

    ``applies`` is False for a primary the system does not stage and None when the primary
    site is not given; the sets are then empty.
    """

    system: str
    name: str
    title: str
    applies: bool | None
    t: frozenset[str]
    n: frozenset[str]
    m: frozenset[str]
    stages: frozenset[str]
    t_reason: str  # why T is what it is: "T3 (invading the duodenum or the bile duct)"
    explanation: str
    settle_with: tuple[str, ...]
    sources: tuple[str, ...]
    stage_order: tuple[str, ...]  # the system's stages in its table's order

    @property
    def possible_stages(self) -> tuple[str, ...]:
        return tuple(s for s in self.stage_order if s in self.stages)

    @property
    def value(self) -> str | None:
        """The settled stage, or None while several are possible (or none applies)."""
        return next(iter(self.stages)) if len(self.stages) == 1 else None

    def tnm(self, order: tuple[str, ...]) -> str:
        """``T2 N1 M1``, an open part written with its possibilities (``T1/T2``)."""
        return tnm_text(self.t, self.n, self.m, order)


def tnm_text(
    t: frozenset[str], n: frozenset[str], m: frozenset[str], t_order: tuple[str, ...]
) -> str:
    if not t:
        return ""
    return " ".join(
        "/".join(v for v in order if v in values)
        for values, order in ((t, t_order), (n, N_VALUES), (m, M_VALUES))
    )


def normalised(values: Mapping[str, Value]) -> dict[str, Fact]:
    """The extent fields closed under "an invasion outside the pancreas is an extension
    beyond it": an invasion makes the extension true, no extension makes every invasion
    false (the validator has already rejected the contradiction)."""
    facts: dict[str, Fact] = dict(values)
    if any(facts.get(f) is True for f in INVASION_FIELDS):
        facts[BEYOND_FIELD] = True
    if facts.get(BEYOND_FIELD) is False:
        for f in INVASION_FIELDS:
            facts[f] = False
    return facts


def stage_of(system: StagingSystem, t: str, n: str, m: str) -> str:
    """The stage row a T, N, M combination falls in (003 Table 2 or 3)."""
    for row in system.rows:
        if t in row.t and n in row.n and m in row.m:
            return row.stage
    raise ValueError(f"{system.name}: no stage row for {t} {n} {m}")


def _unknown_fields(facts: Mapping[str, Fact], conditions: Sequence[Condition]) -> list[str]:
    found: list[str] = []
    for condition in conditions:
        for path in fields_of(condition):
            if path not in facts and path not in found:
                found.append(path)
    return found


def _t_of(
    system: StagingSystem,
    facts: Mapping[str, Fact],
    entered: Mapping[str, tuple[float, str]] | None = None,
) -> tuple[frozenset[str], str, str, list[str]]:
    possible: set[str] = set()
    met: list[str] = []
    open_rules: list[Condition] = []
    for rule in system.t_rules:
        truth = evaluate(rule.when, facts)
        if truth is Truth.NOT_MET:
            continue
        possible.add(rule.t)
        if truth is Truth.MET:
            met.append(f"{rule.t}: {rule.text}")
        else:
            open_rules.append(rule.when)
    order = system.t_values
    settle = _unknown_fields(facts, open_rules) if len(possible) > 1 else []
    size = facts.get("primary.size_cm")
    if entered and "primary.size_cm" in entered:  # as entered, the converted size beside it
        shown = f"primary {as_entered_text('primary.size_cm', *entered['primary.size_cm'])}"
    elif isinstance(size, int | float):
        shown = f"primary {size:g} cm"
    else:
        shown = "primary size not given"
    if len(possible) == 1:
        why = next(iter(possible))
        if met:
            why += f" ({'; '.join(m.split(': ', 1)[1] for m in met)})"
    else:
        listed = " or ".join(v for v in order if v in possible)
        why = f"T not settled, {listed}"
        if met:
            why += f" ({'; '.join(met)})"
    return frozenset(possible), why, shown, settle


def _sites_text(tables: StagingTables) -> str:
    return ", ".join(sorted(tables.sites))


def derive_stages(
    values: Mapping[str, Value],
    tables: StagingTables,
    entered: Mapping[str, tuple[float, str]] | None = None,
) -> tuple[Stage, ...]:
    """Each system's stage for one case, in the tables' order; ``entered`` (numbers entered
    in another unit) shows the primary's size as entered."""
    raw_site = values.get("primary.site")
    site = raw_site if isinstance(raw_site, str) else None
    if site is None or site not in tables.sites:
        applies: bool | None = None if site is None else False
        out = []
        for system in tables.systems:
            cite = "; ".join(system.sources)
            if site is None:
                text = (
                    f"Primary site not given: the sources give the {system.name} stage for "
                    f"a primary of the {_sites_text(tables)} only ({cite})"
                )
                settle: tuple[str, ...] = ("primary.site",)
            else:
                # The citations alone in the parentheses, so that a reader sees them
                # by author and year (a site among them would leave them as keys).
                this = {
                    # "an unknown primary", the diagnosis: the pages turn a bare
                    # "unknown" into "not known", which read "a primary of not known site".
                    "unknown_primary": "an unknown primary, its site not found",
                    "other": "a primary of another site",
                }.get(site, f"a primary of the {site.replace('_', ' ')}")
                text = (
                    # The system has tables for other sites too (ENETS for the hindgut,
                    # AJCC 7th for the gut); the sources print the pancreas's alone.
                    f"{NO_SYSTEM[0].upper()}{NO_SYSTEM[1:]}: the sources give the "
                    f"{system.name} stage for a primary of the {_sites_text(tables)} only "
                    f"(its tables for other sites are not in nelm), and this is {this} ({cite})"
                )
                settle = ()
            nothing: frozenset[str] = frozenset()
            out.append(
                Stage(
                    system.id,
                    system.name,
                    system.title,
                    applies,
                    nothing,
                    nothing,
                    nothing,
                    nothing,
                    "",
                    text[0].upper() + text[1:],
                    settle,
                    system.sources,
                    system.stage_values,
                )
            )
        return tuple(out)

    facts = normalised(values)
    n_possible = frozenset(
        v for v, c in tables.n.items() if evaluate(c, facts) is not Truth.NOT_MET
    )
    n_settle = _unknown_fields(facts, list(tables.n.values())) if len(n_possible) > 1 else []
    m1 = evaluate(tables.m1_when, facts)
    m_possible = frozenset({"M1"} if m1 is Truth.MET else {"M0", "M1"})
    m_settle = list(tables.m1_settle_with) if m1 is not Truth.MET else []
    n_text = {
        frozenset({"N1"}): "N1 (regional nodes involved)",
        frozenset({"N0"}): "N0 (regional nodes not involved)",
    }.get(n_possible, "N not settled (regional nodes not stated)")
    m_text = (
        f"M1 ({tables.m1_text})"
        if m1 is Truth.MET
        else "M not settled (no liver metastasis stated)"
    )

    reported = values.get("primary.t_category")
    out = []
    for system in tables.systems:
        t_possible, t_reason, size_text, t_settle = _t_of(system, facts, entered)
        stages = frozenset(
            stage_of(system, t, n, m) for t in t_possible for n in n_possible for m in m_possible
        )
        order = tuple(r.stage for r in system.rows)
        table = next((s for s in system.sources if s.startswith("003")), system.sources[0])
        tnm = tnm_text(t_possible, n_possible, m_possible, system.t_values)
        if len(stages) == 1:
            result = f"stage {next(iter(stages))}"
        else:
            result = "stage " + " or ".join(s for s in order if s in stages) + " (not settled)"
        explanation = (
            f"{system.name}: {tnm} → {result} ({table}). {t_reason}; "
            f"{size_text}; {n_text}; {m_text}"
        )
        if isinstance(reported, str):
            explanation += (
                f"; reported T category {reported} not used (case-v1 does not say "
                "which system gave it)"
            )
        if m1 is Truth.MET and (len(t_possible) > 1 or len(n_possible) > 1):
            explanation += "; with distant metastases the stage is IV whatever T and N"
        settle = tuple(dict.fromkeys([*t_settle, *n_settle, *m_settle]))
        sources = tuple(dict.fromkeys([*system.sources, *tables.n_sources, *tables.m_sources]))
        out.append(
            Stage(
                system.id,
                system.name,
                system.title,
                True,
                t_possible,
                n_possible,
                m_possible,
                stages,
                t_reason,
                explanation,
                settle,
                sources,
                order,
            )
        )
    return tuple(out)


def disagreement(stages: tuple[Stage, ...]) -> str | None:
    """Where the systems give a case different T categories, both named; None if they agree
    (or a T is still open in either, or no system applies)."""
    staged = [s for s in stages if s.applies and len(s.t) == 1]
    if len(staged) < 2 or len({next(iter(s.t)) for s in staged}) == 1:
        return None
    parts = [f"{stage.name} {stage.t_reason}" for stage in staged]
    return (
        "The staging systems define T differently for this primary: "
        + "; ".join(parts)
        + " (003 Tables 2 and 3); both are shown."
    )


def staging_doc(stages: tuple[Stage, ...]) -> dict[str, Any]:
    """The assessment's ``stage_<system>`` entries and ``staging_disagreement``."""
    doc: dict[str, Any] = {}
    for s in stages:
        doc[f"stage_{s.system}"] = {
            "system": s.name,
            "title": s.title,
            "applies": s.applies,
            "stage": s.value,
            "stage_possible": list(s.possible_stages),
            "t": sorted(s.t),
            "n": sorted(s.n),
            "m": sorted(s.m),
            "tnm": tnm_text(s.t, s.n, s.m, tuple(sorted(s.t))),
            "t_reason": s.t_reason,
            "explanation": s.explanation,
            "settle_with": list(s.settle_with),
            "sources": list(s.sources),
        }
    doc["staging_disagreement"] = disagreement(stages)
    return doc


def stage_entries(classification: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """The ``stage_<system>`` entries of an assessment's classification, in its order."""
    return [
        (key, entry)
        for key, entry in classification.items()
        if key.startswith("stage_") and isinstance(entry, Mapping) and "title" in entry
    ]


def stage_line(entry: Mapping[str, Any]) -> str:
    """One system's stage as a report shows it, from its ``stage_<id>`` document entry:
    ``IV (T2 N1 M1)``, ``IIIB or IV, not settled (T4 N0/N1 M0/M1)``, or why there is none."""
    if entry["applies"] is False:
        return NO_SYSTEM
    if entry["applies"] is None:
        return "not known (primary site not given)"
    stage = entry["stage"] or (" or ".join(entry["stage_possible"]) + ", not settled")
    return f"{stage} ({entry['tnm']})"
