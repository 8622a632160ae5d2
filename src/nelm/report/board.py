"""What a tumour board reads first: the case on one screen and the option matrix.

:func:`board_view` turns one assessment document (assessment-v1) into plain data that
every renderer shares (the web page, the printed board summary, the meeting view): the key
facts in clinical words, the plan, the warnings, the investigations that would decide the
most options, and every option by status — eligible and uncertain options with each
criterion's value, ineligible ones as one line with the failing criterion and its value.
Unknown stays visible as "not known". Citations become numbered references
(:class:`nelm.knowledge.sources.ReferenceList`), never keys or codes.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from markupsafe import Markup, escape

from nelm.case.units import as_entered_text
from nelm.knowledge.sources import ReferenceList, cite_plain, reference, resolve
from nelm.report.cautions import CommonCaution, common_cautions
from nelm.report.course import course_conflict
from nelm.report.view import (
    NOT_KNOWN,
    in_words,
    liver_type_text,
    not_known_words,
    record_flags,
    record_warnings,
    todo_items,
)
from nelm.report.view import field_label as _field_label
from nelm.vocabulary import option_short, vocabulary

__all__ = [
    "BoardView",
    "CommonMissing",
    "Criterion",
    "Fact",
    "Investigation",
    "MissingOnCard",
    "OptionRow",
    "PlanStep",
    "board_view",
    "cite_html",
    "cite_in_text",
]

# the words come from the shared vocabulary (knowledge/data/vocabulary.yaml)
INTENT_TITLES: dict[str, str] = {i.id: i.title for i in vocabulary().intents}
STATUS_WORDS: dict[str, str] = {s.id: s.title for s in vocabulary().statuses}


@dataclass(frozen=True, slots=True)
class Fact:
    label: str
    value: str
    unknown: bool = False


@dataclass(frozen=True, slots=True)
class Criterion:
    text: str
    result: str
    value: str
    sources: tuple[str, ...]
    relative: bool = False
    """A relative contraindication this case has: its result is unknown, and no missing
    value would settle it; the board weighs it (``relative_contraindication``)."""

    @property
    def value_after_text(self) -> str:
        """The value as it reads after the criterion's text and a colon: without the
        text again ("Synchronous liver metastases: no", not "Synchronous liver
        metastases: Synchronous liver metastases: no")."""
        head = f"{self.text}: "
        return self.value[len(head) :] if self.value.startswith(head) else self.value


@dataclass(frozen=True, slots=True)
class OptionRow:
    id: str
    name: str
    status: str
    intent: str
    criteria: tuple[Criterion, ...]
    failing: tuple[Criterion, ...]
    missing: tuple[str, ...]
    cautions: tuple[tuple[str, tuple[str, ...]], ...]
    patient_cautions: tuple[str, ...] = ()
    """The texts of the cautions raised by this patient's data (``case_specific``)."""
    short: str = ""
    """A few words naming the option (the page's index of the options)."""

    def tally(self, result: str) -> int:
        """How many of its criteria have this result (met, unknown, not_met)."""
        return sum(1 for c in self.criteria if c.result == result)

    @property
    def judgements(self) -> tuple[str, ...]:
        """The relative contraindications an uncertain option waits on: the board's
        judgement, not a missing value, decides them (an option another criterion rules
        out waits on nothing)."""
        if self.status != "uncertain":
            return ()
        return tuple(c.text for c in self.criteria if c.relative)

    @property
    def case_cautions(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The cautions this patient's data raise (shown with the option's headline)."""
        return tuple(c for c in self.cautions if c[0] in self.patient_cautions)

    @property
    def general_cautions(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The notes shown for the option whatever the patient (shown with its criteria)."""
        return tuple(c for c in self.cautions if c[0] not in self.patient_cautions)


@dataclass(frozen=True, slots=True)
class PatientCaution:
    text: str
    sources: tuple[str, ...]
    options: list[str]
    """The options of the plan it concerns."""
    not_for: list[str]
    """The options of the plan (not ruled out) it does not concern."""
    chosen: list[str] = field(default_factory=list)
    """The options the board chose that it concerns (named apart on the page)."""


@dataclass(frozen=True, slots=True)
class PlanStep:
    number: int
    intent: str
    options: tuple[tuple[str, str, str], ...]  # (option id, name, status)
    pending: tuple[str, ...]
    rationale: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Investigation:
    field: str
    decides: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CommonMissing:
    """The missing data that most options waiting on missing data wait on: named once
    above the options, so that each option's card names only what else it waits on."""

    groups: tuple[tuple[int, tuple[str, ...]], ...]
    """The common data by how many options wait on each, most first: (that number, the
    field labels), each group in the order the options name them."""
    waiting: int
    """How many options wait on missing data."""

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for _, labels in self.groups for label in labels)


@dataclass(frozen=True, slots=True)
class MissingOnCard:
    """What one option's card says it waits on, short of its whole list (which its fold
    keeps): the same data as a card above it, or the common data named above the options
    and what else it waits on."""

    common: tuple[str, ...] = ()
    """The common data it waits on (none: the card does not refer to them)."""
    not_common: tuple[str, ...] = ()
    """The common data it does not wait on, when it refers to them."""
    own: tuple[str, ...] = ()
    """The missing data it waits on beyond the common data it refers to, in its order."""
    same_as: tuple[str, str] | None = None
    """(id, name) of the card above it that waits on the very same missing data."""


SHORT_LIST = 3
"""A card waiting on this many missing data or fewer names them all: they read as fast as
"the common data above" or another card's name."""
MIN_REFERRING = 3
"""The common data are named above the cards when at least this many cards refer to them
(else each card names its own list)."""
CARD_ORDER = ("eligible", "uncertain")
"""The statuses whose options are cards, in the pages' order (_summary.html)."""


@dataclass
class BoardView:
    case_id: str
    label: str | None
    knowledge_version: str
    facts: list[Fact]
    plan: list[PlanStep]
    warnings: list[str]
    investigations: list[Investigation]
    options: list[OptionRow]
    references: ReferenceList = field(default_factory=ReferenceList)
    record_warnings: list[str] = field(default_factory=list)
    """What the record said about the whole assessment (``nelm.report.view.record_warnings``),
    shown above everything."""
    record_flags: list[str] = field(default_factory=list)
    """Their headlines ("DECEASED"), for a printed page's header."""
    common_cautions: list[CommonCaution] = field(default_factory=list)
    """The cautions this patient raises on several option cards, said once above them
    (``nelm.report.cautions``)."""

    def card_cautions(
        self, option: OptionRow
    ) -> tuple[list[CommonCaution], tuple[tuple[str, tuple[str, ...]], ...]]:
        """(the common cautions the option's card refers to by number, the cautions this
        patient raises that it shows in full)."""
        shared = [c for c in self.common_cautions if option.id in c.options]
        texts = {c.text for c in shared}
        return shared, tuple(c for c in option.case_cautions if c[0] not in texts)

    def by_status(self, status: str) -> list[OptionRow]:
        return [o for o in self.options if o.status == status]

    def patient_cautions(
        self, planned: Collection[str], chosen: Collection[str] = ()
    ) -> list[PatientCaution]:
        """The cautions this patient's data raise for the options of the plan that are not
        ruled out and for the options the board chose (whatever nelm says of them: an
        embolisation chosen against its "ineligible" still needs its octreotide cover),
        each once with the options it concerns (a printed page has no room for every
        option's general notes)."""
        found: dict[str, PatientCaution] = {}
        open_options = [
            o
            for o in self.options
            if (o.id in planned and o.status != "ineligible") or o.id in chosen
        ]
        for o in open_options:
            for text, sources in o.cautions:
                if text in o.patient_cautions:
                    entry = found.setdefault(text, PatientCaution(text, sources, [], []))
                    entry.options.append(o.name)
                    if o.id in chosen:
                        entry.chosen.append(o.name)
        for entry in found.values():
            entry.not_for.extend(o.name for o in open_options if o.name not in entry.options)
        return list(found.values())

    @property
    def counts(self) -> dict[str, int]:
        return {s: len(self.by_status(s)) for s in STATUS_WORDS}

    @property
    def common_missing(self) -> CommonMissing | None:
        """The missing data named once above the option cards (None: none are)."""
        return self._cards_missing[0]

    def missing_on_card(self, option: OptionRow) -> MissingOnCard | None:
        """What the option's card names of its missing data (None: its whole list)."""
        return self._cards_missing[1].get(option.id)

    def _majority_missing(self) -> CommonMissing | None:
        """The missing data that more than half of the options waiting on missing data wait
        on, computed from the options' own lists (None: no datum is)."""
        waiting = [o for o in self.options if o.missing]
        counts: dict[str, int] = {}
        for o in waiting:
            for label in dict.fromkeys(o.missing):
                counts[label] = counts.get(label, 0) + 1
        groups: dict[int, list[str]] = {}
        for label, n in counts.items():
            if 2 * n > len(waiting):
                groups.setdefault(n, []).append(label)
        if not groups:
            return None
        return CommonMissing(
            groups=tuple((n, tuple(groups[n])) for n in sorted(groups, reverse=True)),
            waiting=len(waiting),
        )

    @cached_property
    def _cards_missing(self) -> tuple[CommonMissing | None, dict[str, MissingOnCard]]:
        """The common data named above the cards, and each card's missing data short of
        its whole list where a reader has read it already. A card waiting on more than
        :data:`SHORT_LIST` data names the card above it (cards in the pages' order) that
        waits on the very same data, else, when it waits on more than half of the common
        data, "the common data above" (and those it does not wait on) and what else it
        waits on (naming the few it waits on costs no more than "… except …"). The common
        data are named when at least :data:`MIN_REFERRING` cards refer to them."""
        common = self._majority_missing()
        labels = common.labels if common else ()
        out: dict[str, MissingOnCard] = {}
        seen: dict[frozenset[str], OptionRow] = {}
        for option in (o for status in CARD_ORDER for o in self.by_status(status)):
            key = frozenset(option.missing)
            if len(key) <= SHORT_LIST:
                continue
            first = seen.setdefault(key, option)
            if first is not option:
                out[option.id] = MissingOnCard(same_as=(first.id, first.short or first.name))
                continue
            taken = tuple(label for label in labels if label in key)
            if taken and 2 * len(taken) > len(labels):
                out[option.id] = MissingOnCard(
                    common=taken,
                    not_common=tuple(label for label in labels if label not in key),
                    own=tuple(
                        label for label in dict.fromkeys(option.missing) if label not in labels
                    ),
                )
        if sum(1 for card in out.values() if card.common) < MIN_REFERRING:
            return None, {oid: card for oid, card in out.items() if card.same_as}
        return common, out


# ------------------------------------------------------------------ values in words


# A functional tumour is named as a clinician names it ("insulinoma", not "insulinoma
# syndrome"); only the carcinoid syndrome is a syndrome by name.
_SYNDROME_WORDS = {
    "none": "non-functional",
    "carcinoid": "carcinoid syndrome",
    "vipoma": "VIPoma",
    "other": "another functional syndrome",
}


# The surgeons' verdicts (case-v1 surgical_assessment), which decide the plan's order, in
# the facts the board reads first rather than only inside failing criteria.
_SURGEONS_LIVER = {
    "resectable": "surgeons: resectable",
    "resectable_after_conversion": "surgeons: resectable after conversion",
    "unresectable": "surgeons: unresectable",
}
_SURGEONS_PRIMARY = {"resectable": "surgeons: removable", "unresectable": "surgeons: not removable"}


def _flagged_fields(doc: Mapping[str, Any]) -> dict[str, str]:
    """Field → the kind of the first input warning naming it (``input_warnings``), so the
    facts a board reads first mark a value the warnings question (a bilirubin of 17 that
    may be µmol/L stood unmarked among the key labs, its warning below the first screen)."""
    flags: dict[str, str] = {}
    for warning in doc.get("input_warnings") or ():
        if isinstance(warning, Mapping):
            for path in warning.get("fields") or ():
                flags.setdefault(str(path), str(warning.get("kind")))
    return flags


_FLAG_WORDS = {"unit_check": "check the unit", "implausible": "implausible"}


def _flag(flags: Mapping[str, str], path: str) -> str:
    kind = flags.get(path)
    if kind is None:
        return ""
    return f" (⚠ {_FLAG_WORDS.get(kind, 'questioned')}: see Warnings)"


def _since_resection(primary: Mapping[str, Any]) -> str | None:
    """How long ago the primary was removed, as the report gives it (a number, a range or
    a bound of months)."""
    months = _bounded(primary, "primary", "months_since_primary_resection", "months")
    return f"{months} since resection" if months is not None else None


def _words(value: Any) -> str:
    return str(value).replace("_", " ")


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) and abs(value) >= 10000 else str(value)


def _quantity(path: str, value: Any, unit: str) -> str:
    """A number with its unit; one entered in another unit as entered, converted beside it
    ("210 10⁹/L (210,000 /µL)")."""
    if isinstance(value, Mapping) and {"value", "unit"} <= set(value):
        return as_entered_text(path, value["value"], str(value["unit"]))
    return f"{_num(value)}{unit if unit.startswith(('%', '/')) else ' ' + unit}".rstrip()


def _section(inputs: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    body = inputs.get(name)
    return body if isinstance(body, Mapping) else {}


def _bounded(body: Mapping[str, Any], section: str, name: str, unit: str) -> str | None:
    """A number a report gives exactly, or as a range or a bound ("≥ 10", "≤ 30 mm (3 cm)")."""
    if body.get(name) is not None:
        return _quantity(f"{section}.{name}", body[name], unit)
    lo, hi = body.get(f"{name}_at_least"), body.get(f"{name}_at_most")
    parts = [
        f"{sign} {_quantity(f'{section}.{name}_{suffix}', bound, unit)}"
        for sign, suffix, bound in (("≥", "at_least", lo), ("≤", "at_most", hi))
        if bound is not None
    ]
    return ", ".join(parts) or None


def _age(patient: Mapping[str, Any], exact: Any) -> str | None:
    """The age exactly, else as the report or a partial birth date bounds it ("55–59
    years", "≥ 61 years"): what the criteria on age read."""
    if exact is not None:
        return f"{_num(exact)} years"
    lo, hi = patient.get("age_years_at_least"), patient.get("age_years_at_most")
    if lo is not None and hi is not None:
        return f"{_num(lo)} years" if lo == hi else f"{_num(lo)}–{_num(hi)} years"
    if lo is not None:
        return f"≥ {_num(lo)} years"
    return f"≤ {_num(hi)} years" if hi is not None else None


def _yes_no(value: Any, yes: str | None, no: str | None, unknown: str | None) -> str | None:
    if value is True:
        return yes
    if value is False:
        return no
    return unknown


def _join(parts: Sequence[str | None]) -> str:
    return " · ".join(p for p in parts if p)


def _facts(doc: Mapping[str, Any], names: Mapping[str, str]) -> list[Fact]:
    inputs = doc.get("inputs") or {}
    c = doc.get("classification") or {}
    # A yes/no field the case implies (listed sites: extrahepatic disease) reads as the
    # criteria read it, so the summary never says "not known" beside the sites themselves.
    implied = {i["field"]: i["value"] for i in c.get("implied") or ()}
    # What the dated timeline gave reads the same way.
    implied |= {i["field"]: i["value"] for i in c.get("from_timeline") or ()}

    def get(section: str, name: str) -> Any:
        body = inputs.get(section)
        value = body.get(name) if isinstance(body, Mapping) else None
        return implied.get(f"{section}.{name}") if value is None else value

    facts: list[Fact] = []
    flags = _flagged_fields(doc)

    def add(label: str, parts: Sequence[str | None]) -> None:
        text = _join(parts)
        facts.append(Fact(label, text or NOT_KNOWN, unknown=not text))

    sex, ecog = get("patient", "sex"), get("patient", "ecog")
    age = _age(_section(inputs, "patient"), get("patient", "age_years"))
    add(
        "Patient",
        [
            age or "age not known",
            _words(sex) if sex else "sex not known",
            f"ECOG {ecog}" if ecog is not None else "ECOG not known",
            _yes_no(
                get("patient", "fit_for_major_surgery"),
                "fit for major surgery",
                "not fit for major surgery",
                "fitness for surgery not known",
            ),
            _yes_no(
                get("patient", "carcinoid_heart_disease"), "carcinoid heart disease", None, None
            )
            or None,
        ],
    )
    site = get("primary", "site")
    primary = {
        **{f.split(".", 1)[1]: v for f, v in implied.items() if f.startswith("primary.")},
        **_section(inputs, "primary"),
    }
    syndrome = get("primary", "functional_syndrome")
    margin = get("primary", "resection_margin")
    add(
        "Primary",
        [
            ("unknown primary" if site == "unknown_primary" else _words(site))
            if site
            else "site not known",
            _yes_no(
                get("primary", "resected"),
                f"resected ({margin})" if margin else "resected",
                # a primary not found is not "in place" for the board: nobody knows where
                "not found" if site == "unknown_primary" else "in place",
                "resection not known",
            ),
            _quantity("primary.size_cm", get("primary", "size_cm"), "cm")
            if get("primary", "size_cm")
            else None,
            _since_resection(primary),
            _yes_no(get("primary", "node_positive"), "nodes involved", "nodes negative", None),
            _SYNDROME_WORDS.get(str(syndrome), _words(syndrome)) if syndrome else None,
            _SURGEONS_PRIMARY.get(str(get("primary", "surgical_assessment"))),
        ],
    )
    grade = c.get("grade") or (
        " or ".join(c.get("grade_possible") or []) + " (not settled)"
        if c.get("grade_possible")
        else "grade not known"
    )
    pathology = _section(inputs, "pathology")
    ki67 = _bounded(pathology, "pathology", "ki67_percent", "%")
    mitoses = _bounded(pathology, "pathology", "mitoses_per_2mm2", "")
    diff = get("pathology", "differentiation")
    add(
        "Grade",
        [
            str(grade),
            f"Ki-67 {ki67}{_flag(flags, 'pathology.ki67_percent')}"
            if ki67 is not None
            else "Ki-67 not known",
            f"{mitoses} mitoses/2 mm²" if mitoses is not None else None,
            {"well": "well differentiated", "poor": "poorly differentiated"}.get(
                str(diff), f"{diff} differentiation"
            )
            if diff
            else "differentiation not known",
        ],
    )
    lt = liver_type_text(c)
    liver = _section(inputs, "liver")
    lesions = get("liver", "lesion_count")
    lesion_range = _bounded(liver, "liver", "lesion_count", "")
    largest = _bounded(liver, "liver", "largest_lesion_cm", "cm")
    burden = _bounded(liver, "liver", "tumor_burden_percent", "%")
    flr = _bounded(liver, "liver", "future_liver_remnant_percent", "%")
    distribution = get("liver", "distribution")
    add(
        "Liver",
        [
            f"type {lt}" if lt else "type not known",
            _words(distribution).replace("bilobar ", "bilobar, ")
            if distribution
            else _yes_no(get("liver", "bilobar"), "both lobes", "one lobe", None),
            (
                f"{lesions} lesion{'s' if lesions != 1 else ''}"
                if lesions is not None
                else f"{lesion_range} lesions"
                if lesion_range
                else "lesion count not known"
            ),
            f"largest {largest}" if largest is not None else None,
            f"burden {burden}"
            if burden is not None
            else (f"burden {c['burden_band']}" if c.get("burden_band") else "burden not known"),
            f"future remnant {flr}" if flr is not None else None,
            _yes_no(get("liver", "synchronous"), "synchronous", "metachronous", None) or None,
            _SURGEONS_LIVER.get(str(get("liver", "surgical_assessment"))),
        ],
    )
    present = get("extrahepatic", "present")
    sites = get("extrahepatic", "sites") or []
    add(
        "Extrahepatic",
        [
            _yes_no(
                present,
                "present" + (": " + ", ".join(_words(s) for s in sites) if sites else ""),
                "none",
                NOT_KNOWN,
            ),
            _yes_no(get("extrahepatic", "resectable"), "resectable", "not resectable", None)
            if present
            else None,
        ],
    )
    sstr, krenning, fdg = (
        get("imaging", "sstr_positive"),
        get("imaging", "krenning_score"),
        get("imaging", "fdg_positive"),
    )
    add(
        "Imaging",
        [
            str(_yes_no(sstr, "SSTR positive", "SSTR negative", "SSTR not known"))
            + (f" (Krenning {krenning})" if krenning is not None else ""),
            _yes_no(fdg, "FDG-PET positive", "FDG-PET negative", None) or None,
        ],
    )
    labs = [
        ("Bilirubin", "bilirubin_mg_dl", "mg/dL"),
        ("albumin", "albumin_g_dl", "g/dL"),
        ("platelets", "platelets_per_ul", "/µL"),
        ("creatinine", "creatinine_mg_dl", "mg/dL"),
    ]
    lab_parts = [
        f"{label.lower()} {_quantity(f'labs.{key}', get('labs', key), unit)}"
        + _flag(flags, f"labs.{key}")
        for label, key, unit in labs
        if get("labs", key) is not None
    ]
    missing_labs = [label.lower() for label, key, _ in labs if get("labs", key) is None]
    if missing_labs:
        lab_parts.append(", ".join(missing_labs) + " not known")
    add("Key labs", lab_parts)
    status, lines = get("course", "status"), get("course", "prior_systemic_lines")
    prior = get("course", "prior_treatments") or []
    course = {
        **{f.split(".", 1)[1]: v for f, v in implied.items() if f.startswith("course.")},
        **_section(inputs, "course"),
    }
    # a lower bound of 0 months (one scan showing stable disease) says only "stable"
    no_bound = course.get("months_stable_at_least") == 0 and not any(
        course.get(k) is not None for k in ("months_stable", "months_stable_at_most")
    )
    conflict = course_conflict(inputs)
    if conflict is not None:
        # the months the timeline gives belong to its side of the conflict: only stated
        # months stand beside the stated course
        course = dict(_section(inputs, "course"))
    stable = None if no_bound else _bounded(course, "course", "months_stable", "months")
    spell = f"stable for {stable}" if stable is not None else None
    if status in ("progressing", "rapidly_progressing") and course.get("months_stable") == 0:
        spell = None  # "progressing · stable for 0 months" says one thing twice
    if conflict is not None:
        status_parts = [conflict.stated_text, spell, conflict.to_settle]
    else:
        status_parts = [
            # "stable for ≥ 8 months" says both; the months alone imply a stable spell
            spell if spell and status in (None, "stable") else None,
            None
            if spell and status in (None, "stable")
            else (_words(status) if status else "course not known"),
            spell if spell and status not in (None, "stable") else None,
        ]
    add(
        "Course",
        [
            *status_parts,
            _yes_no(get("course", "progressed_on_ssa"), "progressed on an SSA", None, None),
            _yes_no(
                get("course", "recurrence_after_liver_resection"),
                "recurrence after liver resection",
                None,
                None,
            ),
            f"{lines} prior systemic line{'s' if lines != 1 else ''}"
            # a new diagnosis with no line says one thing twice
            if lines is not None and not (status == "new_diagnosis" and lines == 0)
            else None,
            ("prior: " + ", ".join(names.get(p, _words(p)) for p in prior)) if prior else None,
        ],
    )
    return facts


# ------------------------------------------------------------------ the view


def _criterion(raw: Mapping[str, Any]) -> Criterion:
    return Criterion(
        text=str(raw.get("text", "")),
        result=str(raw.get("result", "unknown")),
        value=not_known_words(str(raw.get("value", ""))),
        sources=tuple(raw.get("sources") or ()),
        relative=bool(raw.get("relative_contraindication")),
    )


def board_view(doc: Mapping[str, Any], *, field_label: Any = None) -> BoardView:
    """The board's view of one assessment document (field labels from
    :func:`nelm.report.view.field_label` unless ``field_label`` is given)."""
    label_of = field_label or _field_label
    options: Mapping[str, Any] = doc["options"]
    names = {oid: str(o.get("name") or oid) for oid, o in options.items()}
    rows: list[OptionRow] = []
    for intent in INTENT_TITLES:
        for oid, o in options.items():
            if o.get("intent") != intent:
                continue
            criteria = tuple(_criterion(c) for c in o.get("criteria") or ())
            cautions = tuple(
                (str(c.get("text", "")), tuple(c.get("sources") or ()))
                for c in o.get("caution_details") or ()
            )
            rows.append(
                OptionRow(
                    id=oid,
                    name=names[oid],
                    status=str(o.get("status")),
                    intent=intent,
                    criteria=criteria,
                    failing=tuple(c for c in criteria if c.result == "not_met"),
                    missing=tuple(label_of(p) for p in o.get("missing") or ()),
                    cautions=cautions,
                    patient_cautions=tuple(
                        str(c.get("text", ""))
                        for c in o.get("caution_details") or ()
                        if c.get("case_specific")
                    ),
                    short=option_short(oid),
                )
            )
    plan = [
        PlanStep(
            number=int(step.get("step", i + 1)),
            intent=INTENT_TITLES.get(step["intent"], step["intent"]),
            options=tuple(
                (
                    oid,
                    names.get(oid, oid)
                    + (" (given before)" if options[oid].get("given_before") else ""),
                    step.get("statuses", {}).get(oid, options[oid]["status"]),
                )
                for oid in step["options"]
            ),
            pending=tuple(
                dict.fromkeys(
                    label_of(p) for ps in (step.get("pending") or {}).values() for p in ps
                )
            ),
            rationale=str(step.get("rationale", "")),
            sources=tuple(step.get("sources") or ()),
        )
        for i, step in enumerate(doc.get("plan") or ())
    ]
    # the investigations that would decide the most: the assessment's own to-do list
    # (ranked criterion by criterion) when it has one, else missing data by options decided
    todo = todo_items(doc)
    investigations = [
        Investigation(
            f"{item['name']} ({', '.join(item['field_labels'])})",
            tuple(names.get(o, o) for o in item.get("could_change") or ()),
        )
        for item in todo
    ] or sorted(
        (
            Investigation(
                label_of(item["field"]), tuple(names.get(o, o) for o in item.get("decides") or ())
            )
            for item in doc.get("missing_data") or ()
        ),
        key=lambda inv: -len(inv.decides),
    )
    # The record's warnings stand above everything and again first among the warnings: a
    # reader of the warnings alone (a printed page, a list) must not see "None".
    warnings = [
        in_words(w if isinstance(w, str) else str(w.get("message") or w.get("text") or w), label_of)
        for w in doc.get("warnings") or ()
    ]
    return BoardView(
        case_id=str(doc.get("case_id", "")),
        label=doc.get("label"),
        knowledge_version=str(doc.get("knowledge_version", "")),
        facts=_facts(doc, names),
        plan=plan,
        warnings=warnings,
        investigations=investigations,
        options=rows,
        record_warnings=record_warnings(doc),
        record_flags=record_flags(doc),
        # cards are shown for the open options only (CARD_ORDER)
        common_cautions=common_cautions(doc, lambda o: o.get("status") in CARD_ORDER),
    )


# ------------------------------------------------------------------ citations


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
