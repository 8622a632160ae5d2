"""Derived facts: WHO grade, liver-metastasis type, portal drainage, burden band.

Each derivation returns its value (or the set of values still possible), a sentence that
explains it with its source, and the case fields that would settle it when it is not
settled. The thresholds come from ``knowledge/data/derivations.yaml``; the cohort compiler
implements the same rules over columns and is tested against these functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nelm.case.document import Case, Value
from nelm.engine.conditions import Fact
from nelm.engine.staging import Stage, derive_stages
from nelm.knowledge.model import Derivations, GradeTable

__all__ = ["Derived", "DerivedFacts", "derive", "grade_of_ki67", "grade_of_mitoses"]

GRADES = ("G1", "G2", "G3")


@dataclass(frozen=True, slots=True)
class Derived:
    """One derived fact: its possible values (a singleton when settled)."""

    possible: frozenset[str] | None  # None: boolean facts use `flag` instead
    flag: bool | None
    explanation: str
    settle_with: tuple[str, ...]  # case fields that would settle it
    sources: tuple[str, ...]

    @property
    def value(self) -> str | bool | None:
        """The settled value, or None while more than one value is possible."""
        if self.possible is None:
            return self.flag
        return next(iter(self.possible)) if len(self.possible) == 1 else None


@dataclass(frozen=True, slots=True)
class DerivedFacts:
    grade: Derived
    liver_type: Derived
    portal_drainage: Derived
    burden_band: str | None
    burden_band_sources: tuple[str, ...]
    stages: tuple[Stage, ...]  # ENETS and AJCC 7th (nelm.engine.staging)

    def as_facts(self) -> dict[str, Fact]:
        """The facts conditions read under ``derived.*``; unknown ones are left out."""
        facts: dict[str, Fact] = {}
        for name, derived in (("grade", self.grade), ("liver_type", self.liver_type)):
            if derived.possible is not None:
                facts[f"derived.{name}"] = derived.possible
        if self.portal_drainage.flag is not None:
            facts["derived.portal_drainage"] = self.portal_drainage.flag
        return facts


def _fmt(x: float | int) -> str:
    return f"{x:g}"


def grade_of_ki67(ki67: float, table: GradeTable) -> str:
    if ki67 < table.ki67_g1_below:
        return "G1"
    return "G2" if ki67 <= table.ki67_g2_max else "G3"


def grade_of_mitoses(mitoses: float, table: GradeTable) -> str:
    if mitoses < table.mitoses_g1_below:
        return "G1"
    return "G2" if mitoses <= table.mitoses_g2_max else "G3"


def _ki67_band(grade: str, t: GradeTable) -> str:
    return {"G1": f"< {_fmt(t.ki67_g1_below)}%",
            "G2": f"{_fmt(t.ki67_g1_below)}–{_fmt(t.ki67_g2_max)}%",
            "G3": f"> {_fmt(t.ki67_g2_max)}%"}[grade]


def _mitoses_band(grade: str, t: GradeTable) -> str:
    return {"G1": f"< {_fmt(t.mitoses_g1_below)}",
            "G2": f"{_fmt(t.mitoses_g1_below)}–{_fmt(t.mitoses_g2_max)}",
            "G3": f"> {_fmt(t.mitoses_g2_max)}"}[grade]


def derive_grade(values: Mapping[str, Value], t: GradeTable) -> Derived:
    """WHO grade: the higher of the Ki-67 and mitotic grades; poorly differentiated is NEC.

    With one index known the grade is at least what that index gives: the other could raise
    it, so a lower grade is not concluded from a missing count (001's Ki-67-only reading is
    shown in the explanation). Poorly differentiated is NEC whatever the index, so an unknown
    differentiation always leaves NEC possible.
    """
    ki67 = values.get("pathology.ki67_percent")
    mitoses = values.get("pathology.mitoses_per_2mm2")
    differentiation = values.get("pathology.differentiation")
    cite = "; ".join(t.sources)
    if differentiation == "poor":
        return Derived(frozenset({"NEC"}), None,
                       "Poorly differentiated → neuroendocrine carcinoma (NEC), whatever the "
                       f"proliferation index ({'; '.join(t.nec_sources)})", (), t.nec_sources)
    parts: list[str] = []
    settle: list[str] = []
    if isinstance(ki67, int | float) and not isinstance(ki67, bool):
        gk: str | None = grade_of_ki67(ki67, t)
        parts.append(f"Ki-67 {_fmt(ki67)}% ({_ki67_band(gk, t)})")  # type: ignore[arg-type]
    else:
        gk = None
    if isinstance(mitoses, int | float) and not isinstance(mitoses, bool):
        gm: str | None = grade_of_mitoses(mitoses, t)
        parts.append(f"{_fmt(mitoses)} mitoses/2 mm² ({_mitoses_band(gm, t)})")  # type: ignore[arg-type]
    else:
        gm = None

    sources = t.sources
    if gk and gm:
        best = max(gk, gm, key=GRADES.index)
        possible = set(best.split())
        how = " and ".join(parts) + f" → {best}"
        if gk != gm:
            how += " (the higher index decides)"
    elif gk or gm:
        # One index gives a lower bound only: the other could be higher, and the higher
        # decides (000 §1). 001 grades on Ki-67 alone; that reading is shown, not used.
        known = gk or gm
        assert known is not None
        possible = set(GRADES[GRADES.index(known):])
        other = "mitotic count" if gk else "Ki-67"
        how = f"{parts[0]}: at least {known}"
        if known != "G3":
            how += f"; {other} not given and could raise the grade"
            settle.append("pathology.mitoses_per_2mm2" if gk else "pathology.ki67_percent")
            if gk:
                how += (f" (on Ki-67 alone, as 001 grades, it would be {gk}: "
                        f"{'; '.join(t.ki67_alone_sources)})")
                sources = (*t.sources, *t.ki67_alone_sources)
    else:
        possible = set(GRADES)
        how = "Ki-67 and mitotic count not given"
        settle += ["pathology.ki67_percent", "pathology.mitoses_per_2mm2"]

    if differentiation is None:
        # Poorly differentiated is NEC whatever the index, so only a stated differentiation
        # rules NEC out.
        possible.add("NEC")
        how += "; differentiation not given, so NEC is not excluded"
        settle.append("pathology.differentiation")
    if len(possible) > 1:
        how = f"Grade not settled: {how}"
    return Derived(frozenset(possible), None, f"{how} ({cite})", tuple(settle), sources)


def derive_liver_type(values: Mapping[str, Value], d: Derivations) -> Derived:
    count = values.get("liver.lesion_count")
    distribution = values.get("liver.distribution")
    cite = "; ".join(d.liver_type_sources)
    if count == 1:
        return Derived(frozenset({"I"}), None, f"Single liver lesion → type I (simple) ({cite})",
                       (), d.liver_type_sources)
    if isinstance(distribution, str):
        kind = d.liver_type_by_distribution[distribution]
        name = {"I": "simple", "II": "complex", "III": "diffuse"}[kind]
        return Derived(frozenset({kind}), None,
                       f"Distribution {distribution.replace('_', ' ')} → type {kind} ({name}) "
                       f"({cite})", (), d.liver_type_sources)
    settle = ("liver.distribution",) if count is not None else ("liver.distribution",
                                                                 "liver.lesion_count")
    return Derived(frozenset({"I", "II", "III"}), None,
                   f"Liver-metastasis type not settled: distribution not given ({cite})",
                   settle, d.liver_type_sources)


def derive_portal_drainage(values: Mapping[str, Value], d: Derivations) -> Derived:
    site = values.get("primary.site")
    cite = "; ".join(d.portal_sources)
    if not isinstance(site, str):
        return Derived(None, None, f"Primary site not given: portal drainage unknown ({cite})",
                       ("primary.site",), d.portal_sources)
    portal = site in d.portal_sites
    verb = "drains to the portal system" if portal else \
        "does not drain, or is not known to drain, to the portal system"
    return Derived(None, portal, f"Primary site {site.replace('_', ' ')} {verb} ({cite})", (),
                   d.portal_sources)


def derive_burden_band(values: Mapping[str, Value], d: Derivations
                       ) -> tuple[str | None, tuple[str, ...]]:
    burden = values.get("liver.tumor_burden_percent")
    if not isinstance(burden, int | float) or isinstance(burden, bool):
        return None, ()
    for band in d.burden_bands:
        if burden < band.upper or (band.upper_inclusive and burden == band.upper):
            return band.label, band.sources
    return None, ()  # pragma: no cover - the last band ends at 100 %


def derive(case: Case, d: Derivations) -> DerivedFacts:
    values = case.values
    band, band_sources = derive_burden_band(values, d)
    return DerivedFacts(
        grade=derive_grade(values, d.grade),
        liver_type=derive_liver_type(values, d),
        portal_drainage=derive_portal_drainage(values, d),
        burden_band=band,
        burden_band_sources=band_sources,
        stages=derive_stages(values, d.staging),
    )
