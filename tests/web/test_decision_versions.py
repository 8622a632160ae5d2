"""A decision is taken on the case as it is now (the reviewer's board session, point 4;
docs/web.md "Board decisions").

dr-b opens the decision form of the resectable pancreatic NET example at version 2;
meanwhile admin-a stores version 3, "not fit for major surgery". nelm's liver resection
requires fitness for major surgery (knowledge/data/options/surgery.yaml: liver_resection
includes ``major_surgery_fitness``), so it is eligible on version 2 (every criterion of the
example is met: G2 well differentiated, no extrahepatic disease, two unilobar lesions,
remnant 55 %, fit) and ineligible on version 3. dr-b ticks liver resection and records:
nothing may be stored on version 2; the form comes back (409) on version 3 with the choice
kept, what changed and nelm's status now, and recording it there needs the board's reason
(docs/web.md: "Choosing an option nelm marks ineligible asks for the board's reason")."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from starlette.testclient import TestClient

from nelm.web.cases import normalised_document
from tests.web.conftest import Site
from tests.web.test_pages import form, logged_in

EXAMPLE = json.loads(
    (Path(__file__).resolve().parents[2] / "examples" / "resectable-pnet.json").read_text("utf-8")
)
RESECTION = "Curative-intent liver resection (one stage)"
REASON = "Anaesthetic review booked: fitness to be reassessed."


def _opened_then_changed(site: Site) -> tuple[TestClient, str, int]:
    """dr-b's decision form opened on version 2, then admin-a stores version 3."""
    admin = site.user("admin-a", "admin")
    pk = site.store.create_case(normalised_document(EXAMPLE), None).id
    site.store.update_case(pk, normalised_document({**EXAMPLE, "label": "second look"}), None)
    client, csrf = logged_in(site)
    page = client.get(f"/cases/{pk}").text
    assert '<input type="hidden" name="case_version" value="2">' in page
    unfit = {**EXAMPLE, "label": "second look", "patient": {**EXAMPLE["patient"]}}
    unfit["patient"]["fit_for_major_surgery"] = False
    site.store.update_case(pk, normalised_document(unfit), admin)
    return client, csrf, pk


def _decide(client: TestClient, csrf: str, pk: int, version: str, **more: str) -> object:
    return client.post(
        f"/cases/{pk}/decisions",
        data=form(
            csrf,
            case_version=version,
            options=["liver_resection"],
            status="final",
            text="Resect.",
            **more,
        ),
    )


def test_a_decision_on_a_replaced_version_is_refused_and_asked_again(site: Site) -> None:
    client, csrf, pk = _opened_then_changed(site)
    refused = _decide(client, csrf, pk, "2")
    assert refused.status_code == 409  # type: ignore[attr-defined]
    assert site.store.list_decisions(pk) == []  # nothing stored on version 2
    page = html.unescape(refused.text)  # type: ignore[attr-defined]
    assert 'id="decision-refused"' in page
    box = page.split('id="decision-stale">', 1)[1].split("</div>", 1)[0]
    assert "The decision was not recorded: the case changed while the form was open." in box
    assert "opened on version 2; version 3 was stored by admin-a at" in box
    changed = box.split('id="stale-changes">', 1)[1].split("</ul>", 1)[0]
    assert "Fit for major surgery: yes → <strong>no</strong>" in changed
    options = box.split('id="stale-options">', 1)[1].split("</ul>", 1)[0]
    assert f"{RESECTION}: " in options and ">ineligible</span>" in options
    assert "(on version 2: eligible)" in options
    assert "choosing it needs the board's reason" in options
    # the form is on version 3 now, the choice kept
    assert '<input type="hidden" name="case_version" value="3">' in page
    assert re.search(r'name="options" value="liver_resection" checked', page)

    without_reason = _decide(client, csrf, pk, "3")
    assert without_reason.status_code == 422  # type: ignore[attr-defined]
    assert site.store.list_decisions(pk) == []
    recorded = _decide(client, csrf, pk, "3", **{"reason-liver_resection": REASON})
    assert recorded.status_code == 303  # type: ignore[attr-defined]
    (decision,) = site.store.list_decisions(pk)
    assert decision.case_version == 3
    assert decision.option_statuses == {"liver_resection": "ineligible"}
    assert decision.override_reasons == {"liver_resection": REASON}


def test_the_presentation_view_refuses_it_too(site: Site) -> None:
    client, csrf, pk = _opened_then_changed(site)
    made = client.post("/meetings", data=form(csrf, held_on="2026-12-12", title="NET board"))
    meeting = made.headers["location"].rsplit("/", 1)[1]
    client.post(f"/meetings/{meeting}/agenda", data=form(csrf, case_pk=str(pk), question="Q?"))
    back = f"/meetings/{meeting}/present/1"
    refused = _decide(client, csrf, pk, "2", back=back, meeting_id=meeting)
    assert refused.status_code == 409  # type: ignore[attr-defined]
    page = refused.text  # type: ignore[attr-defined]
    assert 'id="decision-stale"' in page
    assert "Record the decision of this meeting" in page  # the presentation, not the case page
    assert f'name="back" value="{back}"' in page
    assert site.store.list_decisions(pk) == []


def test_the_api_refuses_a_replaced_case_version(site: Site) -> None:
    _, _, pk = _opened_then_changed(site)
    auth = site.token("dr-api", "clinician")
    client = site.client()
    body = {
        "options": ["liver_resection"],
        "override_reasons": {"liver_resection": REASON},
        "case_version": 2,
    }
    refused = client.post(f"/api/v1/cases/{pk}/decisions", json=body, headers=auth)
    assert refused.status_code == 409
    assert "is at version 3" in refused.json()["detail"]
    assert "Nothing was stored" in refused.json()["detail"]
    assert site.store.list_decisions(pk) == []
    recorded = client.post(
        f"/api/v1/cases/{pk}/decisions", json={**body, "case_version": 3}, headers=auth
    )
    assert recorded.status_code == 201
    assert recorded.json()["option_statuses"] == {"liver_resection": "ineligible"}


def test_an_earlier_version_and_an_amendment_record_on_the_current_version(site: Site) -> None:
    client, csrf, pk = _opened_then_changed(site)
    old_page = client.get(f"/cases/{pk}?version=2").text
    assert 'id="decision-on-current"' in old_page and 'id="decision-form"' not in old_page
    # a decision taken on version 3, the case then changed again: its amendment is
    # recorded on the case as it is now
    taken = _decide(client, csrf, pk, "3", **{"reason-liver_resection": REASON})
    assert taken.status_code == 303  # type: ignore[attr-defined]
    (first,) = site.store.list_decisions(pk)
    site.store.update_case(
        pk, normalised_document({**site.store.get_case(pk).document, "label": "fourth"}), None
    )
    amend = client.get(f"/cases/{pk}/decisions/{first.id}/change?kind=amendment").text
    assert '<input type="hidden" name="case_version" value="4">' in amend
