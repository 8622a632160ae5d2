"""What a board reads in the case list and the printed summary: an option still uncertain
on the data given never reads as one nelm found eligible, and what a report does not state
is said to be not known.

The cases are published case reports (shared/real-cases; tests/realcases holds the same
files): what the reports state, nothing more.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi.testclient import TestClient

from nelm.store import Store
from tests.engine.cases import eligible_case
from tests.web.conftest import Site

# cr28 (Burke et al., Can J Gen Intern Med, "Posterior Reversible Encephalopathy Syndrome
# Due To Carcinoid Crisis Complicating Transarterial Chemoembolization for Metastatic
# Carcinoid Tumour"): "A 62-year-old female ... hepatic metastasis of a midgut carcinoid
# tumour". No grade, Ki-67, extent or fitness is stated; every curative option asks for a
# well-differentiated NET G1 or G2 (Xue 2025 §3.1; Nigri 2018, Potentially curative
# surgery), so no option can be eligible on these data.
CR28 = {
    "schema_version": 1,
    "case_id": "cr28-burke-midgut-tace",
    "patient": {"age_years": 62, "sex": "female"},
    "primary": {"site": "midgut"},
}
# cr14 (Exp Clin Transplant 2021;19(1)): a pancreatic insulinoma with hepatic metastases;
# "age, sex, grade, liver extent not in the stored excerpt".
CR14 = {
    "schema_version": 1,
    "case_id": "cr14-ect-insulinoma-ldlt",
    "primary": {"site": "pancreas", "resected": False, "functional_syndrome": "insulinoma"},
}


def _logged_in(site: Site) -> TestClient:
    site.user("dr-clinician", "clinician")
    client = site.client()
    site.login(client, "dr-clinician")
    return client


def _store(site: Site, document: dict[str, object]) -> int:
    store: Store = site.store
    return store.create_case(document, None).id


def _first_step_cell(page: str, case_id: str) -> str:
    row = re.search(
        rf">{re.escape(case_id)}</a>.*?<td data-label=\"First plan step\">(.*?)</td>",
        page,
        re.S,
    )
    assert row is not None, case_id
    return row.group(1)


def test_the_case_list_says_that_the_first_step_is_uncertain(site: Site) -> None:
    _store(site, CR28)
    client = _logged_in(site)
    cell = _first_step_cell(client.get("/").text, "cr28-burke-midgut-tace")
    assert "uncertain" in cell
    # "eligible" alone (not inside "ineligible", never in a plan) would be wrong here
    assert not re.search(r"(?<!in)eligible", cell)


def test_the_case_list_names_an_eligible_first_step_as_eligible(site: Site) -> None:
    # tests/engine/cases.py: a resected G2 pancreatic NET with two unilobar liver
    # metastases, fit, no extrahepatic disease: liver resection eligible (the sources are
    # cited per criterion in tests/engine/test_rules.py)
    _store(site, {"schema_version": 1, **eligible_case("liver_resection"), "case_id": "resect"})
    client = _logged_in(site)
    cell = _first_step_cell(client.get("/").text, "resect")
    assert re.search(r"(?<!in)eligible", cell)


def test_a_summary_of_uncertain_options_only_is_not_a_recommendation(site: Site) -> None:
    pk = _store(site, CR28)
    client = _logged_in(site)
    summary = client.get(f"/cases/{pk}/summary.html").text
    assert "Recommendation" not in summary
    assert "nelm's plan: no option established on the data given, each uncertain" in summary
    resect = _store(
        site, {"schema_version": 1, **eligible_case("liver_resection"), "case_id": "resect"}
    )
    settled = client.get(f"/cases/{resect}/summary.html").text
    assert "no option established" not in settled and "Recommendation" not in settled
    assert "nelm's plan and the alternatives (decision support, not a recommendation)" in settled


def test_a_sex_the_report_does_not_state_is_said_to_be_not_known(site: Site) -> None:
    pk = _store(site, CR14)
    client = _logged_in(site)
    for address in (f"/cases/{pk}", f"/cases/{pk}/summary.html"):
        page = client.get(address).text
        assert "age not known" in page and "sex not known" in page, address


def test_the_printable_documents_are_laid_out_at_a_phone_s_width(site: Site) -> None:
    """Without a viewport a phone lays a page out 980 px wide and shrinks it: the board
    summary and the meeting record (their narrow-screen rules included) were unreadable."""
    pk = _store(site, CR28)
    client = _logged_in(site)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/meetings").text)
    assert csrf is not None
    created = client.post(
        "/meetings",
        data={"csrf_token": csrf.group(1), "held_on": "2026-12-03", "title": "NET board"},
    )
    assert created.status_code == 303
    meeting = created.headers["location"].rsplit("/", 1)[-1]
    viewport = '<meta name="viewport" content="width=device-width, initial-scale=1">'
    for address in (f"/cases/{pk}/summary.html", f"/meetings/{meeting}/record.html"):
        response = client.get(address)
        assert response.status_code == 200 and viewport in response.text, address
    assert (
        "#minutes thead { display: none; }" in client.get(f"/meetings/{meeting}/record.html").text
    )


def test_an_age_known_by_its_bounds_reads_as_a_range(site: Site) -> None:
    # docs/case-v1-additions.md: "a woman in her fifties" is age_years_at_least 50 and
    # age_years_at_most 59; the case page and the summary show the range, the form both
    # bounds to correct
    fifties = {**CR28, "patient": {"age_years_at_least": 50, "age_years_at_most": 59}}
    pk = _store(site, fifties)
    client = _logged_in(site)
    for address in (f"/cases/{pk}", f"/cases/{pk}/summary.html"):
        page = client.get(address).text
        assert "50–59 years" in page and "age not known" not in page, address
    form = client.get(f"/cases/{pk}/edit").text
    for input_id, value in (
        ("f-patient-age-years-at-least", 50),
        ("f-patient-age-years-at-most", 59),
    ):
        assert re.search(rf'id="{input_id}"[^>]*value="{value}"', form), input_id


def test_the_form_says_what_the_age_bounds_are_for(site: Site) -> None:
    # docs/case-v1-additions.md: "a man in his fifties" is age_years_at_least 50 and
    # age_years_at_most 59, for an age not known to the year; the exact age stays empty
    form = _logged_in(site).get("/cases/new").text
    for said in (
        "leave it empty and enter the range below",
        "only when the exact age is not known: the youngest it can be (“in her fifties”: 50)",
        "only when the exact age is not known: the oldest it can be (“in her fifties”: 59)",
    ):
        assert said in form


def test_an_age_range_that_does_not_decide_is_named_with_the_range_where_it_is_open(
    site: Site,
) -> None:
    # examples/transplant-candidate.json "in his fifties" (50–59, docs/case-v1-additions.md):
    # the transplant criteria's "Age <55 years" (Machairas 2021, seeds/001 Table 2) stay
    # open, and the lists of what would decide say what is known of the age
    case = json.loads(
        (Path(__file__).parents[2] / "examples" / "transplant-candidate.json").read_text()
    )
    patient = {k: v for k, v in case["patient"].items() if k != "age_years"}
    case["patient"] = {**patient, "age_years_at_least": 50, "age_years_at_most": 59}
    pk = _store(site, case)
    client = _logged_in(site)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/meetings").text)
    assert csrf is not None
    created = client.post(
        "/meetings",
        data={"csrf_token": csrf.group(1), "held_on": "2026-12-03", "title": "NET board"},
    )
    meeting = created.headers["location"].rsplit("/", 1)[-1]
    added = client.post(
        f"/meetings/{meeting}/agenda",
        data={
            "csrf_token": csrf.group(1),
            "case_pk": str(pk),
            "presenter": "Dr A",
            "question": "Transplant?",
        },
    )
    assert added.status_code == 303
    known = "Age (known: 50–59 years)"
    for address in (f"/cases/{pk}", f"/meetings/{meeting}/present/1"):
        page = " ".join(client.get(address).text.split())
        assert f"Open until known: {known}" in page, address
        assert f"Obtain {known}" in page, address
    summary = " ".join(client.get(f"/cases/{pk}/summary.html").text.split())
    assert f"open until known: {known}" in summary
