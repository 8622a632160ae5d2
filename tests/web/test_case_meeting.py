"""One rule for the meeting a case's page and board summary name (the reviewer's board
session, point 5; docs/web.md "The case on one screen" and "Board summary"): of the
meetings whose agenda holds the case, the first held today or later, else the one held
last; its agenda entry gives the question and presenter. The decision in force, taken at
another meeting, is shown with where it was taken.

The case was decided at last week's meeting; it is on next week's agenda with a new
question, and on the agenda of a meeting two weeks ahead that was created first. The case
page and /cases/N/summary.html must both name next week's meeting and question; the
presentation of last week's meeting keeps its own question."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from starlette.testclient import TestClient

from tests.web.conftest import Site
from tests.web.test_board import UNFIT
from tests.web.test_pages import form, logged_in, new_case

LAST_WEEK = "Watch and wait, or start SSA?"
NEXT_WEEK = "Progression on SSA: PRRT or everolimus?"
LATER = "Review after two cycles."


def _day(n: int) -> date:
    return (datetime.now(UTC) + timedelta(days=n)).date()


def _meeting(client: TestClient, csrf: str, held: date, pk: int, question: str) -> int:
    made = client.post(
        "/meetings", data=form(csrf, held_on=held.isoformat(), title="NET board", attendees="Dr A")
    )
    found = re.fullmatch(r"/meetings/(\d+)", made.headers["location"])
    assert found is not None
    meeting = int(found.group(1))
    added = client.post(
        f"/meetings/{meeting}/agenda",
        data=form(csrf, case_pk=str(pk), question=question, presenter="Dr P"),
    )
    assert added.status_code == 303
    return meeting


def test_the_case_page_and_its_summary_name_the_same_meeting(site: Site) -> None:
    client, csrf = logged_in(site)
    pk = new_case(client, csrf, case_id="two-agendas", **UNFIT)
    _meeting(client, csrf, _day(14), pk, LATER)  # created first, held last
    last = _meeting(client, csrf, _day(-7), pk, LAST_WEEK)
    decided = client.post(
        f"/cases/{pk}/decisions",
        data=form(csrf, case_version="1", options=["ssa"], meeting_id=str(last), text="SSA."),
    )
    assert decided.status_code == 303
    following = _meeting(client, csrf, _day(7), pk, NEXT_WEEK)

    page = client.get(f"/cases/{pk}").text
    assert f'<p class="question-text" id="board-question">{NEXT_WEEK}</p>' in page
    said = page.split('id="question-meeting">', 1)[1].split("</p>", 1)[0]
    assert f'href="/meetings/{following}">{_day(7).strftime("%d %b %Y")} NET board' in said
    where = page.split('id="latest-where">', 1)[1].split("</span>", 1)[0]
    assert f"taken at the meeting of {_day(-7).strftime('%d %b %Y')} NET board" in where

    summary = client.get(f"/cases/{pk}/summary.html").text
    assert f"NET board, {_day(7).strftime('%d %B %Y')} ·" in summary
    assert NEXT_WEEK in summary and LAST_WEEK not in summary and LATER not in summary
    decision = summary.split('<div class="decision">', 1)[1].split("</div>", 1)[0]
    assert f"taken at the meeting of {_day(-7).strftime('%d %B %Y')} (NET board)" in decision

    # the presentation of last week's meeting is of that meeting and its question
    present = client.get(f"/meetings/{last}/present/1").text
    assert f'id="board-question">{LAST_WEEK}</p>' in present


def test_with_every_meeting_past_the_last_held_is_named(site: Site) -> None:
    client, csrf = logged_in(site)
    pk = new_case(client, csrf, case_id="past-agendas", **UNFIT)
    _meeting(client, csrf, _day(-3), pk, NEXT_WEEK)
    _meeting(client, csrf, _day(-10), pk, LAST_WEEK)  # created later, held earlier
    page = client.get(f"/cases/{pk}").text
    assert f'id="board-question">{NEXT_WEEK}</p>' in page
    summary = client.get(f"/cases/{pk}/summary.html").text
    assert f"NET board, {_day(-3).strftime('%d %B %Y')} ·" in summary
    assert NEXT_WEEK in summary and LAST_WEEK not in summary
