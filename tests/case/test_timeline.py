"""The timeline: dated events and the case fields they settle (docs/case-v1-additions.md).

Months are completed calendar months and the tenths of the next one completed, rounded down:
2020-01-01 → 2021-01-01 is 12.0 months; 2020-01-01 → 2020-07-01 is 6.0 months, and so is
2021-01-01 → 2021-07-01 (181 days, not 182).
"""

from __future__ import annotations

from typing import Any

import pytest

from nelm.case import case_from_mapping
from nelm.errors import InputRejected
from nelm.service import assess_mapping


def _case(timeline: dict[str, Any], **sections: Any) -> Any:
    return case_from_mapping({"case_id": "t", "timeline": timeline, **sections})


def test_months_since_the_primary_resection_follow_from_its_date() -> None:
    case = _case({"as_of": "2021-01-01", "primary_resection": "2020-01-01"})
    assert case.values["primary.resected"] is True
    assert case.values["primary.months_since_primary_resection"] == 12.0
    assert set(case.from_timeline) == {"primary.resected", "primary.months_since_primary_resection"}


def test_progression_during_an_ssa_line_is_progression_on_ssa() -> None:
    within = _case(
        {
            "as_of": "2021-01-01",
            "treatments": [
                {
                    "treatment": "ssa",
                    "start": "2020-01-01",
                    "stop": "2020-09-01",
                    "progression": "2020-07-01",
                }
            ],
        }
    )
    assert within.values["course.progressed_on_ssa"] is True
    after = _case(
        {
            "as_of": "2021-01-01",
            "treatments": [
                {"treatment": "ssa", "start": "2020-01-01", "stop": "2020-03-01"},
                {"treatment": "everolimus", "start": "2020-03-01", "progression": "2020-07-01"},
            ],
        }
    )
    # A timeline may be incomplete: no progression on SSA is never read as "did not progress".
    assert "course.progressed_on_ssa" not in after.values


def test_stable_disease_since_the_last_progression_is_a_lower_bound() -> None:
    case = _case(
        {
            "as_of": "2021-01-01",
            "scans": [
                {"date": "2020-01-01", "finding": "progression"},
                {"date": "2020-07-01", "finding": "stable"},
            ],
        }
    )
    assert case.values["course.months_stable_at_least"] == 6.0
    assert "course.months_stable" not in case.values
    latest_progression = _case(
        {
            "as_of": "2021-01-01",
            "scans": [
                {"date": "2020-01-01", "finding": "stable"},
                {"date": "2020-07-01", "finding": "progression"},
            ],
        }
    )
    assert latest_progression.values["course.months_stable"] == 0


def test_six_months_of_stability_from_the_timeline_meet_the_enets_criterion() -> None:
    """ENETS transplant asks stable disease for at least 6 months (001 Table 2)."""
    doc = {
        "case_id": "t",
        "course": {"status": "stable"},
        "timeline": {
            "as_of": "2020-07-01",
            "scans": [
                {"date": "2020-01-01", "finding": "progression"},
                {"date": "2020-07-01", "finding": "stable"},
            ],
        },
    }
    criteria = {
        c["id"]: c["result"]
        for c in assess_mapping(doc, with_evidence=False)["options"]["liver_transplant_enets"][
            "criteria"
        ]
    }
    assert criteria["liver_transplant_enets.stable"] == "met"


def test_the_latest_finding_gives_the_course_status() -> None:
    """A latest dated finding of progression is progressive disease, as the targeted drugs
    ask ("Progressive disease": everolimus, RADIANT-3/4, 004 §3.4); a latest finding of stable
    disease is not progressing (ENETS transplant: stable disease, 001 Table 2)."""
    progressing = {
        "case_id": "t",
        "pathology": {"ki67_percent": 8, "mitoses_per_2mm2": 3, "differentiation": "well"},
        "primary": {"site": "pancreas"},
        "timeline": {
            "as_of": "2021-01-01",
            "scans": [
                {"date": "2020-01-01", "finding": "stable"},
                {"date": "2020-12-01", "finding": "progression"},
            ],
        },
    }
    assert case_from_mapping(progressing).values["course.status"] == "progressing"
    criteria = {
        c["id"]: c["result"]
        for c in assess_mapping(progressing, with_evidence=False)["options"]["everolimus"][
            "criteria"
        ]
    }
    assert criteria["everolimus.progressing"] == "met"
    stable = _case(
        {
            "as_of": "2021-01-01",
            "scans": [
                {"date": "2020-01-01", "finding": "progression"},
                {"date": "2020-12-01", "finding": "response"},
            ],
        }
    )
    assert stable.values["course.status"] == "stable"
    assert "course.status" in stable.from_timeline


def test_a_progression_outweighs_a_stable_scan_of_the_same_day() -> None:
    case = _case(
        {
            "as_of": "2021-01-01",
            "scans": [
                {"date": "2020-12-01", "finding": "progression"},
                {"date": "2020-12-01", "finding": "stable"},
            ],
        }
    )
    assert case.values["course.status"] == "progressing"
    assert case.values["course.months_stable"] == 0


def test_the_treatment_lines_are_the_prior_treatments() -> None:
    """A line of the timeline is a treatment given. PRRT given before gets the "given
    before" caution, and counts as a prior systemic line: cabozantinib's "at least one prior
    systemic therapy" (004 §3.4; CABINET) is met."""
    doc = {
        "case_id": "t",
        "pathology": {"ki67_percent": 12, "mitoses_per_2mm2": 4, "differentiation": "well"},
        "primary": {"site": "pancreas"},
        "timeline": {
            "as_of": "2026-11-20",
            "treatments": [
                {"treatment": "ssa", "start": "2021-03-01", "progression": "2023-04-10"},
                {"treatment": "prrt", "start": "2023-06-01", "stop": "2023-12-01"},
                {"treatment": "ssa", "start": "2024-01-01"},
            ],
            "scans": [{"date": "2026-10-30", "finding": "progression"}],
        },
    }
    case = case_from_mapping(doc)
    assert case.values["course.prior_treatments"] == ("ssa", "prrt")
    result = assess_mapping(doc, with_evidence=False)
    assert result["options"]["prrt"]["given_before"] is True
    cabozantinib = {c["id"]: c for c in result["options"]["cabozantinib"]["criteria"]}
    assert cabozantinib["cabozantinib.prior_therapy"]["result"] == "met"
    progressing = cabozantinib["cabozantinib.progressing"]
    assert progressing["value"] == "Disease course: progressing (from the timeline)"
    # A typed list is kept; a treatment it leaves out is reported.
    typed = case_from_mapping({**doc, "course": {"prior_treatments": ["ssa"]}})
    assert typed.values["course.prior_treatments"] == ("ssa",)
    assert typed.timeline_conflicts == (
        "course.prior_treatments lists ssa but the timeline also gives prrt",
    )
    warnings = assess_mapping(
        {**doc, "course": {"prior_treatments": ["ssa"]}}, with_evidence=False
    )["warnings"]
    assert (
        "course.prior_treatments lists ssa but the timeline also gives prrt (timeline): the "
        "list may be incomplete." in warnings
    )


def test_a_typed_rapid_progression_agrees_with_a_progression_in_the_timeline() -> None:
    timeline = {"as_of": "2021-01-01", "scans": [{"date": "2020-12-01", "finding": "progression"}]}
    rapid = _case(timeline, course={"status": "rapidly_progressing"})
    assert rapid.timeline_conflicts == ()
    assert rapid.values["course.status"] == "rapidly_progressing"
    stable = _case(timeline, course={"status": "stable"})
    assert stable.values["course.status"] == "stable"  # the typed value is kept
    assert stable.timeline_conflicts == (
        'course.status is "stable" but the latest dated finding of the timeline (2020-12-01) '
        "is a progression",
    )


def test_a_typed_value_is_kept_and_a_contradiction_reported() -> None:
    doc = {
        "case_id": "t",
        "course": {"progressed_on_ssa": False},
        "primary": {"months_since_primary_resection": 3},
        "timeline": {
            "as_of": "2021-01-01",
            "primary_resection": "2020-01-01",
            "treatments": [
                {"treatment": "ssa", "start": "2020-01-01", "progression": "2020-07-01"}
            ],
        },
    }
    case = case_from_mapping(doc)
    assert case.values["course.progressed_on_ssa"] is False
    assert case.values["primary.months_since_primary_resection"] == 3
    assert len(case.timeline_conflicts) == 2
    warnings = assess_mapping(doc, with_evidence=False)["warnings"]
    assert any("course.progressed_on_ssa" in w and "timeline" in w for w in warnings)


def test_a_typed_value_the_timeline_agrees_with_is_no_conflict() -> None:
    case = _case(
        {"as_of": "2021-01-01", "primary_resection": "2020-01-01"},
        primary={"months_since_primary_resection": 12.5},
    )
    assert case.timeline_conflicts == ()
    assert "primary.months_since_primary_resection" not in case.from_timeline


def test_the_document_gives_back_the_timeline_not_what_it_derived() -> None:
    doc = {"case_id": "t", "timeline": {"as_of": "2021-01-01", "primary_resection": "2020-01-01"}}
    case = case_from_mapping(doc)
    again = case.to_document()
    assert "primary" not in again
    assert again["timeline"] == doc["timeline"]
    assert case_from_mapping(again).values == case.values


@pytest.mark.parametrize(
    ("timeline", "path"),
    [
        ({}, "timeline.as_of"),
        ({"as_of": "01/02/2020"}, "timeline.as_of"),
        ({"as_of": "2020-01-01", "diagnosis": "2021-01-01"}, "timeline.as_of"),
        (
            {"as_of": "2021-01-01", "treatments": [{"treatment": "chemo", "start": "2020-01-01"}]},
            "timeline.treatments[0].treatment",
        ),
        (
            {
                "as_of": "2021-01-01",
                "treatments": [{"treatment": "ssa", "start": "2020-06-01", "stop": "2020-01-01"}],
            },
            "timeline.treatments[0].stop",
        ),
        (
            {"as_of": "2021-01-01", "scans": [{"date": "2020-01-01", "finding": "better"}]},
            "timeline.scans[0].finding",
        ),
        ({"as_of": "2021-01-01", "visits": []}, "timeline.visits"),
    ],
)
def test_a_wrong_timeline_is_rejected_naming_the_field(timeline: dict[str, Any], path: str) -> None:
    with pytest.raises(InputRejected) as caught:
        _case(timeline)
    assert path in [p.path for p in caught.value.problems]


def test_a_conflict_shows_the_typed_value_as_entered() -> None:
    """Typed '3 years' (36 months) against a resection five years before the as-of date."""
    case = _case(
        {"as_of": "2025-01-01", "primary_resection": "2020-01-01"},
        primary={"months_since_primary_resection": {"value": 3, "unit": "years"}},
    )
    assert case.timeline_conflicts == (
        "primary.months_since_primary_resection is 3 years (36 months) but the timeline gives 60",
    )
    # a year entered as 5 years agrees with the timeline's 60 months
    agreeing = _case(
        {"as_of": "2025-01-01", "primary_resection": "2020-01-01"},
        primary={"months_since_primary_resection": {"value": 5, "unit": "years"}},
    )
    assert agreeing.timeline_conflicts == ()


def test_a_number_partly_typed_is_not_said_to_come_from_the_timeline() -> None:
    """The months of stable disease read as an interval: its lower bound from the timeline
    (2020-01-01 → 2020-07-01, 6.0 months), its upper bound typed. The value is then not
    the timeline's alone; the disease course is."""
    doc = {
        "case_id": "t",
        "course": {"months_stable_at_most": 24},
        "timeline": {
            "as_of": "2020-07-01",
            "scans": [
                {"date": "2020-01-01", "finding": "progression"},
                {"date": "2020-07-01", "finding": "stable"},
            ],
        },
    }
    criteria = assess_mapping(doc, with_evidence=False)["options"]["liver_transplant_enets"][
        "criteria"
    ]
    stable = next(c for c in criteria if c["id"] == "liver_transplant_enets.stable")
    assert "Months of stable disease" in stable["value"]
    months = stable["value"].split(";")[0]
    assert "from the timeline" not in months
    assert "Disease course: stable (from the timeline)" in stable["value"]


def test_a_timeline_in_report_words_is_answered_with_the_words_it_takes() -> None:
    """RECIST 1.1 (Eisenhauer 2009): SD is stable disease, PD progressive disease; the
    drug names are those of data/synonyms.yaml. Named, never read in their place."""
    with pytest.raises(InputRejected) as caught:
        _case(
            {
                "as_of": "2024-01-01",
                "treatments": [{"treatment": "lanreotide", "start": "2022-01-01"}],
                "scans": [
                    {"date": "2023-06-01", "finding": "PD"},
                    {"date": "2023-09-01", "finding": "stable disease"},
                ],
            }
        )
    assert [p.message for p in caught.value.problems] == [
        "timeline.treatments[0].treatment: must be an option id such as ssa or prrt, "
        "other_systemic_therapy or other_liver_directed, got "
        '"lanreotide" (did you mean ssa?)',
        "timeline.scans[0].finding: must be one of response, stable, progression, got "
        '"PD" (did you mean progression?)',
        "timeline.scans[1].finding: must be one of response, stable, progression, got "
        '"stable disease" (did you mean stable?)',
    ]


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        # 12.03.2019 is 12 March (day first, as in Europe) or 3 December (month first, US)
        (
            "12.03.2019",
            "day first or month first? write 2019-03-12 (12 March) or 2019-12-03 (3 December)",
        ),
        # 25 cannot be a month: one reading only
        ("25.03.2019", "write 2019-03-25"),
        ("03/25/2019", "write 2019-03-25"),
        ("2019/3/5", "write 2019-03-05"),
        # February has no 30th
        ("2019-02-30", "no such day"),
        # a report's month alone is no date: never a guessed day
        (
            "March 2019",
            "a month or a year without its day: the timeline takes whole dates; if the "
            "report gives no day, leave the date out and give the months it implies as bounds "
            "(…_at_least and …_at_most)",
        ),
        ("2019-03", "a month or a year without its day"),
    ],
)
def test_a_date_written_otherwise_is_named_and_never_read(written: str, hint: str) -> None:
    with pytest.raises(InputRejected) as caught:
        _case({"as_of": "2024-01-01", "diagnosis": written})
    (problem,) = caught.value.problems
    assert problem.message.startswith(
        f'timeline.diagnosis: must be a date written YYYY-MM-DD, got "{written}" ({hint}'
    ), problem.message


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        ("2021-01-01", "2021-07-01", 6.0),  # 181 days: six calendar months in a common year
        ("2020-01-01", "2020-07-01", 6.0),  # 182 days in a leap year: the same six months
        ("2021-02-01", "2021-08-01", 6.0),
        ("2021-02-01", "2021-07-31", 5.9),  # a day short of six months
        ("2025-08-31", "2026-02-28", 6.0),  # 31 August and six months is the last of February
        ("2021-01-01", "2021-06-30", 5.9),  # 29 of 30 days of the sixth month: not rounded up
    ],
)
def test_months_are_calendar_months_rounded_down(start: str, end: str, months: float) -> None:
    """ENETS asks the primary removed "at least 6 months" before transplantation and stable
    disease "for at least 6 months" (001 Table 2): six calendar months meet it in any year,
    a day less does not."""
    case = _case({"as_of": end, "primary_resection": start})
    assert case.values["primary.months_since_primary_resection"] == months
    scans = _case(
        {
            "as_of": end,
            "scans": [
                {"date": start, "finding": "progression"},
                {"date": end, "finding": "stable"},
            ],
        }
    )
    assert scans.values["course.months_stable_at_least"] == months


@pytest.mark.parametrize(("end", "result"), [("2021-07-01", "met"), ("2021-06-30", "not_met")])
def test_six_calendar_months_after_the_resection_meet_the_enets_criterion(
    end: str, result: str
) -> None:
    """ENETS: "Primary tumor removed prior to OLT (at least 6 months)" (001 Table 2). Resected
    on 1 January 2021 (a common year): 1 July is six months later, 30 June is not."""
    doc = {"case_id": "t", "timeline": {"as_of": end, "primary_resection": "2021-01-01"}}
    options = assess_mapping(doc, with_evidence=False)["options"]
    criteria = {c["id"]: c["result"] for c in options["liver_transplant_enets"]["criteria"]}
    assert criteria["liver_transplant_enets.primary_removed"] == result


def test_a_line_without_an_option_id_is_a_prior_treatment() -> None:
    # case-v1 additions, Prior treatments without an option id: the two values the list
    # takes besides the option ids are lines of a timeline too (SBRT to the liver was
    # answered "did you mean other_liver_directed?" and then refused).
    case = _case(
        {
            "as_of": "2024-01-01",
            "treatments": [
                {"treatment": "other_liver_directed", "start": "2022-03-01"},
                {"treatment": "other_systemic_therapy", "start": "2023-01-01"},
            ],
        }
    )
    assert set(case.values["course.prior_treatments"]) == {
        "other_liver_directed",
        "other_systemic_therapy",
    }
