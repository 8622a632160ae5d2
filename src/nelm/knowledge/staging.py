"""The staging tables (``knowledge/data/staging.yaml``) as typed, immutable objects.

Seed 003 gives two TNM staging systems for a pancreatic neuroendocrine primary: ENETS
(003 Table 2) and AJCC 7th edition (003 Table 3). Each system here holds its T categories,
each defined by conditions over case fields, and its stage rows (T, N, M → stage). The
interpreter (``nelm.engine.staging``) and the cohort compiler (``nelm.cohort.staging``)
both read these objects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nelm.knowledge.conditions import Condition

__all__ = [
    "BEYOND_FIELD",
    "INVASION_FIELDS",
    "M_VALUES",
    "N_VALUES",
    "StageRow",
    "StagingSystem",
    "StagingTables",
    "TRule",
    "parse_staging",
]

BEYOND_FIELD = "primary.extends_beyond_pancreas"
INVASION_FIELDS: tuple[str, ...] = (
    "primary.invades_duodenum_or_bile_duct",
    "primary.invades_adjacent_organs",
    "primary.invades_celiac_axis_or_sma",
    "primary.invades_other_large_vessels",
)
"""Invasion of a structure outside the pancreas: each one implies ``BEYOND_FIELD``."""

N_VALUES = ("N0", "N1")
M_VALUES = ("M0", "M1")


@dataclass(frozen=True, slots=True)
class TRule:
    """One way of being in a T category (a category may have several)."""

    t: str
    text: str
    when: Condition
    unplaced: bool = False  # a reading of a case the system's definitions do not place


@dataclass(frozen=True, slots=True)
class StageRow:
    stage: str
    t: frozenset[str]
    n: frozenset[str]
    m: frozenset[str]


@dataclass(frozen=True, slots=True)
class StagingSystem:
    id: str
    name: str
    title: str  # the row title renderers show ("Stage (ENETS)")
    sources: tuple[str, ...]
    t_rules: tuple[TRule, ...]
    rows: tuple[StageRow, ...]

    @property
    def t_values(self) -> tuple[str, ...]:
        """The T categories the case fields can give, in order."""
        return tuple(dict.fromkeys(sorted(r.t for r in self.t_rules)))

    @property
    def stage_values(self) -> tuple[str, ...]:
        return tuple(r.stage for r in self.rows)


@dataclass(frozen=True, slots=True)
class StagingTables:
    sites: frozenset[str]
    n: dict[str, Condition]
    n_sources: tuple[str, ...]
    m1_text: str
    m1_when: Condition
    m1_settle_with: tuple[str, ...]
    m_sources: tuple[str, ...]
    systems: tuple[StagingSystem, ...]


def parse_staging(
    doc: dict[str, Any],
    cite: Callable[[Any, str], tuple[str, ...]],
    condition: Callable[[Any, str], Condition],
) -> StagingTables:
    """Build the tables; ``cite`` and ``condition`` are the loader's checks."""
    n = {name: condition(doc["n"][name], f"staging n {name}") for name in N_VALUES}
    if set(doc["n"]) != set(N_VALUES):
        raise ValueError(f"staging n must define exactly {', '.join(N_VALUES)}")
    systems = []
    for raw in doc["systems"]:
        sid = str(raw["id"])
        rules = tuple(
            TRule(
                t=str(r["t"]),
                text=str(r["text"]),
                when=condition(r["when"], f"staging {sid} {r['t']}"),
                unplaced=bool(r.get("unplaced", False)),
            )
            for r in raw["t"]
        )
        rows = tuple(
            StageRow(
                stage=str(r["stage"]),
                t=frozenset(map(str, r["t"])),
                n=frozenset(map(str, r["n"])),
                m=frozenset(map(str, r["m"])),
            )
            for r in raw["stages"]
        )
        system = StagingSystem(
            sid,
            str(raw["name"]),
            str(raw["title"]),
            cite(raw["sources"], f"staging {sid}"),
            rules,
            rows,
        )
        _check_rows(system)
        systems.append(system)
    m1 = doc["m1"]
    return StagingTables(
        sites=frozenset(doc["sites"]),
        n=n,
        n_sources=cite(doc["n_sources"], "staging n"),
        m1_text=str(m1["text"]),
        m1_when=condition(m1["when"], "staging m1"),
        m1_settle_with=tuple(m1["settle_with"]),
        m_sources=cite(doc["m_sources"], "staging m"),
        systems=tuple(systems),
    )


def _check_rows(system: StagingSystem) -> None:
    """Every T, N, M combination the fields can give falls in exactly one row."""
    for t in system.t_values:
        for n in N_VALUES:
            for m in M_VALUES:
                hits = [r.stage for r in system.rows if t in r.t and n in r.n and m in r.m]
                if len(hits) != 1:
                    raise ValueError(f"staging {system.id}: {t} {n} {m} falls in rows {hits}")
