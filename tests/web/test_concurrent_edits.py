"""Concurrent edits through the API and the web form (issue 13, point 2).

Simultaneous PUTs of one case never answer 500 and every one is stored as its own
version; with ``If-Match`` a stale writer gets 412 and the case as it is now (RFC 9110
§13.1.1: a failed If-Match is 412 Precondition Failed); the web form says who changed the
case while you were editing and shows both versions.
"""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

from tests.web.conftest import Site
from tests.web.test_api import case_doc


def _put_all(site: Site, pk: int, headers: list[dict[str, str]]) -> list[int]:
    start = threading.Barrier(len(headers))

    def put(n: int) -> int:
        client = site.client()
        start.wait()
        body = case_doc(label=f"edit {n}")
        return client.put(f"/api/v1/cases/{pk}", json=body, headers=headers[n]).status_code

    with ThreadPoolExecutor(len(headers)) as pool:
        return list(pool.map(put, range(len(headers))))


def test_32_simultaneous_puts_all_succeed_as_consecutive_versions(any_site: Site) -> None:
    site = any_site
    auth = site.token("dr-a", "clinician")
    pk = site.client().post("/api/v1/cases", json=case_doc(), headers=auth).json()["id"]
    statuses = _put_all(site, pk, [auth] * 32)
    assert statuses == [200] * 32
    versions = site.client().get(f"/api/v1/cases/{pk}/versions", headers=auth).json()
    assert [v["version"] for v in versions] == list(range(1, 34))


def test_simultaneous_puts_with_one_etag_store_one_and_refuse_the_rest(any_site: Site) -> None:
    site = any_site
    auth = site.token("dr-a", "clinician")
    client = site.client()
    created = client.post("/api/v1/cases", json=case_doc(), headers=auth)
    assert created.headers["ETag"] == '"1"'
    statuses = _put_all(site, created.json()["id"], [{**auth, "If-Match": '"1"'}] * 12)
    assert sorted(statuses) == [200] + [412] * 11


def test_a_stale_if_match_gets_412_with_the_current_case(site: Site) -> None:
    a = site.token("dr-a", "clinician")
    b = site.token("dr-b", "clinician")
    client = site.client()
    pk = client.post("/api/v1/cases", json=case_doc(), headers=a).json()["id"]
    read = client.get(f"/api/v1/cases/{pk}", headers=a)
    assert read.headers["ETag"] == '"1"'
    theirs = client.put(
        f"/api/v1/cases/{pk}", json=case_doc(label="by b"), headers={**b, "If-Match": '"1"'}
    )
    assert theirs.status_code == 200 and theirs.headers["ETag"] == '"2"'

    stale = client.put(
        f"/api/v1/cases/{pk}",
        json=case_doc(label="by a"),
        headers={**a, "If-Match": read.headers["ETag"]},
    )
    assert stale.status_code == 412
    assert stale.headers["ETag"] == '"2"'
    body = stale.json()
    assert body["detail"] == (
        "case 'api-1' was changed by dr-b while you were editing: you "
        "started from version 1, it is now at version 2. Nothing was "
        "stored."
    )
    assert body["current_version"] == 2 and body["changed_by"] == "dr-b"
    assert body["current"]["document"]["label"] == "by b"
    merged = client.put(
        f"/api/v1/cases/{pk}",
        json=case_doc(label="by a and b"),
        headers={**a, "If-Match": stale.headers["ETag"]},
    )
    assert merged.status_code == 200 and merged.json()["version"] == 3
    assert (
        client.put(
            f"/api/v1/cases/{pk}", json=case_doc(), headers={**a, "If-Match": "*"}
        ).status_code
        == 200
    )


def test_a_malformed_if_match_is_400_naming_the_header(site: Site) -> None:
    a = site.token("dr-a", "clinician")
    client = site.client()
    pk = client.post("/api/v1/cases", json=case_doc(), headers=a).json()["id"]
    for bad in ('W/"1"', "1", '"one"', '"1", "2"'):
        response = client.put(
            f"/api/v1/cases/{pk}", json=case_doc(), headers={**a, "If-Match": bad}
        )
        assert response.status_code == 400, bad
        assert response.json()["problems"][0]["field"] == "If-Match"


def _edit_form(site: Site, username: str, pk: int) -> tuple[object, str]:
    client = site.client()
    site.login(client, username)
    page = client.get(f"/cases/{pk}/edit")  # type: ignore[attr-defined]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    base = re.search(r'name="base_version" value="(\d+)"', page.text)
    assert csrf is not None and base is not None
    return client, base.group(1) + "|" + csrf.group(1)


def test_the_form_shows_who_changed_the_case_and_both_versions(site: Site) -> None:
    site.user("dr-a", "clinician")
    site.user("dr-b", "clinician")
    auth = site.token("dr-a", "clinician")
    pk = (
        site.client()
        .post("/api/v1/cases", json=case_doc(label="board 1"), headers=auth)
        .json()["id"]
    )
    client_a, a = _edit_form(site, "dr-a", pk)
    client_b, b = _edit_form(site, "dr-b", pk)
    base_b, csrf_b = b.split("|")
    saved = client_b.post(
        f"/cases/{pk}/edit",
        data={  # type: ignore[attr-defined]
            "csrf_token": csrf_b,
            "base_version": base_b,
            "label": "board 1 <b>",
            "case_id": "x",
            "pathology.ki67_percent": "12",
        },
    )
    assert saved.status_code == 303

    base_a, csrf_a = a.split("|")
    conflict = client_a.post(
        f"/cases/{pk}/edit",
        data={  # type: ignore[attr-defined]
            "csrf_token": csrf_a,
            "base_version": base_a,
            "label": "board 1",
            "pathology.ki67_percent": "30",
        },
    )
    assert conflict.status_code == 409
    html = conflict.text
    assert "Changed by dr-b while you were editing." in html
    assert "Version 2 was stored at" in html and "you started from version 1" in html
    row = re.search(
        r"Ki-67[^<]*</a></th><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td>"
        r"<td[^>]*>([^<]*)</td>",
        html,
    )
    assert row is not None and row.groups()[1:] == ("12", "30")
    assert "board 1 &lt;b&gt;" in html  # their label, escaped
    assert 'name="base_version" value="2"' in html  # saving again stores on top of v2
    assert site.store.get_case(pk).current_version == 2  # nothing stored for dr-a yet
    again = client_a.post(
        f"/cases/{pk}/edit",
        data={  # type: ignore[attr-defined]
            "csrf_token": csrf_a,
            "base_version": "2",
            "label": "board 1",
            "pathology.ki67_percent": "30",
        },
    )
    assert again.status_code == 303
    assert site.store.get_case(pk).current_version == 3


def _sent(page: str) -> dict[str, list[str]]:
    """What the page's case form sends as a browser sends it (every field, as shown)."""
    from tests.web.test_case_refresh import _form_of

    return _form_of(page)


def test_saving_again_after_a_conflict_keeps_the_other_users_changes(site: Site) -> None:
    """The reviewer's report (three-way merge, docs/web.md "Two people editing one case"):
    A (admin) opens the sparse example's edit form; B (clinician) stores fitness yes,
    remnant 45 %, liver resectable, extrahepatic no; A changes only Ki-67 to 3 and the
    surgeons' liver assessment to unresectable, gets the conflict page and saves it again.
    Version 3 must hold B's fitness, remnant and extrahepatic answer and A's Ki-67; the
    liver assessment, changed by both, is the one field left for A, and is named."""
    import json
    from pathlib import Path

    sparse = json.loads(
        (Path(__file__).resolve().parents[2] / "examples" / "sparse.json").read_text("utf-8")
    )
    pk = site.store.create_case(sparse, None).id
    site.user("admin-a", "admin")
    site.user("dr-b", "clinician")
    client_a, client_b = site.client(), site.client()
    site.login(client_a, "admin-a")
    site.login(client_b, "dr-b")
    form_a = _sent(client_a.get(f"/cases/{pk}/edit").text)
    form_b = _sent(client_b.get(f"/cases/{pk}/edit").text)

    form_b.update(
        {
            "patient.fit_for_major_surgery": ["yes"],
            "liver.future_liver_remnant_percent": ["45"],
            "liver.surgical_assessment": ["resectable"],
            "extrahepatic.present": ["no"],
        }
    )
    assert client_b.post(f"/cases/{pk}/edit", data=form_b).status_code == 303

    form_a.update({"pathology.ki67_percent": ["3"], "liver.surgical_assessment": ["unresectable"]})
    conflict = client_a.post(f"/cases/{pk}/edit", data=form_a)
    assert conflict.status_code == 409
    assert site.store.get_case(pk).current_version == 2
    page = conflict.text
    both = re.search(r'<p id="conflict-both">(.*?)</p>', page, re.S)
    assert both is not None
    assert "You both changed 1 field differently" in both.group(1)
    assert "Liver disease resectable (surgical assessment)" in both.group(1)
    for other in ("Fit for major surgery", "Future liver remnant", "Extrahepatic", "Ki-67"):
        assert other not in both.group(1)
    assert 'id="clash-f-liver-surgical-assessment"' in page

    shown = _sent(page)
    assert shown["patient.fit_for_major_surgery"] == ["yes"]  # B's, A never touched it
    assert shown["liver.future_liver_remnant_percent"] == ["45"]
    assert shown["extrahepatic.present"] == ["no"]
    assert shown["pathology.ki67_percent"] == ["3"]  # A's own change
    assert shown["liver.surgical_assessment"] == ["unresectable"]  # A's, to resolve
    assert shown["base_version"] == ["2"]

    assert client_a.post(f"/cases/{pk}/edit", data=shown).status_code == 303
    case = site.store.get_case(pk)
    assert case.current_version == 3
    stored = case.document
    assert stored["patient"]["fit_for_major_surgery"] is True
    assert stored["liver"]["future_liver_remnant_percent"] == 45
    assert stored["extrahepatic"]["present"] is False
    assert stored["pathology"]["ki67_percent"] == 3
    assert stored["liver"]["surgical_assessment"] == "unresectable"


def test_a_three_way_merge_takes_what_only_one_side_changed() -> None:
    """docs/web.md "Two people editing one case": a field only they changed comes from
    their version, with its result date and confirmation; one only you changed, or both
    changed alike, is yours; one both changed differently is yours and named; the record's
    warnings are merged one by one."""
    from nelm.web.conflicts import merge_three_way

    base = {
        "case_id": "c",
        "labs": {"platelets_per_ul": 200000, "bilirubin_mg_dl": 0.8},
        "pathology": {"ki67_percent": 12},
        "record_warnings": ["A", "B"],
    }
    theirs = {
        "case_id": "c",
        "labs": {"platelets_per_ul": 2000000, "bilirubin_mg_dl": 0.9},
        "pathology": {"ki67_percent": 20},
        "confirmed": ["labs.platelets_per_ul"],
        "measured_on": {"labs.bilirubin_mg_dl": "2026-11-01"},
        "record_warnings": ["A"],
        "label": "theirs",
    }
    yours = {
        "case_id": "c",
        "labs": {"platelets_per_ul": 200000, "bilirubin_mg_dl": 0.9},
        "pathology": {"ki67_percent": 30},
        "record_warnings": ["A", "B", "C"],
    }
    merged = merge_three_way(base, theirs, yours)
    assert merged.document["labs"] == {"platelets_per_ul": 2000000, "bilirubin_mg_dl": 0.9}
    assert merged.document["confirmed"] == ["labs.platelets_per_ul"]
    assert "measured_on" not in merged.document  # their date went with a value not taken
    assert merged.document["pathology"] == {"ki67_percent": 30}
    assert merged.document["label"] == "theirs"
    assert merged.document["record_warnings"] == ["A", "C"]
    assert merged.sources == {
        "label": "theirs",
        "labs.platelets_per_ul": "theirs",
        "labs.bilirubin_mg_dl": "yours",  # both changed it alike
        "pathology.ki67_percent": "both",
    }


def test_two_api_clients_adding_a_scan_each_the_second_is_told_what_changed(
    site: Site,
) -> None:
    # Two clients each add a scan to the case read at version 1 and move its date (as_of)
    # on to cover it (src/nelm/case/timeline.py: every event falls on or before as_of).
    # The second is refused (412) and told, field by field, what the first stored, so
    # that neither scan nor date is lost by a blind retry.
    a = site.token("dr-a", "clinician")
    b = site.token("dr-b", "clinician")
    client = site.client()
    start = {"as_of": "2026-05-01", "scans": [{"date": "2026-01-10", "finding": "stable"}]}
    pk = client.post("/api/v1/cases", json=case_doc(timeline=start), headers=a).json()["id"]
    scan_b = {"date": "2026-11-10", "finding": "stable"}
    scan_a = {"date": "2026-06-01", "finding": "progression"}
    first = client.put(
        f"/api/v1/cases/{pk}",
        json=case_doc(timeline={"as_of": "2026-11-20", "scans": [*start["scans"], scan_b]}),
        headers={**b, "If-Match": '"1"'},
    )
    assert first.status_code == 200
    second = client.put(
        f"/api/v1/cases/{pk}",
        json=case_doc(timeline={"as_of": "2026-06-05", "scans": [*start["scans"], scan_a]}),
        headers={**a, "If-Match": '"1"'},
    )
    assert second.status_code == 412
    body = second.json()
    assert body["changed_by"] == "dr-b" and body["current_version"] == 2
    changed = {c["field"]: (c["before"], c["after"]) for c in body["changed_since"]}
    assert changed == {
        "timeline.as_of": ("2026-05-01", "2026-11-20"),
        "timeline.scans": ("2026-01-10 stable", "2026-01-10 stable; 2026-11-10 stable"),
    }
    assert [c["label"] for c in body["changed_since"]] == ["Timeline: as of", "Timeline: scans"]
    assert site.store.get_case(pk).document["timeline"]["as_of"] == "2026-11-20"
    # a version the case never had: nothing to compare with
    ahead = client.put(f"/api/v1/cases/{pk}", json=case_doc(), headers={**a, "If-Match": '"9"'})
    assert ahead.status_code == 412 and ahead.json()["changed_since"] == []
