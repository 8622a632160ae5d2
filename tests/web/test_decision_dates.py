"""A board decision's addresses and dates (the reviewer's report, point 3; docs/web.md
"Board decisions"): reloading the address a refused decision leaves shows the case, a
follow-up date before the decision's date is refused naming the field, and a decision
recorded before the date of its meeting says so in the meeting record."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from tests.web.conftest import Site
from tests.web.test_board import UNFIT
from tests.web.test_pages import form, logged_in, new_case


def _today() -> str:
    # decisions are dated in UTC, the day they are recorded (docs/web.md)
    return datetime.now(UTC).date().isoformat()


def _days(n: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=n)).isoformat()


def test_reloading_the_address_of_a_refused_decision_shows_the_case(site: Site) -> None:
    client, csrf = logged_in(site)
    pk = new_case(client, csrf, case_id="reload-1", **UNFIT)
    refused = client.post(f"/cases/{pk}/decisions", data=form(csrf, case_version="1"))
    assert refused.status_code == 422  # neither an option nor words: refused, same address
    reloaded = client.get(f"/cases/{pk}/decisions")
    assert reloaded.status_code == 303
    assert reloaded.headers["location"] == f"/cases/{pk}#decisions"
    assert client.get(f"/cases/{pk}/decisions", follow_redirects=True).status_code == 200


def test_a_follow_up_before_the_decision_is_refused_naming_the_field(site: Site) -> None:
    client, csrf = logged_in(site)
    pk = new_case(client, csrf, case_id="follow-1", **UNFIT)
    yesterday = _days(-1)
    refused = client.post(
        f"/cases/{pk}/decisions",
        data=form(csrf, case_version="1", text="Watch and wait.", follow_up_on=yesterday),
    )
    assert refused.status_code == 422
    assert (
        f"Follow-up date: expected a date on or after the decision&#39;s date ({_today()}), "
        f"got {yesterday}."
    ) in refused.text
    assert site.store.list_decisions(pk) == []
    same_day = client.post(
        f"/cases/{pk}/decisions",
        data=form(csrf, case_version="1", text="Watch and wait.", follow_up_on=_today()),
    )
    assert same_day.status_code == 303


def test_the_api_refuses_a_follow_up_before_the_decision_too(site: Site) -> None:
    from tests.web.test_api import case_doc

    auth = site.token("dr-api", "clinician")
    client = site.client()
    pk = client.post("/api/v1/cases", json=case_doc(), headers=auth).json()["id"]
    response = client.post(
        f"/api/v1/cases/{pk}/decisions",
        json={"text": "Watch and wait.", "follow_up_on": _days(-30)},
        headers=auth,
    )
    assert response.status_code == 422
    (problem,) = response.json()["problems"]
    assert problem["field"] == "follow_up_on"
    assert f"on or after the decision's date ({_today()})" in problem["expected"]


def test_a_decision_recorded_before_its_meetings_date_says_so(site: Site) -> None:
    client, csrf = logged_in(site)
    pk = new_case(client, csrf, case_id="early-1", **UNFIT)
    held_on = _days(5)
    made = client.post(
        "/meetings", data=form(csrf, held_on=held_on, title="NET board", attendees="Dr A")
    )
    match = re.fullmatch(r"/meetings/(\d+)", made.headers["location"])
    assert match is not None
    meeting = int(match.group(1))
    client.post(f"/meetings/{meeting}/agenda", data=form(csrf, case_pk=str(pk), question="Q?"))
    recorded = client.post(
        f"/cases/{pk}/decisions",
        data=form(csrf, case_version="1", text="Watch and wait.", meeting_id=str(meeting)),
    )
    assert recorded.status_code == 303
    record = client.get(f"/meetings/{meeting}/record.html").text
    assert "by dr-clinician <strong>(before the meeting's date)</strong>" in record
    assert "recorded before the meeting's date" in client.get(f"/cases/{pk}").text
    summary = client.get(f"/cases/{pk}/summary.html").text
    assert "(recorded before the meeting's date)" in summary
