"""Unknown stays unknown, over every board vignette and published case.

For every vignette (tests/vignettes) and published case (tests/realcases, and the reports of
tests/engine/published_cases.py), and for every field the case gives (a bound pair counts
as one; a timeline entry is one field), the field is removed and the case assessed again.
Option by option (docs/clinical-safety.md; shared/contract/assessment-v1.md "Status
rules": eligible when every required criterion is met, ineligible when any is not met,
otherwise uncertain, and then ``missing`` lists the fields that would decide it):

- a status only moves from eligible or ineligible to uncertain, never between eligible and
  ineligible, never from uncertain to decided;
- an option that moves to uncertain names the removed field (or a field giving the same
  fact, ``SAME_FACT``) in its ``missing``, and ``missing_data`` names the option under it;
- the derived facts only widen (``grade_possible``, ``liver_type_possible``);
- the removal raises nothing, is not refused, and no new warning mentions the removed value.

The reverse, sampled: an uncertain option's listed field, given a value on each side of
every threshold (tests/engine/deciding_values.py), changes that option's status, or changes
one of its open criteria (a field read beside another: tests/engine/test_missing_decides.py).

The fast part runs in tests/vignettes/test_unknown_stays_unknown.py; the whole sweep is
``PYTHONPATH=src .venv/bin/python tools/unknown_sweep.py``.
"""

from __future__ import annotations

import copy
import importlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nelm.case import case_from_mapping
from nelm.errors import InputRejected
from nelm.service import assess_case
from tests.engine import deciding_values as dv

ROOT = Path(__file__).resolve().parents[2]

Document = dict[str, Any]
Case = dict[str, Any]

VIGNETTE_MODULES = (
    "cases_functional_high_grade",
    "cases_messy",
    "cases_plan_order",
    "cases_systemic",
    "liver_directed_prrt_cases",
    "test_extrahepatic_organ_function",
    "test_surgery_transplant",
)
# Keys that name or date the case rather than describe the patient.
NOT_FIELDS = {"schema_version", "case_id", "label", "measured_on", "entered"}

# A removed field whose fact another field (or the timeline) also gives: an option that
# waits on the fact may name that other field (docs/case-v1-additions.md "The timeline";
# the grade read from Ki-67, its bounds or a reported grade, 000 §1).
SAME_FACT: dict[str, frozenset[str]] = {
    "timeline.primary_resection": frozenset(
        {"primary.resected", "primary.months_since_primary_resection"}
    ),
    "timeline.treatments": frozenset(
        {
            "course.prior_treatments",
            "course.progressed_on_ssa",
            "course.status",
            "course.months_stable",
            "course.prior_systemic_lines",
        }
    ),
    "timeline.scans": frozenset({"course.status", "course.months_stable"}),
    "pathology.reported_grade": frozenset(
        {"pathology.ki67_percent", "pathology.mitoses_per_2mm2", "pathology.differentiation"}
    ),
}


@dataclass(frozen=True)
class Violation:
    case: str
    removed: str
    option: str
    kind: str
    detail: str

    def line(self) -> str:
        return f"{self.case} | -{self.removed} | {self.option} | {self.kind} | {self.detail}"


def vignettes() -> Iterator[tuple[str, Case]]:
    """Every board vignette once (the test files re-export the case files' lists)."""
    for module in VIGNETTE_MODULES:
        for v in importlib.import_module(f"tests.vignettes.{module}").VIGNETTES:
            yield f"{module}:{v.name}", {"schema_version": 1, "case_id": v.name, **v.case}


def published() -> Iterator[tuple[str, Case]]:
    """The published case reports: tests/realcases and tests/engine/published_cases.py."""
    for path in sorted((ROOT / "tests" / "realcases").glob("cr*.json")):
        yield f"realcases:{path.stem}", json.loads(path.read_text())["case"]
    from tests.engine.published_cases import PUBLISHED_CASES

    for p in PUBLISHED_CASES:
        yield f"published:{p.name}", {"schema_version": 1, "case_id": p.name, **p.case}


def all_cases() -> list[tuple[str, Case]]:
    return [*vignettes(), *published()]


def field_groups(case: Mapping[str, Any]) -> list[str]:
    """The fields a case gives, by path; a bound pair is one (its number's path); each
    timeline key but the case's date is one."""
    found: list[str] = []
    for section, body in case.items():
        if section in NOT_FIELDS or not isinstance(body, Mapping):
            continue
        for key in body:
            if section == "timeline" and key == "as_of":
                continue
            name = key.removesuffix("_at_least").removesuffix("_at_most")
            path = f"{section}.{name}"
            if path not in found:
                found.append(path)
    return found


def removed(case: Mapping[str, Any], path: str) -> Case:
    """The case without the field (both bounds of a bounded number), and without the date
    of a result it no longer gives (a date for an unknown field is refused by design)."""
    out = copy.deepcopy(dict(case))
    section, name = path.split(".", 1)
    body = out[section]
    for key in (name, f"{name}_at_least", f"{name}_at_most"):
        body.pop(key, None)
        if isinstance(out.get("measured_on"), dict):
            out["measured_on"].pop(f"{section}.{key}", None)
    if not body:
        del out[section]
    if out.get("measured_on") == {}:
        del out["measured_on"]
    return out


def assessed(case: Mapping[str, Any]) -> Document:
    return assess_case(case_from_mapping(dict(case)), with_evidence=False).to_document()


def removed_values(case: Mapping[str, Any], path: str) -> list[str]:
    """The removed values as a warning would write them (numbers and words, not booleans)."""
    section, name = path.split(".", 1)
    body = case.get(section, {})
    out = []
    for key in (name, f"{name}_at_least", f"{name}_at_most"):
        value = body.get(key)
        if isinstance(value, (int, float, str)) and not isinstance(value, bool):
            text = str(value)
            if len(text) >= 2:  # "1" or "0" is in too many sentences to tell
                out.append(text)
    return out


GRADE_FIELDS = frozenset(
    {
        "pathology.ki67_percent",
        "pathology.mitoses_per_2mm2",
        "pathology.differentiation",
        "pathology.reported_grade",
        "pathology.nec_subtype",
    }
)


BOUND_SUFFIXES = ("_at_least", "_at_most", "_more_than", "_less_than")


def accepted_names(path: str, before: Document, after: Document) -> frozenset[str]:
    """The fields an option that waits on the removed fact may name: the field or its
    bounds, a field giving the same fact, a field the removed one implied (it is named in
    ``classification.implied`` before the removal and not after: a new diagnosis implies no
    progression on an SSA and no prior line, docs/assessment-v1-additions.md), and a field
    the assessment names to settle a contradiction (``classification.settle_with``)."""
    # a bound removed ("eGFR < 15"): the options wait on the field itself (its missing
    # entries name the field, not the bound's suffix)
    base = next(
        (path.removesuffix(s) for s in BOUND_SUFFIXES if path.endswith(s)),
        path,
    )
    names = {path, base, *(base + s for s in BOUND_SUFFIXES), *SAME_FACT.get(path, ())}
    implied_after = {i["field"] for i in after["classification"]["implied"]}
    names |= {i["field"] for i in before["classification"]["implied"]} - implied_after
    for fields in after["classification"]["settle_with"].values():
        names |= set(fields)
    return frozenset(names)


def contradicted(path: str, before: Document) -> bool:
    """The removed field is one side of a contradiction the case holds (a reported grade
    against the indices): nelm keeps both readings possible until the board settles it
    (assessment-v1-additions, ``conflicts``), so taking one side away may decide an option
    and narrow the grades; such a case is the board's to correct, not a verdict
    (tests/engine/test_missing_decides.py skips it too)."""
    settle = before["classification"]["settle_with"]
    conflicted = before["classification"]["conflicts"]
    return bool(conflicted) and path in GRADE_FIELDS and "grade" in settle


def newly_open(oid: str, before: Document, after: Document) -> list[str]:
    """The criteria of an option decided before the removal and unknown after it."""
    was = {c["id"]: c["result"] for c in before["options"][oid]["criteria"]}
    return [
        c["id"]
        for c in after["options"][oid]["criteria"]
        if c["result"] == "unknown" and was.get(c["id"], "unknown") != "unknown"
    ]


# A removed value another given field states too, which a warning may name as read from it:
# "small-cell and large-cell NEC are poorly differentiated" (000 §1).
READ_FROM: dict[tuple[str, str], str] = {
    ("pathology.differentiation", "poor"): "pathology.nec_subtype"
}


def read_from_another(case: Mapping[str, Any], path: str, value: str) -> bool:
    other = READ_FROM.get((path, value))
    if other is None:
        return False
    section, name = other.split(".", 1)
    return case.get(section, {}).get(name) is not None


def check_removal(name: str, case: Case, before: Document, path: str) -> list[Violation]:
    out: list[Violation] = []

    def bad(option: str, kind: str, detail: str) -> None:
        out.append(Violation(name, path, option, kind, detail))

    try:
        after = assessed(removed(case, path))
    except InputRejected as exc:
        bad("-", "refused", str(exc)[:200])
        return out
    except Exception as exc:
        # The sweep reports any fault as a violation rather than stopping at the first.
        bad("-", "exception", f"{type(exc).__name__}: {exc}"[:200])
        return out
    names = accepted_names(path, before, after)
    decides = {m["field"]: set(m["decides"]) for m in after["missing_data"]}
    both_sides = contradicted(path, before)
    # A removed field the case then implies (a syndrome stated refractory at a new
    # diagnosis: removed, the untreated diagnosis reads it as not refractory,
    # docs/case-v1-additions.md "Fields the case implies") is not unknown after the
    # removal: what it decides is the documented reading, shown as "not stated; read from".
    implied_now = path in {i["field"] for i in after["classification"]["implied"]}
    for oid, card in before["options"].items():
        was, now = card["status"], after["options"][oid]["status"]
        if was == now or both_sides or implied_now:
            continue
        if was == "uncertain" or now != "uncertain":
            bad(oid, "status", f"{was} -> {now}")
            continue
        if not newly_open(oid, before, after):
            # The removed field made a criterion not met; without it that criterion is
            # decided by the field read after it (a surgeon's assessment before its
            # anatomical proxy, case-v1-additions), and the option waits on criteria that
            # were open before and are listed.
            continue
        listed = names & set(after["options"][oid]["missing"])
        if not listed:
            bad(
                oid, "not listed", f"{was} -> uncertain, missing {after['options'][oid]['missing']}"
            )
        elif not any(oid in decides.get(f, ()) for f in listed):
            bad(oid, "not in missing_data", f"{sorted(listed)}")
    for key in ("grade_possible", "liver_type_possible"):
        old, new = set(before["classification"][key]), set(after["classification"][key])
        if not old <= new and not both_sides:
            bad("-", "narrowed", f"{key} {sorted(old)} -> {sorted(new)}")
    new_warnings = [w for w in after["warnings"] if w not in before["warnings"]]
    for text in removed_values(case, path):
        if read_from_another(case, path, text):
            continue
        for w in new_warnings:
            if text in str(w):
                bad("-", "warning", f"mentions {text!r}: {str(w)[:160]}")
    return out


def sweep_removals(cases: list[tuple[str, Case]]) -> tuple[list[Violation], int]:
    violations: list[Violation] = []
    runs = 0
    for name, case in cases:
        before = assessed(case)
        for path in field_groups(case):
            runs += 1
            violations += check_removal(name, case, before, path)
    return violations, runs


def reverse_pairs(cases: list[tuple[str, Case]]) -> list[tuple[str, Case, str, str]]:
    """Every (case, uncertain option, listed field) of the sweep's cases."""
    pairs = []
    for name, case in cases:
        base = dv.outcome(case)
        if base.options is None or {"grade", "liver_type"} & base.flags:
            continue  # a derived fact its statements contradict: theirs to correct first
        for oid, option in base.options.items():
            if option.status == "uncertain":
                pairs += [(name, case, oid, path) for path in option.missing]
    return pairs


def check_reverse(name: str, case: Case, oid: str, path: str) -> Violation | None:
    """A listed field changes the option's status with some value, or (read beside another
    field of the same criterion) changes one of its open criteria."""
    base = dv.outcome(case)
    assert base.options is not None
    option = base.options[oid]
    for value in dv.domain(path):
        o = dv.outcome(dv.given(case, value), (oid,), allowed=base.flags)
        if o.options is not None and o.options[oid].status != option.status:
            return None
    if dv.can_matter(case, option, path, base.flags):
        return None
    return Violation(name, "(reverse)", oid, "listed, decides nothing", path)


COHORT_FREE = ("timeline", "measured_on", "entered", "label", "schema_version")


def cohort_rows(cases: list[tuple[str, Case]]) -> list[dict[str, Any]]:
    """Every case and every removal of one field, as cohort rows (typed fields only: cohort
    files take no timeline, docs/case-v1-additions.md)."""
    rows = []
    for name, case in cases:
        typed = {k: v for k, v in case.items() if k not in COHORT_FREE}
        variants = [("", typed)]
        variants += [(p, removed(typed, p)) for p in field_groups(typed)]
        for path, variant in variants:
            row: dict[str, Any] = {"case_id": f"{name} -{path}"}
            for section, body in variant.items():
                if isinstance(body, dict):
                    row.update({f"{section}.{k}": v for k, v in body.items()})
            rows.append(row)
    return rows


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return ";".join(value) if isinstance(value, list) else str(value)


def check_cohort(cases: list[tuple[str, Case]]) -> list[Violation]:
    """The polars compiler gives every row of the sweep what the interpreter gives it."""
    import polars as pl

    from nelm.cohort.pipeline import process_chunk
    from nelm.cohort.reference import reference_chunk

    rows = cohort_rows(cases)
    columns = list(dict.fromkeys(c for row in rows for c in row))
    frame = pl.DataFrame(
        {c: [_cell(r.get(c)) for r in rows] for c in columns},
        schema={c: pl.String for c in columns},
    )
    compiled, reference = process_chunk(frame, 1), reference_chunk(frame, 1)
    out: list[Violation] = []
    if compiled.rejects.to_dicts() != reference.rejects.to_dicts():
        out.append(Violation("cohort", "-", "-", "rejects differ", ""))
    for got, want in zip(compiled.output.to_dicts(), reference.output.to_dicts(), strict=True):
        differ = sorted(k for k in got if got[k] != want.get(k))
        if differ:
            case, _, path = str(got["case_id"]).partition(" -")
            detail = "; ".join(f"{k}: {got[k]!r} vs {want.get(k)!r}" for k in differ[:3])
            out.append(Violation(case, path, "-", "cohort differs", detail[:300]))
    return out
