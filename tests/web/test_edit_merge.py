"""Two people editing the timeline and the lists of choices of one case (docs/web.md "Two
people editing one case"; the reviewer's board session, point 1).

admin-a (an administrator) and dr-b open the same case's edit form. admin-a stores a
timeline with a 2026-11-10 scan showing stable disease and ticks everolimus among the
prior treatments; dr-b then saves a timeline with a 2026-06-01 scan showing progression
and ticks sunitinib. The conflict page must show admin-a's events, the Timeline field must
say that admin-a changed it too, and saving again must keep both scans and both
treatments: lists of choices merge as sets, a timeline's events three ways (what either
added is kept, what either removed goes), and a date both changed differently is named,
with admin-a's timeline in full beside the field. With both scans kept the latest dated
finding is stable disease, so the course derived from the timeline is stable
(src/nelm/case/timeline.py: "``course.status``: ``progressing`` when the latest dated
finding is a progression, ``stable`` when it is stable disease or a response")."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from nelm.web.cases import normalised_document
from nelm.web.conflicts import merge_three_way
from tests.web.conftest import Site
from tests.web.test_case_refresh import _form_of

SPARSE = json.loads(
    (Path(__file__).resolve().parents[2] / "examples" / "sparse.json").read_text("utf-8")
)
ADMIN_SCAN = "2026-11-10"
B_SCAN = "2026-06-01"


def _two_editors(site: Site, document: dict[str, Any]) -> tuple[int, TestClient, TestClient]:
    pk = site.store.create_case(normalised_document(document), None).id
    site.user("admin-a", "admin")
    site.user("dr-b", "clinician")
    admin, dr_b = site.client(), site.client()
    site.login(admin, "admin-a")
    site.login(dr_b, "dr-b")
    return pk, admin, dr_b


def _conflict(
    site: Site, document: dict[str, Any], admin_timeline: str, b_timeline: str
) -> tuple[int, TestClient, str]:
    """admin saves ``admin_timeline`` with everolimus ticked; dr-b, who opened the form
    before, saves ``b_timeline`` with sunitinib: the conflict page dr-b gets."""
    pk, admin, dr_b = _two_editors(site, document)
    form_a = _form_of(admin.get(f"/cases/{pk}/edit").text)
    form_b = _form_of(dr_b.get(f"/cases/{pk}/edit").text)
    form_a.update({"timeline": [admin_timeline], "course.prior_treatments": ["everolimus"]})
    assert admin.post(f"/cases/{pk}/edit", data=form_a).status_code == 303
    form_b.update({"timeline": [b_timeline], "course.prior_treatments": ["sunitinib"]})
    page = dr_b.post(f"/cases/{pk}/edit", data=form_b)
    assert page.status_code == 409
    assert site.store.get_case(pk).current_version == 2  # nothing of dr-b's stored yet
    return pk, dr_b, page.text


def _between(page: str, start: str, end: str) -> str:
    return html.unescape(page.split(start, 1)[1].split(end, 1)[0])


def _course_status(site: Site, pk: int) -> Any:
    """The disease course the stored assessment of the current version read from the
    timeline."""
    case = site.store.get_case(pk)
    record = site.store.latest_assessment(pk, case.current_version)
    assert record is not None
    derived = record.output["classification"]["from_timeline"]
    return next(d["value"] for d in derived if d["field"] == "course.status")


def test_both_scans_and_both_treatments_survive_saving_again(site: Site) -> None:
    pk, dr_b, page = _conflict(
        site,
        SPARSE,
        f"as_of: 2026-11-20\nscans:\n- {{date: {ADMIN_SCAN}, finding: stable}}\n",
        f"as_of: 2026-11-20\nscans:\n- {{date: {B_SCAN}, finding: progression}}\n",
    )
    # the table shows admin's events, not a count of them
    row = _between(page, 'href="#f-timeline">Timeline</a></th>', "</tr>")
    assert f"{ADMIN_SCAN} stable" in row and f"{B_SCAN} progression" in row
    merged = _between(page, '<p id="conflict-merged">', "</p>")
    assert "Prior treatments" in merged and "Timeline" in merged
    # the Timeline field says admin changed it too, and holds both scans
    note = _between(page, 'id="clash-f-timeline">', "</div>")
    assert "Also changed by admin-a (version 2)" in note
    assert f"{{date: '{ADMIN_SCAN}', finding: stable}}" in note  # admin's timeline in full
    assert 'id="clash-f-course-prior-treatments"' in page
    again = _form_of(page)
    assert sorted(again["course.prior_treatments"]) == ["everolimus", "sunitinib"]
    assert ADMIN_SCAN in again["timeline"][0] and B_SCAN in again["timeline"][0]

    assert dr_b.post(f"/cases/{pk}/edit", data=again).status_code == 303
    dr_b.get(f"/cases/{pk}")  # assessed as the page is shown
    stored = site.store.get_case(pk)
    assert stored.current_version == 3
    assert stored.document["timeline"] == {
        "as_of": "2026-11-20",
        "scans": [
            {"date": B_SCAN, "finding": "progression"},
            {"date": ADMIN_SCAN, "finding": "stable"},
        ],
    }
    assert sorted(stored.document["course"]["prior_treatments"]) == ["everolimus", "sunitinib"]
    assert _course_status(site, pk) == "stable"


def test_a_case_date_both_moved_on_is_the_later_and_both_scans_are_stored(site: Site) -> None:
    # Each adds a scan and moves the case's date (as_of) on to cover it, as the timeline
    # requires (src/nelm/case/timeline.py: every event falls on or before as_of). The
    # form held dr-b's earlier date beside admin-a's later scan, so saving it again was
    # refused until dr-b retyped admin-a's date; the merged case is now dated the later,
    # as a file read into a case is (docs/web.md "Update from a file": "as_of is the
    # later of the two (a case's date never moves back)").
    document = {
        **SPARSE,
        "timeline": {"as_of": "2026-05-01", "scans": [{"date": "2026-01-10", "finding": "stable"}]},
    }
    theirs = (
        "as_of: 2026-11-20\nscans:\n- {date: 2026-01-10, finding: stable}\n"
        f"- {{date: {ADMIN_SCAN}, finding: stable}}\n"
    )
    pk, dr_b, page = _conflict(
        site,
        document,
        theirs,
        "as_of: 2026-06-05\nscans:\n- {date: 2026-01-10, finding: stable}\n"
        f"- {{date: {B_SCAN}, finding: progression}}\n",
    )
    assert 'id="conflict-both"' not in page  # nothing left to choose
    merged = _between(page, '<p id="conflict-merged">', "</p>")
    assert "Timeline" in merged and "now: as of 2026-11-20" in merged
    note = _between(page, 'id="clash-f-timeline">', "</div>")
    assert "the case's date is the later of yours (2026-06-05) and admin-a's (2026-11-20)" in note
    again = _form_of(page)
    box = again["timeline"][0]
    assert "as_of: '2026-11-20'" in box
    assert box.index("2026-01-10") < box.index(B_SCAN) < box.index(ADMIN_SCAN)
    # saved as it comes back: stored, with both scans and the later date
    assert dr_b.post(f"/cases/{pk}/edit", data=again).status_code == 303
    dr_b.get(f"/cases/{pk}")
    timeline = site.store.get_case(pk).document["timeline"]
    assert timeline["as_of"] == "2026-11-20"
    assert [s["date"] for s in timeline["scans"]] == ["2026-01-10", B_SCAN, ADMIN_SCAN]
    assert _course_status(site, pk) == "stable"


def test_a_date_moved_back_by_one_is_named_with_the_other_timeline_in_full(site: Site) -> None:
    # dr-b corrects the case's date back (2026-05-01 was typed for 2026-04-20) while
    # admin-a moves it on: a real clash. The form holds dr-b's, names admin-a's, and
    # saving it as it is refused, because admin-a's scan falls after dr-b's date.
    document = {
        **SPARSE,
        "timeline": {"as_of": "2026-05-01", "scans": [{"date": "2026-01-10", "finding": "stable"}]},
    }
    theirs = (
        "as_of: 2026-11-20\nscans:\n- {date: 2026-01-10, finding: stable}\n"
        f"- {{date: {ADMIN_SCAN}, finding: stable}}\n"
    )
    pk, dr_b, page = _conflict(
        site,
        document,
        theirs,
        "as_of: 2026-04-20\nscans:\n- {date: 2026-01-10, finding: stable}\n"
        "- {date: 2026-03-02, finding: progression}\n",
    )
    both = _between(page, '<p id="conflict-both">', "</p>")
    assert "Timeline</a> (as of: admin-a 2026-11-20, you 2026-04-20)" in both
    note = _between(page, 'id="clash-f-timeline">', "</div>")
    assert "as of: admin-a 2026-11-20; yours (in the box) 2026-04-20" in note
    shown = _between(page, '<textarea id="f-timeline-theirs" readonly', "</textarea>")
    for part in (
        "as_of: '2026-11-20'",
        "'2026-01-10'",
        f"{{date: '{ADMIN_SCAN}', finding: stable}}",
    ):
        assert part in shown
    again = _form_of(page)
    box = again["timeline"][0]
    assert "as_of: '2026-04-20'" in box  # dr-b's date, to resolve
    assert box.index("2026-01-10") < box.index("2026-03-02") < box.index(ADMIN_SCAN)
    # saved as it is, admin's later scan stands after dr-b's date: refused, nothing stored
    refused = dr_b.post(f"/cases/{pk}/edit", data=again)
    assert refused.status_code == 422
    assert site.store.get_case(pk).current_version == 2
    again["timeline"] = [box.replace("2026-04-20", "2026-11-20")]
    assert dr_b.post(f"/cases/{pk}/edit", data=again).status_code == 303
    scans = site.store.get_case(pk).document["timeline"]["scans"]
    assert [s["date"] for s in scans] == ["2026-01-10", "2026-03-02", ADMIN_SCAN]


def test_a_timeline_merges_event_by_event() -> None:
    """docs/web.md "Two people editing one case": what either added is kept, what either
    removed goes, an event only one changed is theirs, a date or an event both changed
    differently keeps yours and is named."""
    line = {"treatment": "ssa", "start": "2019-06-01"}
    base = {
        "timeline": {
            "as_of": "2026-01-01",
            "primary_resection": "2019-05-10",
            "treatments": [line],
            "scans": [
                {"date": "2025-01-01", "finding": "stable"},
                {"date": "2025-06-01", "finding": "stable"},
            ],
        },
        "course": {"prior_treatments": ["ssa", "tace_conventional"]},
    }
    theirs = {
        "timeline": {
            "as_of": "2026-01-01",
            "primary_resection": "2019-05-12",
            # they stopped the line and removed the 2025-01-01 scan
            "treatments": [{**line, "stop": "2025-12-01"}],
            "scans": [
                {"date": "2025-06-01", "finding": "stable"},
                {"date": "2025-12-01", "finding": "progression"},
            ],
        },
        "course": {"prior_treatments": ["ssa", "everolimus"]},
    }
    yours = {
        "timeline": {
            "as_of": "2026-01-01",
            "primary_resection": "2019-05-11",
            "treatments": [line, {"treatment": "prrt", "start": "2025-12-15"}],
            "scans": [
                {"date": "2025-01-01", "finding": "stable"},
                {"date": "2025-06-01", "finding": "response"},
                {"date": "2025-12-01", "finding": "stable"},
            ],
        },
        "course": {"prior_treatments": ["tace_conventional", "sunitinib"]},
    }
    merged = merge_three_way(base, theirs, yours)
    assert merged.document["timeline"] == {
        "as_of": "2026-01-01",
        "primary_resection": "2019-05-11",  # yours, named
        "treatments": [
            {**line, "stop": "2025-12-01"},  # only they changed it
            {"treatment": "prrt", "start": "2025-12-15"},  # you added it
        ],
        "scans": [
            {"date": "2025-06-01", "finding": "response"},  # only you changed it
            {"date": "2025-12-01", "finding": "stable"},  # both added it differently: yours
        ],
    }
    assert [(c.what, c.theirs, c.yours) for c in merged.clashes] == [
        ("primary resection", "2019-05-12", "2019-05-11"),
        ("scan of 2025-12-01", "2025-12-01 progression", "2025-12-01 stable"),
    ]
    assert merged.sources["timeline"] == "both"
    # prior treatments: ssa unticked by you, tace unticked by them, both added one
    assert sorted(merged.document["course"]["prior_treatments"]) == ["everolimus", "sunitinib"]
    assert merged.sources["course.prior_treatments"] == "merged"


def test_choices_both_unticked_leave_the_field_not_known() -> None:
    base = {"extrahepatic": {"sites": ["bone"]}}
    merged = merge_three_way(base, {"extrahepatic": {"sites": ["lung"]}}, {})
    # you unticked bone, they replaced it with lung: lung stays, bone goes
    assert merged.document.get("extrahepatic") == {"sites": ["lung"]}
    merged = merge_three_way(
        {"extrahepatic": {"sites": ["bone", "lung"]}},
        {"extrahepatic": {"sites": ["lung"]}},
        {"extrahepatic": {"sites": ["bone"]}},
    )
    assert "extrahepatic" not in merged.document  # nothing left ticked: not known
    assert merged.sources["extrahepatic.sites"] == "merged"


def test_a_first_timeline_from_both_is_dated_the_later() -> None:
    """Both give a case without a timeline its first one, each with a scan and a date
    covering it: both scans are kept and the case is dated the later (every event falls on
    or before ``as_of``, src/nelm/case/timeline.py), with nothing left to choose."""
    theirs = {
        "timeline": {"as_of": "2026-03-01", "scans": [{"date": "2026-02-20", "finding": "stable"}]}
    }
    yours = {
        "timeline": {
            "as_of": "2026-02-15",
            "scans": [{"date": "2026-02-10", "finding": "progression"}],
        }
    }
    merged = merge_three_way({}, theirs, yours)
    assert merged.document["timeline"] == {
        "as_of": "2026-03-01",
        "scans": [
            {"date": "2026-02-10", "finding": "progression"},
            {"date": "2026-02-20", "finding": "stable"},
        ],
    }
    assert merged.clashes == () and merged.sources["timeline"] == "merged"
    # the same date given by both is no clash either way
    same = merge_three_way({}, theirs, {"timeline": {**yours["timeline"], "as_of": "2026-03-01"}})
    assert same.document["timeline"]["as_of"] == "2026-03-01" and same.clashes == ()


def test_a_field_absent_in_one_version_reads_not_known_in_the_conflict_table() -> None:
    # docs/web.md: "Anything not given reads 'not known'"; the conflict's table of
    # differences too (base: no ECOG; they entered 1; you left it, so the form holds 1)
    from nelm.web.conflicts import describe_conflict

    base: dict[str, Any] = {"case_id": "c"}
    theirs = {"case_id": "c", "patient": {"ecog": 1}}
    yours = {"case_id": "c", "extrahepatic": {"sites": ["bone"]}}
    merged = merge_three_way(base, theirs, yours)
    conflict = describe_conflict(
        changed_by="dr-b",
        base_version=1,
        current_version=2,
        stored_at="2026-12-02 09:14 UTC",
        base=base,
        theirs=theirs,
        yours=yours,
        merged=merged,
    )
    rows = {d.path: d for d in conflict.differences}
    ecog = rows["patient.ecog"]
    assert (ecog.base, ecog.theirs, ecog.yours, ecog.now) == ("not known", "1", "not known", "1")
    sites = rows["extrahepatic.sites"]
    assert (sites.base, sites.theirs, sites.yours) == ("not known", "not known", "bone")
    assert "unknown" not in repr(conflict)
