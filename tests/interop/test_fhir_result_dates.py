"""A result with no effective[x] of its own takes the time of the report or panel that
lists it, as a result contained in a report does.

FHIR R4 DiagnosticReport.effective[x]: "The time or time-period the observed values are
related to. When the subject of the report is a patient, this is usually either the time
of the procedure or of specimen collection(s)" — the clinically relevant time of the
report, and so of the results it lists in ``result``
(https://hl7.org/fhir/R4/diagnosticreport-definitions.html#DiagnosticReport.effective_x_).
A panel Observation lists its members in ``hasMember`` (FHIR R4 Observation.hasMember,
https://hl7.org/fhir/R4/observation.html#obsgrouping "Observation Grouping"); HL7's own
example diagnosticreport-example-ghp (HL7/fhir source/diagnosticreport) dates its report
and its panels (effectiveDateTime 2015-08-16T06:40:17Z) and none of the panels' members.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from nelm.interop.fhir import FhirMapping, bundle_to_case
from nelm.interop.fhir.synthetic import bundle_of, observation_resource, patient_resource, quantity

LOINC = "http://loinc.org"
DAY = dt.date(2025, 1, 15)
REPORT_DAY, PANEL_DAY, OWN_DAY = "2025-01-10", "2025-01-09", "2025-01-05"


def _albumin(**extra: Any) -> dict[str, Any]:
    # LOINC 1751-7 Albumin [Mass/volume] in Serum or Plasma
    return observation_resource(
        "alb", LOINC, "1751-7", valueQuantity=quantity(4.1, "g/dL"), **extra
    )


def _report(results: list[str], **extra: Any) -> dict[str, Any]:
    report = {
        "resourceType": "DiagnosticReport",
        "id": "lab",
        "status": "final",
        "code": {"text": "Chemistry"},
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": REPORT_DAY,
        "result": [{"reference": r} for r in results],
    }
    return {**report, **extra}


def _panel(members: list[str], **extra: Any) -> dict[str, Any]:
    # LOINC 24323-8 Comprehensive metabolic 2000 panel - Serum or Plasma (the GHP example's
    # chemistry panel): a code no rule reads, so the panel itself is not read
    panel = observation_resource("panel", LOINC, "24323-8", subject=None, effective=PANEL_DAY)
    return {**panel, "hasMember": [{"reference": m} for m in members], **extra}


def _map(*resources: dict[str, Any], on: dt.date = DAY) -> FhirMapping:
    return bundle_to_case(bundle_of(patient_resource("p"), *resources), assessment_date=on)


def test_a_result_takes_the_time_of_the_report_listing_it() -> None:
    mapping = _map(_albumin(), _report(["Observation/alb"]))
    assert mapping.result_dates == {"labs.albumin_g_dl": REPORT_DAY}
    assert mapping.undated_results == ()
    assert any(
        n.startswith("dated by the DiagnosticReport that lists it in result") for n in mapping.notes
    )


def test_the_report_s_time_outranks_the_result_s_issued() -> None:
    # DiagnosticReport.effective[x] is the clinically relevant time; Observation.issued is
    # "the date and time this version of the observation was made available"
    mapping = _map(_albumin(issued="2025-01-12T09:00:00Z"), _report(["Observation/alb"]))
    assert mapping.result_dates == {"labs.albumin_g_dl": REPORT_DAY}


def test_a_member_takes_the_time_of_its_panel() -> None:
    mapping = _map(_albumin(), _panel(["Observation/alb"]))
    assert mapping.result_dates == {"labs.albumin_g_dl": PANEL_DAY}
    assert any(n.startswith("dated by the panel Observation") for n in mapping.notes)


def test_a_report_dates_an_undated_panel_and_so_its_members() -> None:
    panel = _panel(["Observation/alb"])
    del panel["effectiveDateTime"]
    mapping = _map(_albumin(), panel, _report(["Observation/panel"]))
    assert mapping.result_dates == {"labs.albumin_g_dl": REPORT_DAY}


def test_a_result_s_own_time_is_kept() -> None:
    mapping = _map(_albumin(effective=OWN_DAY), _report(["Observation/alb"]))
    assert mapping.result_dates == {"labs.albumin_g_dl": OWN_DAY}
    assert not any("dated by" in n for n in mapping.notes)


def test_a_period_is_handed_on_as_the_report_gives_it() -> None:
    period = {"start": "2025-01-08", "end": "2025-01-10"}
    report = _report(["Observation/alb"])
    del report["effectiveDateTime"]
    handed = _map(_albumin(), {**report, "effectivePeriod": period})
    own = _map(_albumin(effectivePeriod=period))
    assert handed.result_dates == own.result_dates != {}


def test_two_parents_giving_different_times_leave_the_result_undated() -> None:
    mapping = _map(_albumin(), _report(["Observation/alb"]), _panel(["Observation/alb"]))
    assert mapping.result_dates == {}
    assert mapping.undated_results == ("labs.albumin_g_dl",)
    assert any(n.startswith("not dated by the report or panel") for n in mapping.notes)


def test_a_report_set_aside_gives_no_time() -> None:
    # v3-Confidentiality V sets a resource aside (docs/fhir-mapping.md, "Security labels"),
    # a modifierExtension too (FHIR R4 §2.13): nothing of it is read, its time neither
    very_restricted = {
        "security": [
            {"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "V"}
        ]
    }
    modifier = [{"url": "https://example.org/not-understood", "valueBoolean": True}]
    for report in (
        _report(["Observation/alb"], meta=very_restricted),
        _report(["Observation/alb"], modifierExtension=modifier),
        _panel(["Observation/alb"], meta=very_restricted),
    ):
        mapping = _map(_albumin(), report)
        assert mapping.undated_results == ("labs.albumin_g_dl",), report["resourceType"]


def test_a_report_about_another_patient_dates_none_of_this_one_s_results() -> None:
    # FHIR R4 DiagnosticReport.subject: "The subject of the report": its time is that of
    # another patient's results, directly or through a panel that names no subject
    other = {"reference": "Patient/q"}
    mapping = _map(_albumin(), _report(["Observation/alb"], subject=other))
    assert mapping.undated_results == ("labs.albumin_g_dl",)
    panel = _panel(["Observation/alb"])
    del panel["effectiveDateTime"]
    mapping = _map(_albumin(), panel, _report(["Observation/panel"], subject=other))
    assert mapping.undated_results == ("labs.albumin_g_dl",)


def test_hl7_s_general_health_profile_example_dates_its_panel_members() -> None:
    # diagnosticreport-example-ghp, cut to one result: the report and its panel p2
    # (LOINC 58410-2 CBC panel - Blood by Automated count, no subject) dated
    # 2015-08-16T06:40:17Z; the member r1 (LOINC 718-7 Hemoglobin [Mass/volume] in Blood,
    # 176 g/L) has no effective[x] and no issued.
    stamp = "2015-08-16T06:40:17Z"
    report = {
        "resourceType": "DiagnosticReport",
        "id": "ghp",
        "status": "final",
        "code": {"coding": [{"system": "http://acme.com/labs/reports", "code": "GHP"}]},
        "subject": {"reference": "Patient/pat2"},
        "effectiveDateTime": stamp,
        "issued": "2015-08-17T06:40:17Z",
        "result": [{"reference": "Observation/p2"}],
    }
    panel = observation_resource("p2", LOINC, "58410-2", subject=None, effective=stamp)
    panel["hasMember"] = [{"reference": "Observation/r1"}]
    member = observation_resource(
        "r1", LOINC, "718-7", subject="Patient/pat2", valueQuantity=quantity(176, "g/L")
    )
    bundle = bundle_of(report, panel, member)
    mapping = bundle_to_case(bundle, assessment_date=dt.date(2015, 9, 1))
    assert mapping.result_dates == {"labs.hemoglobin_g_dl": "2015-08-16"}
    assert mapping.undated_results == ()
