"""Evidence records: one study arm as one review article (seed) reports it.

The records live as plain YAML under ``data/records`` (one file per seed table or per
seed's running text, see ``docs/evidence-extraction.md``). They are read once per process,
checked field by field, and returned as frozen ``EvidenceRecord`` objects.

Two sources that report the same study arm keep one record each under the same
``study_key``; ``conflicts`` lists where they disagree (patients, year, any outcome), so
that a reader sees the disagreement instead of one silently chosen number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Final

import yaml

from nelm.errors import InputRejected, KnowledgeBaseError, Problem
from nelm.vocabulary import vocabulary
from nelm.yaml_data import load_yaml

__all__ = [
    "DESIGNS",
    "FLAGS",
    "MODALITIES",
    "NOT_REACHED",
    "OUTCOMES",
    "POPULATIONS",
    "SEEDS",
    "Conflict",
    "EvidenceRecord",
    "SeedStatement",
    "arm_label",
    "conflicts",
    "load_records",
    "outcome_text",
    "records_for",
    "seed_statements",
    "source_text",
]

# The contract's outcome names (evidence-v1.md) first, then the few this extraction needed
# because the seeds print them and no contract name holds them (listed in the docs).
OUTCOMES: Final[tuple[str, ...]] = tuple(o.id for o in vocabulary().outcomes)

# Option ids of assessment-v1.md plus the three evidence-only values of evidence-v1.md.
MODALITIES: Final[tuple[str, ...]] = (*vocabulary().option_ids, *vocabulary().evidence_modalities)
"""The options, then the study arms that are not one option (vocabulary.yaml)."""

DESIGNS: Final[tuple[str, ...]] = (
    "rct",
    "prospective",
    "retrospective",
    "registry",
    "meta_analysis",
    "systematic_review",
    "unknown",
)

POPULATIONS: Final[tuple[str, ...]] = (
    "pnet",  # pancreatic NET
    "si_net",  # small-intestinal NET
    "midgut_net",
    "gi_net",  # gastrointestinal (non-pancreatic) NET
    "gep_net",  # gastroenteropancreatic NET
    "ep_net",  # extrapancreatic NET
    "lung_gi_net",  # lung and gastrointestinal NET
    "carcinoid",
    "nec",  # neuroendocrine carcinoma
    "nen_g3",  # grade 3 NEN: G3 NET and NEC together, not separated by the source
    "net",  # mixed or unspecified primary sites
)

SEEDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "000": "Ngongoni & Visser 2022, Cancers 14:5103",
        "001": "Machairas et al. 2021, Ann Gastroenterol 34:130-141",
        "002": "Criss & Makary 2024, Curr Oncol 31:2076-2091",
        "003": "Nigri et al. 2018, World J Surg Oncol 16:142",
        "004": "Xue et al. 2025, Front Endocrinol 16:1601185",
    }
)

# Every flag a record may carry, and what it tells a reader or a tool. Kept here (not only
# in the docs) so that a typo in a data file is caught at load time.
FLAGS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "mean_not_median": "the source's median column holds a mean (seed 000 Table 1 '*'); "
        "never use the value as a median",
        "primary_resection_only": "primary tumour resection only (seed 000 Table 1 '#')",
        "entire_cohort": "the morbidity or 30-day mortality value describes the study's whole "
        "cohort, not this arm (seed 000 Table 2 '¥', Table 3 '‡')",
        "tace_value": "a cell of this row is marked as describing TACE-treated patients only "
        "(seed 000 Table 2 '#'); kept in the note, not as an outcome",
        "tae_value": "a cell of this row is marked as describing TAE-treated patients only "
        "(seed 000 Table 2 '¶'); kept in the note, not as an outcome",
        "died_of_progression": "the mortality cell counts deaths from disease progression "
        "(seed 000 Table 4 '#'); kept in the note, not as mortality",
        "swog_criteria": "imaging response by SWOG criteria (seed 000 Table 4 '*')",
        "denominator_pain_patients": "symptom response among patients with pain from osseous "
        "metastases only (seed 000 Table 4 '¥')",
        "n_pnet_lower_bound": "the PNET count is printed as '≥ N'; n_pnet holds N",
        "n_pnet_whole_study": "the PNET count is printed once for all arms of the study (on "
        "its first row, the others blank); it is in the note, not this arm's n_pnet",
        "nr_not_reported": "a cell reads 'nr'/'NR' and the table's footnote defines it as "
        "'not reported': no value recorded",
        "pfs_or_ttp": "the value comes from a column headed 'Median PFS/TTP'",
        "column_shift_corrected": "the printed row is shifted by one column; values were read "
        "into the columns they belong to (see note)",
        "cell_not_recorded": "a printed cell is implausible for its column and was not recorded "
        "(see note)",
        "range_not_recorded": "the source prints a range (or one cell for two arms without "
        "saying which is which); kept in the note, no number recorded",
        "converted_from_years": "the source gives the median in years; recorded in months "
        "(years × 12), the printed value is in the note",
        "derived_orr": "orr_percent is the printed CR plus the printed PR",
        "median_of_studies": "a review's median (or pooled) value across its studies, "
        "not one cohort's result",
        "pooled_estimate": "a meta-analysis' pooled estimate",
        "subgroup_outcome": "the outcome describes a subgroup of the arm (see note)",
        "major_complications_only": "morbidity_percent counts major complications only",
        "combination_therapy": "the arm received the modality together with another treatment "
        "(see note); exclude when pooling the modality alone",
        "cohort_overlap": "the patients overlap another study_key's cohort (see note); "
        "do not pool both",
        "citation_mismatch": "the sentence cites a reference that does not match the study; "
        "the attribution is explained in the note",
        "author_not_in_source": "the source does not name the first author; the attribution "
        "is explained in the note",
        "year_not_in_source": "the source does not give the year; its basis is in the note",
        "year_unknown": "no source gives the year and none could be verified: year is null "
        "and the study key reads 'nd'",
        "text_table_discrepancy": "the seed's running text disagrees with its own table for "
        "this study (see note)",
        "liver_transplant_unspecified_criteria": "liver transplantation without stated "
        "selection criteria (modality 'other')",
        "not_nelm_cohort": "the cited study is not a series of patients with neuroendocrine "
        "liver metastases (see note: locally advanced or non-metastatic tumours, or "
        "non-neuroendocrine metastases); listed, never pooled or drawn",
        "simulation_study": "the reference describes a simulation study, so the figures may "
        "be modelled rather than observed (see note); listed, never pooled or drawn",
        "os_probably_dfs": "the overall-survival figures repeat the disease-free ones and the "
        "study is about disease-free survival (see note); the OS figures are set aside",
        "response_subset": "the response figures describe only the patients with imaging "
        "follow-up, fewer than n (see note); set aside for response outcomes",
        "repeat_resection": "resection of recurrent liver metastases after an earlier "
        "hepatectomy; kept out of the (first) liver-resection pools and curves",
        "selected_subgroup": "the arm is a subgroup of the study's patients selected by a "
        "prognostic factor (see note); its survival is that subgroup's, not the modality's",
        "later_analysis": "the figures come from a later analysis (data cut) of the study "
        "than the source of the arm's patient count (see note); a count taken from that "
        "source belongs to the earlier analysis",
        "ambiguous_percent": "the sentence's percentage may describe the degree of an effect "
        "rather than the share of patients (see note); never pooled as a proportion",
        "response_sum_over_100": "the printed response shares (CR+PR, SD, PD) add up to more "
        "than 100% beyond rounding, so at least one is wrong; kept as printed, set aside "
        "for response outcomes",
        "n_superseded": "the printed patient count is contradicted by another source and the "
        "reference title; statistics use the other source's count (see note)",
    }
)

NOT_REACHED: Final = "not reached"
"""How ``conflicts`` shows an outcome that a source reports as not reached."""

# <author>-<year>-<arm>; "nd" ("no date") stands for the year when no source gives one.
_KEY_RE: Final = re.compile(
    r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*-(?:\d{4}|nd)-[a-z0-9]+(?:-[a-z0-9]+)*$"
)
_REQUIRED: Final = (
    "id",
    "study_key",
    "author",
    "year",
    "arm",
    "modality",
    "design",
    "population",
    "n",
    "source",
)
_OPTIONAL: Final = (
    "n_pnet",
    "outcomes",
    "not_reached",
    "flags",
    "note",
    "quote",
    "follow_up_months",
)


@dataclass(frozen=True, slots=True)
class EvidenceRecord:
    """One study arm as one source reports it (evidence-v1.md)."""

    id: str
    study_key: str
    author: str
    year: int | None  # None only with the flag year_unknown
    arm: str
    modality: str
    design: str
    population: str
    n: int | None
    n_pnet: int | None
    outcomes: Mapping[str, float]
    not_reached: tuple[str, ...]
    flags: tuple[str, ...]
    source: Mapping[str, str]
    note: str | None = None
    quote: str | None = None
    follow_up_months: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """Contract field names, the outcomes flattened into top-level keys."""
        doc: dict[str, Any] = {
            "id": self.id,
            "study_key": self.study_key,
            "author": self.author,
            "year": self.year,
            "arm": self.arm,
            "modality": self.modality,
            "design": self.design,
            "population": self.population,
            "n": self.n,
            "n_pnet": self.n_pnet,
        }
        for name in OUTCOMES:
            if name in self.outcomes:
                doc[name] = self.outcomes[name]
        doc["not_reached"] = list(self.not_reached)
        doc["flags"] = list(self.flags)
        doc["source"] = dict(self.source)
        doc["note"] = self.note
        doc["quote"] = self.quote
        doc["follow_up_months"] = self.follow_up_months
        return doc


@dataclass(frozen=True)
class Conflict:
    """Records of one study arm that disagree on one field: ``(record id, value)`` each."""

    study_key: str
    field: str
    values: tuple[tuple[str, object], ...]


# --- loading ---------------------------------------------------------------------------


def _record_files() -> list[tuple[str, str]]:
    root = resources.files("nelm.evidence") / "data" / "records"
    files = [
        (child.name, child.read_text(encoding="utf-8"))
        for child in root.iterdir()
        if child.name.endswith(".yaml")
    ]
    return sorted(files)


@cache
def load_records() -> tuple[EvidenceRecord, ...]:
    """Every packaged record, validated; ``KnowledgeBaseError`` if a file is malformed."""
    records: list[EvidenceRecord] = []
    seen: dict[str, str] = {}
    files = _record_files()
    if not files:
        raise KnowledgeBaseError("evidence records: no data files found")
    for name, text in files:
        try:
            doc = load_yaml(text)
        except yaml.YAMLError as exc:
            raise KnowledgeBaseError(f"evidence records {name}: not valid YAML: {exc}") from exc
        if not isinstance(doc, list):
            raise KnowledgeBaseError(f"evidence records {name}: expected a list of records")
        for index, raw in enumerate(doc, start=1):
            where = f"evidence records {name}, record {index}"
            try:
                record = _parse(raw)
            except (TypeError, ValueError) as exc:
                raise KnowledgeBaseError(f"{where}: {exc}") from exc
            if record.id in seen:
                raise KnowledgeBaseError(
                    f"{where}: id {record.id!r} already used in {seen[record.id]}"
                )
            seen[record.id] = name
            records.append(record)
    return tuple(records)


def _parse(raw: object) -> EvidenceRecord:
    if not isinstance(raw, dict):
        raise TypeError("a record must be a mapping")
    unknown = sorted(set(raw) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(map(str, unknown))}")
    missing = [key for key in _REQUIRED if key not in raw]
    if missing:
        raise ValueError(f"missing field(s) {', '.join(missing)}")

    study_key = _text(raw, "study_key")
    if not _KEY_RE.match(study_key):
        raise ValueError(f"study_key {study_key!r} is not <author>-<year>-<arm slug> in lower case")
    source = _source(raw["source"])
    record_id = _text(raw, "id")
    if not record_id.startswith(f"{study_key}@{source['seed']}-") or not re.fullmatch(
        r"[a-z0-9-]+", record_id.split("@", 1)[1]
    ):
        raise ValueError(f"id {record_id!r} must read {study_key}@{source['seed']}-<locator>")

    year = raw["year"]
    unknown_year = "year_unknown" in (raw.get("flags") or ())
    if year is None:
        if not unknown_year or "-nd-" not in f"{study_key}-":
            raise ValueError(
                f"{record_id}: a null year needs the flag year_unknown and 'nd' in the study key"
            )
    elif isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:
        raise ValueError(f"{record_id}: year must be a four-digit integer, got {year!r}")
    modality = _choice(raw, "modality", MODALITIES)
    design = _choice(raw, "design", DESIGNS)
    population = _choice(raw, "population", POPULATIONS)
    n = _count(raw, "n", minimum=1)
    n_pnet = _count(raw, "n_pnet", minimum=0)
    if n is not None and n_pnet is not None and n_pnet > n:
        raise ValueError(f"{record_id}: n_pnet {n_pnet} exceeds n {n}")

    outcomes = _outcomes(raw.get("outcomes") or {}, record_id)
    not_reached = _names(raw, "not_reached", OUTCOMES)
    both = sorted(set(not_reached) & set(outcomes))
    if both:
        raise ValueError(f"{record_id}: {', '.join(both)} both not reached and a number")
    flags = _names(raw, "flags", tuple(FLAGS))

    note = _optional_text(raw, "note")
    quote = _optional_text(raw, "quote")
    # Text-derived records carry the sentence they come from, so that a reader can find it.
    if source["locator"].startswith("§") and quote is None:
        raise ValueError(f"{record_id}: a record from running text needs its quote")
    follow_up = raw.get("follow_up_months")
    if follow_up is not None:
        follow_up = _number(follow_up, f"{record_id}: follow_up_months")
        if follow_up <= 0:
            raise ValueError(f"{record_id}: follow_up_months must be positive")

    return EvidenceRecord(
        id=record_id,
        study_key=study_key,
        author=_text(raw, "author"),
        year=year,
        arm=_text(raw, "arm"),
        modality=modality,
        design=design,
        population=population,
        n=n,
        n_pnet=n_pnet,
        outcomes=MappingProxyType(outcomes),
        not_reached=not_reached,
        flags=flags,
        source=MappingProxyType(source),
        note=note,
        quote=quote,
        follow_up_months=follow_up,
    )


def _text(raw: Mapping[str, Any], key: str) -> str:
    value = raw[key]
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key} must be non-empty text, got {value!r}")
    return value.strip()


def _optional_text(raw: Mapping[str, Any], key: str) -> str | None:
    if raw.get(key) is None:
        return None
    return _text(raw, key)


def _choice(raw: Mapping[str, Any], key: str, allowed: tuple[str, ...]) -> str:
    value = _text(raw, key)
    if value not in allowed:
        raise ValueError(f"{key} {value!r} is not one of {', '.join(allowed)}")
    return value


def _count(raw: Mapping[str, Any], key: str, *, minimum: int) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{key} must be an integer ≥ {minimum} or null, got {value!r}")
    return value


def _number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise ValueError(f"{what} must be a number, got {value!r}")
    return float(value)


def _outcomes(raw: object, record_id: str) -> dict[str, float]:
    if not isinstance(raw, dict):
        raise TypeError(f"{record_id}: outcomes must be a mapping")
    outcomes: dict[str, float] = {}
    for name, value in raw.items():
        if name not in OUTCOMES:
            raise ValueError(f"{record_id}: unknown outcome {name!r}")
        number = _number(value, f"{record_id}: {name}")
        if name.endswith("_percent") and not 0 <= number <= 100:
            raise ValueError(f"{record_id}: {name} {number:g} is not a percentage")
        if name.endswith("_months") and number <= 0:
            raise ValueError(f"{record_id}: {name} {number:g} must be positive")
        outcomes[name] = number
    # Contract order, whatever order the file used, so that output is stable.
    return {name: outcomes[name] for name in OUTCOMES if name in outcomes}


def _names(raw: Mapping[str, Any], key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    value = raw.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{key} must be a list of names")
    unknown = [v for v in value if v not in allowed]
    if unknown:
        raise ValueError(f"{key}: unknown {', '.join(unknown)}")
    if len(set(value)) != len(value):
        raise ValueError(f"{key}: duplicated entries")
    return tuple(value)


def _source(raw: object) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise TypeError("source must be a mapping with seed and locator")
    source = {str(k): v for k, v in raw.items()}
    if not all(isinstance(v, str) and v.strip() for v in source.values()):
        raise ValueError("source values must be non-empty text")
    if source.get("seed") not in SEEDS:
        raise ValueError(
            f"source.seed must be one of {', '.join(SEEDS)}, got {source.get('seed')!r}"
        )
    if "locator" not in source:
        raise ValueError("source.locator is missing")
    return source


@dataclass(frozen=True, slots=True)
class SeedStatement:
    """What a seed review says about a modality across several studies (a range or a
    summary that no study record holds), shown as a caution beside its statistics."""

    modality: str
    outcomes: tuple[str, ...]
    source: Mapping[str, str]
    quote: str
    text: str


@cache
def seed_statements() -> tuple[SeedStatement, ...]:
    """Every statement of ``data/statements.yaml``, validated (``KnowledgeBaseError``)."""
    path = resources.files("nelm.evidence") / "data" / "statements.yaml"
    try:
        doc = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"seed statements: not valid YAML: {exc}") from exc
    if not isinstance(doc, list):
        raise KnowledgeBaseError("seed statements: expected a list")
    statements: list[SeedStatement] = []
    for index, raw in enumerate(doc, start=1):
        try:
            if not isinstance(raw, dict):
                raise TypeError("a statement must be a mapping")
            unknown = sorted(set(raw) - {"modality", "outcomes", "source", "quote", "text"})
            if unknown:
                raise ValueError(f"unknown field(s) {', '.join(map(str, unknown))}")
            statements.append(
                SeedStatement(
                    modality=_choice(raw, "modality", MODALITIES),
                    outcomes=_names(raw, "outcomes", OUTCOMES),
                    source=MappingProxyType(_source(raw.get("source"))),
                    quote=_text(raw, "quote"),
                    text=_text(raw, "text"),
                )
            )
        except (TypeError, ValueError, KeyError) as exc:
            raise KnowledgeBaseError(f"seed statements, entry {index}: {exc}") from exc
    return tuple(statements)


# --- queries ---------------------------------------------------------------------------


def source_text(source: Mapping[str, Any]) -> str:
    """``seed 000, Table 1`` (or the citation of a non-seed source), for people to read."""
    seed = source.get("seed")
    locator = source.get("locator", "")
    if seed:
        return f"seed {seed}, {locator}" if locator else f"seed {seed}"
    citation = source.get("citation") or source.get("reference") or ""
    return ", ".join(str(p) for p in (citation, locator) if p) or "source not stated"


def year_text(record: EvidenceRecord) -> str:
    """The year as people read it: ``2003``, or ``n.d.`` when no source gives one."""
    return "n.d." if record.year is None else str(record.year)


def arm_label(record: EvidenceRecord) -> str:
    """``Sarmiento 2003`` or ``Mayo 2011 · Surgery`` (``Elias n.d.`` without a year)."""
    label = f"{record.author} {year_text(record)}"
    return label if record.arm in ("", "all") else f"{label} · {record.arm}"


def outcome_text(record: EvidenceRecord, name: str) -> str | None:
    """An outcome as its source prints it: ``81`` (not ``81.0``), ``67.54``, ``not reached``
    for a median the source gives as not reached (000 Table 4: "nr"); None when the source
    gives nothing, so that a table does not show "not reached" as missing."""
    if name in record.not_reached:
        return NOT_REACHED
    value = record.outcomes.get(name)
    return None if value is None else f"{value:g}"


def records_for(
    modality: str | None = None, outcome: str | None = None
) -> tuple[EvidenceRecord, ...]:
    """Records of one modality and/or with a number for one outcome, in file order.

    A record that reports ``outcome`` as not reached has no number for it and is left out
    (it is in ``load_records()``). Unknown names are rejected with ``InputRejected``.
    """
    problems: list[Problem] = []
    if modality is not None and modality not in MODALITIES:
        problems.append(Problem("modality", f"must be one of {', '.join(MODALITIES)}", modality))
    if outcome is not None and outcome not in OUTCOMES:
        problems.append(Problem("outcome", f"must be one of {', '.join(OUTCOMES)}", outcome))
    if problems:
        raise InputRejected(problems)
    return tuple(
        r
        for r in load_records()
        if (modality is None or r.modality == modality)
        and (outcome is None or outcome in r.outcomes)
    )


def conflicts(records: Iterable[EvidenceRecord] | None = None) -> tuple[Conflict, ...]:
    """Where records sharing a ``study_key`` disagree on n, year or an outcome.

    Only values a source states are compared (a field one source leaves out is not a
    disagreement). "Not reached" counts as a value, so a number against "not reached" is
    shown. Sorted by study key, then n, year and the outcomes in contract order.
    """
    pool = load_records() if records is None else tuple(records)
    by_key: dict[str, list[EvidenceRecord]] = {}
    for record in pool:
        by_key.setdefault(record.study_key, []).append(record)
    found: list[Conflict] = []
    for key in sorted(by_key):
        group = by_key[key]
        if len(group) < 2:
            continue
        for name in ("n", "year", *OUTCOMES):
            values: list[tuple[str, object]] = []
            for record in group:
                value = _field_value(record, name)
                if value is not None:
                    values.append((record.id, value))
            if len({_comparable(v) for _, v in values}) > 1:
                found.append(Conflict(study_key=key, field=name, values=tuple(values)))
    return tuple(found)


def _field_value(record: EvidenceRecord, name: str) -> object:
    if name == "n":
        return record.n
    if name == "year":
        return record.year
    if name in record.not_reached:
        return NOT_REACHED
    return record.outcomes.get(name)


def _comparable(value: object) -> object:
    # 50 and 50.0 are the same number; "not reached" stays text.
    return float(value) if isinstance(value, int | float) else value
