"""Deleted cases in the web application and the REST API: the administrators' list, the
restore action, the refusal when the case id is taken again, and deletion by version."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Site
from tests.web.test_api import example


def _doc(case_id: str = "d-1", label: str = "Mrs <b>X</b>", **extra: Any) -> dict[str, Any]:
    doc = example()
    doc["case_id"] = case_id
    doc["label"] = label
    doc.update(extra)
    return doc


def test_only_an_administrator_lists_and_restores_deleted_cases(site: Site) -> None:
    client = site.client()
    writer = site.token("dr-a", "clinician")
    viewer = site.token("viewer", "viewer")
    admin = site.token("root", "admin")
    pk = client.post("/api/v1/cases", json=_doc(), headers=writer).json()["id"]
    assert client.delete(f"/api/v1/cases/{pk}", headers=writer).status_code == 204
    for headers in (writer, viewer):
        assert client.get("/api/v1/deleted-cases", headers=headers).status_code == 403
        refused = client.post(f"/api/v1/deleted-cases/{pk}/restore", headers=headers)
        assert refused.status_code == 403
    assert client.get(f"/api/v1/cases/{pk}", headers=writer).status_code == 404

    listed = client.get("/api/v1/deleted-cases", headers=admin).json()
    assert [(c["id"], c["case_id"], c["deleted_by"]) for c in listed] == [(pk, "d-1", "dr-a")]
    assert "document" not in listed[0]
    restored = client.post(f"/api/v1/deleted-cases/{pk}/restore", headers=admin)
    assert restored.status_code == 200 and restored.headers["ETag"] == '"1"'
    assert restored.json()["case_id"] == "d-1"
    assert client.get(f"/api/v1/cases/{pk}", headers=writer).status_code == 200
    assert client.get("/api/v1/deleted-cases", headers=admin).json() == []
    # restoring it again: it is no deleted case
    assert client.post(f"/api/v1/deleted-cases/{pk}/restore", headers=admin).status_code == 404
    audit = client.get("/api/v1/audit", params={"case_id": "d-1"}, headers=admin).json()
    actions = [(e["action"], e["username"]) for e in audit if e["action"] != "read"]
    assert actions[:3] == [("restore", "root"), ("delete", "dr-a"), ("create", "dr-a")]


def test_a_restore_is_refused_with_a_reason_when_the_id_is_taken(site: Site) -> None:
    client = site.client()
    writer = site.token("dr-a", "clinician")
    admin = site.token("root", "admin")
    old = client.post("/api/v1/cases", json=_doc(), headers=writer).json()["id"]
    client.delete(f"/api/v1/cases/{old}", headers=writer)
    new = client.post("/api/v1/cases", json=_doc(label="new"), headers=writer).json()["id"]
    refused = client.post(f"/api/v1/deleted-cases/{old}/restore", headers=admin)
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        f"The case id 'd-1' has been given to another case (case {new}) since this one was "
        "deleted; case ids are unique, so it cannot be restored under it. Nothing was changed."
    )
    assert client.get(f"/api/v1/cases/{old}", headers=writer).status_code == 404

    # the same on the page, the reason shown and the case id escaped
    site.user("root-page", "admin")
    page_client = site.client()
    csrf = site.login(page_client, "root-page")
    page = page_client.post(f"/admin/deleted-cases/{old}/restore", data={"csrf_token": csrf})
    assert page.status_code == 409
    assert "has been given to another case" in page.text
    assert "Mrs &lt;b&gt;X&lt;/b&gt;" in page.text and "<b>X</b>" not in page.text


def test_the_page_lists_who_deleted_what_and_restores_with_its_token(site: Site) -> None:
    writer = site.token("dr-a", "clinician")
    api = site.client()
    pk = api.post("/api/v1/cases", json=_doc(), headers=writer).json()["id"]
    api.delete(f"/api/v1/cases/{pk}", headers=writer)

    site.user("dr-b", "clinician")
    clinician = site.client()
    csrf = site.login(clinician, "dr-b")
    assert clinician.get("/admin/deleted-cases").status_code == 403
    refused = clinician.post(f"/admin/deleted-cases/{pk}/restore", data={"csrf_token": csrf})
    assert refused.status_code == 403

    site.user("root", "admin")
    client = site.client()
    csrf = site.login(client, "root")
    assert 'href="/admin/deleted-cases"' in client.get("/account").text
    page = client.get("/admin/deleted-cases")
    assert page.status_code == 200
    assert "d-1" in page.text and "dr-a" in page.text and "Mrs &lt;b&gt;X&lt;/b&gt;" in page.text
    assert f'action="/admin/deleted-cases/{pk}/restore"' in page.text
    # without the form's token nothing is restored
    forged = client.post(f"/admin/deleted-cases/{pk}/restore", data={"csrf_token": "x"})
    assert forged.status_code == 403
    assert api.get(f"/api/v1/cases/{pk}", headers=writer).status_code == 404
    done = client.post(f"/admin/deleted-cases/{pk}/restore", data={"csrf_token": csrf})
    assert done.status_code == 303 and done.headers["location"] == f"/cases/{pk}?restored=1"
    shown = client.get(done.headers["location"])
    assert "The case was restored" in shown.text
    assert "No case has been deleted." in client.get("/admin/deleted-cases").text


def test_a_deletion_with_if_match_refuses_a_case_edited_since(site: Site) -> None:
    client = site.client()
    writer = site.token("dr-a", "clinician")
    created = client.post("/api/v1/cases", json=_doc(), headers=writer)
    pk, tag = created.json()["id"], created.headers["ETag"]
    client.put(f"/api/v1/cases/{pk}", json=_doc(label="edited"), headers=writer)
    stale = client.delete(f"/api/v1/cases/{pk}", headers={**writer, "If-Match": tag})
    assert stale.status_code == 412 and stale.headers["ETag"] == '"2"'
    body = stale.json()
    assert body["current_version"] == 2 and body["changed_by"] == "dr-a"
    assert body["detail"].endswith("Nothing was deleted.")
    assert client.get(f"/api/v1/cases/{pk}", headers=writer).status_code == 200
    bad = client.delete(f"/api/v1/cases/{pk}", headers={**writer, "If-Match": 'W/"2"'})
    assert bad.status_code == 400
    fresh = client.delete(f"/api/v1/cases/{pk}", headers={**writer, "If-Match": '"2"'})
    assert fresh.status_code == 204
    assert client.get(f"/api/v1/cases/{pk}", headers=writer).status_code == 404
