"""Derived facts: WHO grade, liver-metastasis type, portal drainage, burden band.

Each derivation returns its value (or the set of values still possible), a sentence that
explains it with its source, and the case fields that would settle it when it is not
settled. The thresholds come from ``knowledge/data/derivations.yaml``; the cohort compiler
implements the same rules over columns and is tested against these functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from nelm.case.document import Case, Value
from nelm.engine.conditions import Fact, Interval
from nelm.engine.grade_fields import GradeInputs
from nelm.engine.intervals import interval_of, interval_text
from nelm.engine.kidney import egfr_from_creatinine, estimate_set_aside
from nelm.engine.sstr import SetAside, krenning_disagrees_with_uptake, set_aside
from nelm.engine.staging import Stage, derive_stages
from nelm.knowledge.model import Derivations, GradeTable

__all__ = [
    "NOT_KNOWN_TO_DRAIN",
    "PRIMARY_REMOVED_BY",
    "SINCE_RESECTION",
    "Derived",
    "DerivedFacts",
    "counted_lines",
    "derive",
    "differentiation_of",
    "grade_of_ki67",
    "grade_of_mitoses",
    "implied_facts",
    "ki67_from_reported_grade",
    "lines_from_treatments",
    "listed",
]

GRADES = ("G1", "G2", "G3")


@dataclass(frozen=True, slots=True)
class Derived:
    """One derived fact: its possible values (a singleton when settled)."""

    possible: frozenset[str] | None  # None: boolean facts use `flag` instead
    flag: bool | None
    explanation: str
    settle_with: tuple[str, ...]  # case fields that would settle it
    sources: tuple[str, ...]
    conflict: str | None = None  # the case's statements behind it contradict each other
    reason: str | None = None  # why, in a few words a criterion's value carries beside it
    grade_inputs: GradeInputs | None = None
    """The grade's index bands and differentiation, when no reported grade narrowed it: what
    ``nelm.engine.grade_fields`` reads to ask a criterion only for the fields it needs."""

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
    ki67_from_grade: Interval | None = None
    """The Ki-67 range a reported G1 or G2 implies when the index is not given."""
    lines_from_treatments: Interval | None = None
    """The least number of prior systemic lines the prior treatments show, when the count
    is not given."""
    egfr_from_creatinine: Interval | None = None
    """The eGFR the criteria read when it is not given exactly: its bounds with the least
    the creatinine gives by CKD-EPI 2021 (``nelm.engine.kidney``)."""
    egfr_set_aside: Interval | None = None
    """The creatinine's estimate where the eGFR given is read without it: shown as
    overridden where it alone would decide a criterion otherwise."""
    implied: tuple[tuple[str, bool | int | str, str], ...] = ()
    """Fields the case implies without stating them: (path, value, why)."""
    given_by_fields: tuple[tuple[str, str], ...] = ()
    """Options another field shows were given (``ssa`` by progression on it), each with
    that field's path (``Derivations.given_before_shown_by``)."""
    given_as: tuple[tuple[str, str], ...] = ()
    """Options given under another name of the same treatment (a transplant listed under
    another criteria set), each with the words for it (``Derivations.given_before_same``)."""
    set_aside: SetAside = ()
    """Fields the criteria read as unknown because another field contradicts them, each
    with its value and the statement it contradicts (SSTR imaging:
    ``nelm.engine.sstr.set_aside``)."""

    def as_facts(self) -> dict[str, Fact]:
        """The facts conditions read under ``derived.*``, and what the case implies without
        stating it (a Ki-67 range, prior lines, yes/no fields); unknown ones are left out."""
        facts: dict[str, Fact] = {path: value for path, value, _ in self.implied}
        if self.ki67_from_grade is not None:
            facts["pathology.ki67_percent"] = self.ki67_from_grade
        if self.lines_from_treatments is not None:
            facts["course.prior_systemic_lines"] = self.lines_from_treatments
        if self.egfr_from_creatinine is not None:
            facts["labs.egfr_ml_min"] = self.egfr_from_creatinine
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
    return {
        "G1": f"< {_fmt(t.ki67_g1_below)}%",
        "G2": f"{_fmt(t.ki67_g1_below)}–{_fmt(t.ki67_g2_max)}%",
        "G3": f"> {_fmt(t.ki67_g2_max)}%",
    }[grade]


def _mitoses_band(grade: str, t: GradeTable) -> str:
    return {
        "G1": f"< {_fmt(t.mitoses_g1_below)}",
        "G2": f"{_fmt(t.mitoses_g1_below)}–{_fmt(t.mitoses_g2_max)}",
        "G3": f"> {_fmt(t.mitoses_g2_max)}",
    }[grade]


def _index_range(
    values: Mapping[str, Value],
    path: str,
    below: float,
    g2_max: float,
    grade: Callable[[float, GradeTable], str],
    t: GradeTable,
) -> tuple[int, int, str] | None:
    """The grades one index allows, as (lowest, highest) positions in GRADES, and how it
    reads; None when the index is given neither exactly nor by bounds."""
    exact = values.get(path)
    if isinstance(exact, int | float) and not isinstance(exact, bool):
        g = GRADES.index(grade(exact, t))
        return g, g, _fmt(exact)
    interval = interval_of(values, path)
    if interval is None:
        return None
    lo = GRADES.index(grade(interval.lo, t)) if interval.lo is not None else 0
    hi = GRADES.index(grade(interval.hi, t)) if interval.hi is not None else len(GRADES) - 1
    return lo, hi, interval_text(interval)


def _ki67_alone_reading(values: Mapping[str, Value], shown: str, t: GradeTable) -> str:
    """001's grade on Ki-67 alone (G1 ≤ 2 %, G2 3–20 %), shown beside the lower bound the
    index gives; a Ki-67 between its bands (above 2 and below 3 %) it does not grade."""
    exact = values.get("pathology.ki67_percent")
    if isinstance(exact, int | float) and not isinstance(exact, bool):
        lo: float | None = float(exact)
        hi: float | None = float(exact)
    else:
        interval = interval_of(values, "pathology.ki67_percent")
        lo, hi = (interval.lo, interval.hi) if interval is not None else (None, None)
    cite = "; ".join(t.ki67_alone_sources)
    if hi is not None and hi <= t.ki67_alone_g1_max:
        return f" (on Ki-67 alone, as 001 grades, it would be G1: {cite})"
    if lo is not None and hi is not None and t.ki67_alone_g2_min <= lo and hi <= t.ki67_g2_max:
        return f" (on Ki-67 alone, as 001 grades, it would be G2: {cite})"
    return (
        f" (001 grades on Ki-67 alone, G1 ≤ {_fmt(t.ki67_alone_g1_max)}% and G2 "
        f"{_fmt(t.ki67_alone_g2_min)}–{_fmt(t.ki67_g2_max)}%, which leaves {shown}% "
        f"ungraded: {cite})"
    )


def _grades(lo: int, hi: int) -> str:
    return " or ".join(GRADES[lo : hi + 1])


def differentiation_of(values: Mapping[str, Value]) -> Value | None:
    """The differentiation the grade reads: as stated, else poorly differentiated when an
    NEC subtype is given. Small-cell and large-cell are the two kinds of neuroendocrine
    carcinoma, which is poorly differentiated (000 §1: "Neuroendocrine carcinomas (NEC)
    are poorly differentiated neoplasms of high grade and are categorized as small cell or
    large cell NEC"; 004 §1), so the subtype settles it when the report leaves it out."""
    stated = values.get("pathology.differentiation")
    if stated is None and values.get("pathology.nec_subtype") in ("small_cell", "large_cell"):
        return "poor"
    return stated


def reported_grades(reported: str, differentiation: Value | None) -> frozenset[str]:
    """The grades a reported grade allows. G1/G2 are NETs; a bare "G3" was NEC before WHO
    2017 and a NET since, so only a stated differentiation settles it; typical and atypical
    carcinoid are G1 and G2 by their mitotic ranges."""
    if reported == "G3":
        if differentiation == "well":
            return frozenset({"G3"})
        return frozenset({"NEC"}) if differentiation == "poor" else frozenset({"G3", "NEC"})
    return frozenset(
        {{"typical_carcinoid": "G1", "atypical_carcinoid": "G2"}.get(reported, reported)}
    )


def derive_grade(values: Mapping[str, Value], t: GradeTable) -> Derived:
    """WHO grade: the higher of the Ki-67 and mitotic grades; poorly differentiated is NEC.

    With one index known the grade is at least what that index gives: the other could raise
    it, so a lower grade is not concluded from a missing count (001's Ki-67-only reading is
    shown in the explanation). An index given only as a range allows every grade the range
    spans. Poorly differentiated is NEC whatever the index, so an unknown differentiation
    leaves NEC possible, unless the indices rule out a high grade: NEC is high grade (000
    §1), and "poorly differentiated" beside indices that rule it out is a conflict. A grade
    the report states narrows what the indices leave open; when it contradicts them both
    stay possible and the conflict is reported.
    """
    by_ki67 = _index_range(
        values, "pathology.ki67_percent", t.ki67_g1_below, t.ki67_g2_max, grade_of_ki67, t
    )
    carcinoid = values.get("pathology.reported_grade") in CARCINOIDS and (
        values.get("primary.site") in THORACIC_READING_SITES
    )
    if carcinoid:
        # Read by the thoracic classification (derivations.yaml): the mitoses against a
        # carcinoid's ranges, the Ki-67 only against the G3 cut-off.
        t = replace(t, mitoses_g2_max=t.carcinoid_mitoses_g2_max)
        by_ki67 = _carcinoid_ki67(by_ki67)
    by_mitoses = _index_range(
        values,
        "pathology.mitoses_per_2mm2",
        t.mitoses_g1_below,
        t.mitoses_g2_max,
        grade_of_mitoses,
        t,
    )
    derived = _derive_grade(values, t, by_ki67, by_mitoses, carcinoid=carcinoid)
    if values.get("pathology.reported_grade") is not None or derived.possible is None:
        return derived
    ki67, mitoses = (
        (b[0], b[1]) if b is not None else (0, len(GRADES) - 1) for b in (by_ki67, by_mitoses)
    )
    inputs = GradeInputs(ki67, mitoses, _as_differentiation(differentiation_of(values)))
    return replace(derived, grade_inputs=inputs)


def _as_differentiation(value: Value | None) -> str | None:
    return value if isinstance(value, str) else None


CARCINOIDS = ("typical_carcinoid", "atypical_carcinoid")
"""The reported grades of the thoracic classification (WHO 2021: lung and thymus)."""
THORACIC_READING_SITES = ("lung", "thymus", "unknown_primary", None)
"""The sites whose reported carcinoid is read by the thoracic ranges: the chest, or a site
not known. A digestive (or other) primary reported as a carcinoid is graded by its own
cut-offs (000 §1), and the assessment says so (``assess._carcinoid_outside_the_chest``)."""


def _carcinoid_ki67(band: tuple[int, int, str] | None) -> tuple[int, int, str] | None:
    """A Ki-67's grades beside a reported carcinoid: WHO 2021 thoracic tells a typical from
    an atypical carcinoid by mitoses and necrosis, not by Ki-67, so an index up to the G3
    cut-off allows G1 and G2 alike; above it, G3 stays possible as for any NET."""
    if band is None:
        return None
    lo, hi, shown = band
    g2 = GRADES.index("G2")
    return (0 if lo <= g2 else lo), (g2 if hi < g2 else hi), shown


def _derive_grade(
    values: Mapping[str, Value],
    t: GradeTable,
    by_ki67: tuple[int, int, str] | None,
    by_mitoses: tuple[int, int, str] | None,
    *,
    carcinoid: bool = False,
) -> Derived:
    """``derive_grade`` before its inputs are attached; ``by_ki67`` and ``by_mitoses`` are
    the indices' grade bands (``_index_range``); ``carcinoid``: read for a reported typical
    or atypical carcinoid (``t`` then holds the carcinoid's mitotic ranges)."""
    differentiation = differentiation_of(values)
    subtype = values.get("pathology.nec_subtype")
    # a carcinoid's mitotic ranges are the thoracic classification's
    sources = tuple(dict.fromkeys((*t.carcinoid_sources, *t.sources))) if carcinoid else t.sources
    cite = "; ".join(sources)
    parts: list[str] = []
    settle: list[str] = []
    if by_ki67 is not None:
        lo, hi, shown = by_ki67
        band = _ki67_band(GRADES[lo], t) if lo == hi else _grades(lo, hi)
        if band == f"{shown}%":  # "> 20" as the report gives it is the G3 band itself
            band = f"the {GRADES[lo]} band"
        if carcinoid and hi <= GRADES.index("G2"):
            band = f"≤ {_fmt(t.ki67_g2_max)}%: a carcinoid's grade is not read from its Ki-67"
        parts.append(f"Ki-67 {shown}% ({band})")
    if by_mitoses is not None:
        lo, hi, shown = by_mitoses
        band = _mitoses_band(GRADES[lo], t) if lo == hi else _grades(lo, hi)
        if band == shown:
            band = f"the {GRADES[lo]} band"
        # "1 mitosis", not "1 mitoses", as a pathology report writes it.
        noun = "mitosis" if shown == "1" else "mitoses"
        parts.append(f"{shown} {noun}/2 mm² ({band})")

    if by_ki67 is not None and by_mitoses is not None:
        lo = max(by_ki67[0], by_mitoses[0])
        hi = max(by_ki67[1], by_mitoses[1])
        possible = set(GRADES[lo : hi + 1])
        how = " and ".join(parts) + f" → {_grades(lo, hi)}"
        if by_ki67[:2] != by_mitoses[:2] and lo == hi:
            how += " (the higher index decides)"
        if lo != hi:
            settle += [
                p
                for p, r in (
                    ("pathology.ki67_percent", by_ki67),
                    ("pathology.mitoses_per_2mm2", by_mitoses),
                )
                if r[0] != r[1]
            ]
    elif by_ki67 is not None or by_mitoses is not None:
        # One index gives a lower bound only: the other could be higher, and the higher
        # decides (000 §1). 001 grades on Ki-67 alone; that reading is shown, not used.
        known = by_ki67 or by_mitoses
        assert known is not None
        possible = set(GRADES[known[0] :])
        other = "mitotic count" if by_ki67 else "Ki-67"
        how = f"{parts[0]}: at least {GRADES[known[0]]}"
        if known[0] != len(GRADES) - 1:
            how += f"; {other} not given and could raise the grade"
            settle.append("pathology.mitoses_per_2mm2" if by_ki67 else "pathology.ki67_percent")
            if by_ki67 and by_ki67[0] == by_ki67[1]:
                how += _ki67_alone_reading(values, by_ki67[2], t)
                sources = (*t.sources, *t.ki67_alone_sources)
        if known[0] != known[1]:
            # Given only as a range ("Ki-67 ≤ 50 %") the index itself can still decide.
            settle.append("pathology.ki67_percent" if by_ki67 else "pathology.mitoses_per_2mm2")
    else:
        possible = set(GRADES)
        how = "Ki-67 and mitotic count not given"
        settle += ["pathology.ki67_percent", "pathology.mitoses_per_2mm2"]

    if differentiation == "poor":
        # Read from the subtype when the report does not state the differentiation.
        named = (
            f"{str(subtype).replace('_', '-').capitalize()} NEC subtype, read as poorly "
            "differentiated"
            if values.get("pathology.differentiation") is None
            else "Poorly differentiated histology"
        )
        return _with_reported(_poorly_differentiated(possible, how, settle, t, named), values, t)
    if differentiation is None and "G3" in possible:
        # Poorly differentiated is NEC, so without a stated differentiation NEC stays
        # possible wherever a high grade does.
        possible.add("NEC")
        how += "; differentiation not given, so NEC is not excluded"
        settle.append("pathology.differentiation")
    elif differentiation is None:
        # NEC is high grade (000 §1: "poorly differentiated neoplasms of high grade"; 004
        # §1: "NEC, G3, Ki-67 > 20%"): indices that rule out G3 rule it out too.
        how += "; differentiation not given, but NEC is excluded: NEC is high grade"
        sources = tuple(dict.fromkeys((*sources, *t.nec_sources)))
        cite = "; ".join(dict.fromkeys((*t.sources, *t.nec_sources)))
    if len(possible) > 1:
        how = f"Grade not settled: {how}"
    derived = Derived(frozenset(possible), None, f"{how} ({cite})", tuple(settle), sources)
    return _with_reported(derived, values, t)


def _poorly_differentiated(
    graded: set[str],
    how: str,
    settle: list[str],
    t: GradeTable,
    named: str = "Poorly differentiated histology",
) -> Derived:
    """Poorly differentiated is NEC, NEC being high grade (000 §1; 004 §1): NEC wherever the
    indices allow a high grade; where they rule it out, the statements contradict each
    other and both stay possible until the pathology is reviewed. ``named`` says where the
    poor differentiation comes from (stated, or read from an NEC subtype)."""
    nec = "; ".join(t.nec_sources)
    if "G3" in graded:
        return Derived(
            frozenset({"NEC"}),
            None,
            f"{named} → neuroendocrine carcinoma (NEC), whatever the proliferation index ({nec})",
            (),
            t.nec_sources,
        )
    conflict = (
        f"{named} (NEC) contradicts the indices "
        f"({' or '.join(sorted(graded))}): NEC is high grade; the pathology should be reviewed"
    )
    return Derived(
        frozenset({*graded, "NEC"}),
        None,
        f"Grade not settled: {conflict}; both stay possible ({nec}); from the indices: {how}",
        tuple(dict.fromkeys((*settle, "pathology.differentiation"))),
        tuple(dict.fromkeys((*t.sources, *t.nec_sources))),
        conflict=conflict,
    )


def _from_the_indices(explanation: str) -> str:
    """The indices' own explanation quoted after a grade the report settled: "the indices
    alone would not settle it: …" rather than a second "Grade not settled"."""
    unsettled = "Grade not settled: "
    if explanation.startswith(unsettled):
        # Conditional, so that "NEC is not excluded" does not read as contradicting the
        # grade the report has just settled.
        quoted = explanation.removeprefix(unsettled).replace(
            "so NEC is not excluded", "so they alone would not exclude NEC"
        )
        return "the indices alone would not settle it: " + quoted
    return "from the indices alone: " + explanation


def _with_reported(derived: Derived, values: Mapping[str, Value], t: GradeTable) -> Derived:
    """The grade narrowed by the grade the report states, or the conflict between them."""
    reported = values.get("pathology.reported_grade")
    if not isinstance(reported, str) or derived.possible is None:
        return derived
    stated = reported_grades(reported, differentiation_of(values))
    extra = t.carcinoid_sources if reported.endswith("carcinoid") else t.reported_sources
    sources = tuple(dict.fromkeys((*derived.sources, *extra)))
    words = reported.replace("_", " ")
    narrowed = derived.possible & stated
    if narrowed == derived.possible:
        return Derived(
            derived.possible,
            None,
            derived.explanation + f"; reported as {words}, which agrees ({'; '.join(extra)})",
            derived.settle_with,
            sources,
            conflict=derived.conflict,
        )
    if narrowed:
        shown = " or ".join(sorted(narrowed))
        settle = derived.settle_with if len(narrowed) > 1 else ()
        return Derived(
            frozenset(narrowed),
            None,
            f"Reported as {words} → {shown} ({'; '.join(extra)}); "
            + _from_the_indices(derived.explanation),
            settle,
            sources,
            # A conflict of the differentiation with the indices stays shown: the reported
            # grade sides with one of them, it does not make the other agree.
            conflict=derived.conflict,
        )
    both = derived.possible | stated
    conflict = (
        f"The reported grade ({words}) contradicts the grade from the indices and "
        f"differentiation ({' or '.join(sorted(derived.possible))}); both stay "
        "possible until the pathology is reviewed"
    )
    return Derived(
        frozenset(both),
        None,
        f"Grade not settled: {conflict} ({'; '.join(extra)}); from the indices: "
        f"{derived.explanation}",
        (*_reported_settle_with(derived, reported, values), "pathology.reported_grade"),
        sources,
        conflict=conflict,
    )


def _reported_settle_with(
    derived: Derived, reported: str, values: Mapping[str, Value]
) -> tuple[str, ...]:
    """What would settle a reported grade that contradicts the indices, besides the reported
    grade itself (kept for the pathology review): the indices' own fields, and the
    differentiation while it is not given and decides how the report reads. A bare "G3" is
    a well-differentiated NET or a poorly differentiated NEC (000 §1: NEC are "poorly
    differentiated neoplasms of high grade"), so "well" rules NEC out and "poor" makes it
    NEC; the indices alone leave it out of their fields when they rule out a high grade."""
    fields = list(derived.settle_with)
    if differentiation_of(values) is None and reported_grades(reported, "well") != (
        reported_grades(reported, "poor")
    ):
        fields.append("pathology.differentiation")
    return tuple(dict.fromkeys(fields))


def _type_i_caution(count: Value | None, d: Derivations) -> str:
    """Type I from one lobe alone: the seeds' other wording (a single lesion) where it would
    not give type I, i.e. unless the case has exactly one lesion."""
    if count == 1:
        return ""
    lesions = f"{count} lesions" if isinstance(count, int) else "several lesions"
    return ". Caution: " + d.liver_type_i_caution.format(lesions=lesions)


def derive_liver_type(values: Mapping[str, Value], d: Derivations) -> Derived:
    count = values.get("liver.lesion_count")
    if count is None and values.get("liver.lesion_count_at_most") == 1:
        count = 1  # "at most one" lesion, and a case has at least one
    distribution = values.get("liver.distribution")
    bilobar = values.get("liver.bilobar")
    cite = "; ".join(d.liver_type_sources)
    if count == 1:
        return Derived(
            frozenset({"I"}),
            None,
            f"Single liver lesion → type I (simple) ({cite})",
            (),
            d.liver_type_sources,
        )
    if isinstance(distribution, str):
        kind = d.liver_type_by_distribution[distribution]
        name = {"I": "simple", "II": "complex", "III": "diffuse"}[kind]
        return Derived(
            frozenset({kind}),
            None,
            f"Distribution {distribution.replace('_', ' ')} → type {kind} ({name}) ({cite})"
            + (_type_i_caution(count, d) if kind == "I" else ""),
            (),
            d.liver_type_sources,
        )
    if isinstance(bilobar, bool):
        # "Bilobar" without its pattern: complex or diffuse, not simple; "not bilobar" is
        # one lobe, which the distribution table makes simple.
        kinds = frozenset(
            d.liver_type_by_distribution[k]
            for k in (("bilobar_dominant", "bilobar_diffuse") if bilobar else ("unilobar",))
        )
        shown = " or ".join(sorted(kinds))
        settled = len(kinds) == 1
        how = (
            f"Both lobes involved, pattern not stated → type {shown}"
            if bilobar
            else f"One lobe involved → type {shown}"
        )
        return Derived(
            kinds,
            None,
            f"{how}{'' if settled else ' (dominant or diffuse not stated)'} ({cite})"
            + (_type_i_caution(count, d) if kinds == {"I"} else ""),
            () if settled else ("liver.distribution",),
            d.liver_type_sources,
        )
    # The count settles the type only by being one lesion (type I): a count known, or known
    # to be at least two, leaves the distribution alone to settle it.
    at_least = values.get("liver.lesion_count_at_least")
    several = isinstance(at_least, int | float) and at_least >= 2
    settle = (
        ("liver.distribution",)
        if count is not None or several
        else ("liver.distribution", "liver.lesion_count")
    )
    return Derived(
        frozenset({"I", "II", "III"}),
        None,
        f"Liver-metastasis type not settled: distribution not given ({cite})",
        settle,
        d.liver_type_sources,
    )


def derive_portal_drainage(values: Mapping[str, Value], d: Derivations) -> Derived:
    site = values.get("primary.site")
    cite = "; ".join(d.portal_sources)
    if not isinstance(site, str):
        return Derived(
            None,
            None,
            f"Primary site not given: portal drainage unknown ({cite})",
            ("primary.site",),
            d.portal_sources,
        )
    portal = site in d.portal_sites
    short = portal_drainage_reason(site, portal)
    explanation = f"{short[0].upper()}{short[1:]} ({cite})"
    return Derived(None, portal, explanation, (), d.portal_sources, reason=short)


# A site neither drained nor undrained by anatomy: case-v1 counts it as not drained because
# it is not known to be (an unknown primary, or a site outside the contract's list).
_NOT_KNOWN_SITES = {"unknown_primary": "unknown primary", "other": "primary at another site"}
NOT_KNOWN_TO_DRAIN = "not known to be drained by the portal system"
"""The reason's words for such a site: a criterion's value then says "not established",
never "no", which would read as the anatomy's answer."""


def portal_drainage_reason(site: str, portal: bool) -> str:
    """Why the primary site does or does not count as drained by the portal system, in the
    words a criterion's value can carry ("lung: not drained by the portal system")."""
    if portal:
        return f"{site.replace('_', ' ')}: drained by the portal system"
    if site in _NOT_KNOWN_SITES:
        return f"{_NOT_KNOWN_SITES[site]}: {NOT_KNOWN_TO_DRAIN}"
    if site in _OUTSIDE_MILAN:
        return _OUTSIDE_MILAN[site]
    return f"{site.replace('_', ' ')}: not drained by the portal system"


# The upper rectum's veins reach the portal system (the superior rectal vein, through the
# inferior mesenteric vein): a rectal primary is outside the territory the transplant
# criteria name, not undrained by anatomy (001 Table 2, Milan: "from distal stomach to
# sigmoid colon").
_OUTSIDE_MILAN = {
    "rectum": (
        "rectum: outside the portal territory Milan names, the distal stomach to the sigmoid colon"
    )
}


def derive_burden_band(
    values: Mapping[str, Value], d: Derivations
) -> tuple[str | None, tuple[str, ...]]:
    burden = values.get("liver.tumor_burden_percent")
    if not isinstance(burden, int | float) or isinstance(burden, bool):
        interval = interval_of(values, "liver.tumor_burden_percent")
        if interval is None or interval.lo is None or interval.hi is None:
            return None, ()
        # A range names a band only when it lies wholly inside one.
        low, high = _band(interval.lo, d), _band(interval.hi, d)
        return low if low == high else (None, ())
    return _band(burden, d)


def _band(burden: float, d: Derivations) -> tuple[str | None, tuple[str, ...]]:
    for band in d.burden_bands:
        if burden < band.upper or (band.upper_inclusive and burden == band.upper):
            return band.label, band.sources
    return None, ()  # pragma: no cover - the last band ends at 100 %


def ki67_from_reported_grade(
    values: Mapping[str, Value], grade: Derived, t: GradeTable
) -> Interval | None:
    """The Ki-67 range a reported G1 or G2 implies, when the index itself is not given.

    The higher index decides the grade (000 §1), so a tumour graded G1 has a Ki-67 below
    3 % and one graded G2 at most 20 % (000 §4: "well-differentiated tumors with a Ki67 <
    20 (G1/G2)"); the cut-offs are the grade table's. Used only when that grade is the
    settled grade and nothing contradicts it: not for a lung carcinoid (graded by mitoses
    and necrosis, not Ki-67), nor beside "poorly differentiated", nor when the case's own
    bound is already as tight. The lower end stays what the case gives: a G2 may be a G2 by
    its mitotic count alone; a G3 may be one by its mitoses alone, so it bounds nothing.

    G1's bound is strict (< 3 %): the interval's upper end is open, so a comparison exactly
    at 3 is decided as WHO decides it (``tests/engine/test_ki67_grade_bound_edges.py``).
    """
    reported = values.get("pathology.reported_grade")
    if reported not in ("G1", "G2") or grade.value != reported or grade.conflict:
        return None
    if differentiation_of(values) == "poor":
        return None
    exact = values.get("pathology.ki67_percent")
    if isinstance(exact, int | float) and not isinstance(exact, bool):
        return None
    strict = reported == "G1"
    cap = t.ki67_g1_below if strict else t.ki67_g2_max
    given = interval_of(values, "pathology.ki67_percent")
    # The case's own bound is as tight when it lies below the cap (or at it, for G2's
    # inclusive one); a stated ≤ 3 beside a reported G1 still becomes < 3.
    hi = given.hi if given is not None else None
    if hi is not None and (hi < cap or (hi == cap and not strict)):
        return None
    if strict and given is not None and given.lo is not None and given.lo >= cap:
        return None  # at least 3 beside a G1: a contradiction, which the checks report
    sign = "<" if strict else "≤"
    # Shown as the criterion's value; the grade's explanation cites the cut-offs.
    means = f"the reported grade {reported} means Ki-67 {sign} {_fmt(cap)} % (WHO grading)"
    if given is None:
        return Interval(None, cap, f"not given; {means}", hi_open=strict)
    return Interval(
        given.lo,
        cap,
        f"{interval_text(given, '%')} as reported; {means}",
        hi_open=strict,
        lo_strict=given.lo_strict,
    )


def counted_lines(values: Mapping[str, Value], counted: Mapping[str, str]) -> list[str]:
    """The names of the distinct treatments in ``course.prior_treatments`` that count as a
    prior systemic line (``Derivations.prior_lines_counted``)."""
    given = listed(values, "course.prior_treatments")
    return [name for option, name in counted.items() if option in given]


def lines_from_treatments(
    values: Mapping[str, Value], counted: Mapping[str, str]
) -> Interval | None:
    """At least as many prior systemic lines as distinct counted treatments the case lists
    as given, when the count itself is not given (derivations.yaml ``prior_lines``)."""
    if values.get("course.prior_systemic_lines") is not None:
        return None
    names = counted_lines(values, counted)
    if not names:
        return None
    return Interval(
        len(names),
        None,
        f"not given; at least {len(names)} by the prior treatments ({', '.join(names)})",
    )


SINCE_RESECTION = (
    "primary.months_since_primary_resection",
    "primary.months_since_primary_resection_at_least",
    "primary.months_since_primary_resection_at_most",
    "primary.months_since_primary_resection_more_than",
    "primary.months_since_primary_resection_less_than",
)


# Prior treatments that removed the primary tumour: its resection, alone or with the liver
# metastases in one operation (001 Simultaneous primary and NELM resection).
PRIMARY_REMOVED_BY = {
    "primary_tumor_resection": "primary tumour resection",
    "simultaneous_resection": "simultaneous resection of primary and liver",
}


def listed(values: Mapping[str, Value], path: str) -> set[str]:
    """The items of a list field (empty when not given)."""
    listed = values.get(path)
    return {str(x) for x in listed} if isinstance(listed, tuple | list | frozenset) else set()


def implied_facts(
    values: Mapping[str, Value], counted: Mapping[str, str] | None = None
) -> tuple[tuple[str, bool | int | str, str], ...]:
    """Fields a case implies when it does not state them, each with why:

    * the primary was resected when its resection margin or the time since its resection
      is given (a margin exists only for a resected tumour), or the prior treatments list
      its resection (alone, or simultaneous with the liver's); not resected when the site is
      unknown_primary and nothing says it was (a primary not found has not been removed; one
      that was would have a site, and the assessment warns of the contradiction), nor when
      the surgeons judge it unremovable (it is still in place), nor at a new diagnosis
      with synchronous liver metastases and no treatment listed (the untreated reading
      below; the primary was found with them and nothing was done yet);
    * extrahepatic disease is present when its sites are listed (as the staging reads a
      listed site as distant disease);
    * SSTR imaging is positive with a Krenning score of 2 or more, or uptake like or above
      the normal liver, and negative with a Krenning score of 0 (the same readings that
      make a stated contrary value a contradiction);
    * at a new diagnosis, no progression on a somatostatin analogue, no prior systemic
      line and no syndrome refractory to medical therapy (none was given yet), unless the
      case gives a history the new diagnosis contradicts (an SSA or a counted line among
      the prior treatments, ``counted``, prior systemic lines, or a liver recurrence after
      hepatectomy: the assessment warns of each but a listed SSA, which may have been
      started at the diagnosis);
    * a carcinoid syndrome when the case gives carcinoid heart disease and no syndrome: the
      heart disease is a complication of the carcinoid syndrome (Davar 2017), so the SSA's
      hormone control and the carcinoid-crisis precautions apply (a syndrome given as none
      beside it is a contradiction, nelm.engine.consistency).
    """
    out: list[tuple[str, bool | int | str, str]] = []
    if values.get("primary.resected") is None:
        margin = values.get("primary.resection_margin")
        if margin is not None:
            out.append(("primary.resected", True, f"read from the resection margin {margin}"))
        elif any(values.get(p) is not None for p in SINCE_RESECTION):
            out.append(("primary.resected", True, "read from the time since its resection"))
        elif removed := PRIMARY_REMOVED_BY.keys() & listed(values, "course.prior_treatments"):
            names = " and ".join(PRIMARY_REMOVED_BY[t] for t in sorted(removed))
            out.append(("primary.resected", True, f"read from the prior treatments: {names}"))
        elif values.get("primary.site") == "unknown_primary":
            out.append(
                (
                    "primary.resected",
                    False,
                    "read from the primary site: a primary not found has not been removed",
                )
            )
        elif values.get("primary.surgical_assessment") == "unresectable":
            out.append(
                (
                    "primary.resected",
                    False,
                    "read from the surgeons' verdict: a primary they judge unremovable is still"
                    " in place",
                )
            )
        elif _new_synchronous_untreated(values, counted):
            out.append(
                (
                    "primary.resected",
                    False,
                    "read from the course: a new diagnosis with synchronous liver metastases"
                    " and no treatment listed has not had its primary removed",
                )
            )
    if values.get("extrahepatic.present") is None:
        sites = values.get("extrahepatic.sites")
        if isinstance(sites, tuple | list) and sites:
            shown = ", ".join(str(s).replace("_", " ") for s in sites)
            out.append(("extrahepatic.present", True, f"read from the sites listed: {shown}"))
    if values.get("imaging.sstr_positive") is None:
        krenning = values.get("imaging.krenning_score")
        uptake = values.get("imaging.sstr_uptake_vs_liver")
        number = isinstance(krenning, int) and not isinstance(krenning, bool)
        high = number and isinstance(krenning, int) and krenning >= 2
        like = uptake in ("like_liver", "above_liver")
        none = number and krenning == 0
        # A Krenning score and an uptake that contradict each other (the assessment warns
        # and the criteria set both aside, nelm.engine.sstr) are read only where both say
        # positive (a Krenning score of 2 beside uptake above the liver).
        agree = not krenning_disagrees_with_uptake(values) or (high and like)
        if agree and (high or (like and not none)):
            words = str(uptake).replace("_", " ")
            why = f"Krenning score {krenning}" if high else f"uptake {words}"
            why = f"read from the {why}"
            out.append(("imaging.sstr_positive", True, why))
        elif agree and none and not like:
            out.append(("imaging.sstr_positive", False, "read from the Krenning score 0"))
    if (
        values.get("primary.functional_syndrome") is None
        and values.get("patient.carcinoid_heart_disease") is True
    ):
        out.append(
            (
                "primary.functional_syndrome",
                "carcinoid",
                "read from the carcinoid heart disease, a complication of the carcinoid syndrome",
            )
        )
    if _new_without_history(values, counted):
        untreated = "read from the course: a new diagnosis has not yet been treated"
        if values.get("course.progressed_on_ssa") is None:
            out.append(("course.progressed_on_ssa", False, untreated))
        if values.get("course.prior_systemic_lines") is None:
            out.append(("course.prior_systemic_lines", 0, untreated))
        # "refractory to medical therapy" needs the therapy: an untreated syndrome is not
        # yet refractory (a syndrome refractory to a drug case-v1 cannot list, diazoxide,
        # is stated as such, and the statement stands)
        if values.get("primary.syndrome_refractory") is None:
            out.append(("primary.syndrome_refractory", False, untreated))
    return tuple(out)


def _new_synchronous_untreated(
    values: Mapping[str, Value], counted: Mapping[str, str] | None
) -> bool:
    """A new diagnosis of liver metastases found with the primary, nothing given before it
    and no treatment listed at all: the primary is still in place. A metachronous or
    undated one may follow a primary resected earlier, and any listed treatment (an
    emergency resection among them) says the patient was treated, so neither is read."""
    return (
        values.get("liver.synchronous") is True
        and not listed(values, "course.prior_treatments")
        and _new_without_history(values, counted)
    )


def _new_without_history(values: Mapping[str, Value], counted: Mapping[str, str] | None) -> bool:
    """A new diagnosis and nothing in the case that says treatment was given before it."""
    if values.get("course.status") != "new_diagnosis":
        return False
    if values.get("course.recurrence_after_liver_resection") is True:
        return False
    lines = values.get("course.prior_systemic_lines")
    if isinstance(lines, int | float) and not isinstance(lines, bool) and lines >= 1:
        return False
    given = listed(values, "course.prior_treatments")
    return not ({"ssa", *(counted or {})} & given)


def derive(case: Case, d: Derivations) -> DerivedFacts:
    values = case.values
    band, band_sources = derive_burden_band(values, d)
    grade = derive_grade(values, d.grade)
    return DerivedFacts(
        grade=grade,
        liver_type=derive_liver_type(values, d),
        portal_drainage=derive_portal_drainage(values, d),
        burden_band=band,
        burden_band_sources=band_sources,
        stages=derive_stages(values, d.staging, case.entered),
        ki67_from_grade=ki67_from_reported_grade(values, grade, d.grade),
        lines_from_treatments=lines_from_treatments(values, dict(d.prior_lines_counted)),
        egfr_from_creatinine=egfr_from_creatinine(values),
        egfr_set_aside=estimate_set_aside(values),
        implied=implied_facts(values, dict(d.prior_lines_counted)),
        given_by_fields=tuple(
            (option, path) for option, path in d.given_before_shown_by if values.get(path) is True
        ),
        given_as=_given_as(values.get("course.prior_treatments"), d.given_before_same),
        set_aside=set_aside(values),
    )


def _given_as(
    prior: Value | None, groups: tuple[tuple[str, frozenset[str]], ...]
) -> tuple[tuple[str, str], ...]:
    """The options of a same-treatment group not listed themselves while another of the
    group is, each with the group's words."""
    if not isinstance(prior, tuple | frozenset):
        return ()
    listed = set(prior)
    return tuple(
        (option, name)
        for name, options in groups
        if options & listed
        for option in sorted(options - listed)
    )
