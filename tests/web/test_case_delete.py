"""Deleting a case from its page (docs/web.md "Deleting a case"): the form names the
version the page showed, and a case changed since is not deleted, as the REST API's
``DELETE`` with ``If-Match`` (docs/api.md "Concurrent edits")."""

from __future__ import annotations

import html
import re
from typing import Any

from starlette.testclient import TestClient

from nelm.case.fields import FIELD_BY_PATH
from nelm.web.cases import normalised_document
from tests.web.conftest import Site, session_csrf
from tests.web.test_api import case_doc


def _stored(site: Site, **extra: Any) -> int:
    return site.store.create_case(normalised_document(case_doc("del-1", **extra)), None).id


def _delete_form(page: str) -> dict[str, str]:
    """The hidden fields of the case page's delete form."""
    found = re.search(r'<form method="post" action="/cases/\d+/delete">(.*?)</form>', page, re.S)
    assert found is not None, "the case page has no delete form"
    return dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', found.group(1)))


def _writer(site: Site, name: str = "dr-a") -> TestClient:
    client = site.client()
    site.user(name, "clinician")
    site.login(client, name)
    return client


def test_a_case_is_deleted_from_its_page_after_a_question(site: Site) -> None:
    pk = _stored(site)
    client = _writer(site)
    page = client.get(f"/cases/{pk}").text
    assert "Delete this case…" in page
    form = _delete_form(page)
    assert form["version"] == "1"
    done = client.post(f"/cases/{pk}/delete", data=form)
    assert done.status_code == 303 and done.headers["location"] == "/?deleted=1"
    assert client.get(f"/cases/{pk}").status_code == 404
    listed = client.get(done.headers["location"]).text
    assert 'id="case-deleted"' in listed and "an administrator can restore it" in listed
    assert [c.id for c in site.store.list_deleted_cases()] == [pk]


def test_a_case_changed_since_the_page_was_loaded_is_not_deleted(site: Site) -> None:
    pk = _stored(site)
    dr_a = _writer(site, "dr-a")
    form = _delete_form(dr_a.get(f"/cases/{pk}").text)  # version 1 on dr-a's screen
    # dr-b stores version 2 (a Ki-67 of 25 %) while dr-a's page is open
    site.store.update_case(
        pk,
        normalised_document(case_doc("del-1", pathology={"ki67_percent": 25})),
        site.user("dr-b", "clinician"),
    )
    refused = dr_a.post(f"/cases/{pk}/delete", data=form)
    assert refused.status_code == 409
    assert site.store.get_case(pk).current_version == 2  # still there
    text = html.unescape(re.sub(r"<[^>]+>", "", refused.text))
    assert "The case was not deleted: it changed after your page was loaded." in text
    assert "Your page showed version 1; version 2 was stored by dr-b" in text
    changes = refused.text.split('id="delete-changes">', 1)[1].split("</ul>", 1)[0]
    assert FIELD_BY_PATH["pathology.ki67_percent"].label in html.unescape(changes)
    # the page now shows version 2, and its form deletes version 2
    again = _delete_form(refused.text)
    assert again["version"] == "2"
    assert dr_a.post(f"/cases/{pk}/delete", data=again).status_code == 303
    assert site.store.list_cases() == []


def _shown_error(page: str) -> str:
    found = re.search(r'<p class="alert" role="alert">(.*?)</p>', page, re.S)
    assert found is not None
    return html.unescape(found.group(1))


def test_a_delete_form_without_the_version_deletes_nothing(site: Site) -> None:
    pk = _stored(site)
    client = _writer(site)
    csrf = session_csrf(client)
    for sent, expected, received in (
        ({}, "the version number the case page showed, such as 3", "nothing"),
        ({"version": "x3"}, "the version number the case page showed, such as 3", '"x3"'),
        ({"version": "7"}, "a version from 1 to 1", "7"),
    ):
        refused = client.post(f"/cases/{pk}/delete", data={"csrf_token": csrf, **sent})
        assert refused.status_code == 422
        assert _shown_error(refused.text) == (
            f"The case was not deleted: the form's field 'version' must be {expected}; it "
            f"held {received}. Open the case page again and delete the case from there."
        )
    assert site.store.get_case(pk).current_version == 1


def test_a_viewer_sees_no_delete_form_and_cannot_delete(site: Site) -> None:
    pk = _stored(site)
    viewer = site.client()
    site.user("viewer", "viewer")
    site.login(viewer, "viewer")
    page = viewer.get(f"/cases/{pk}").text
    assert "Delete this case" not in page
    csrf = session_csrf(viewer)
    refused = viewer.post(f"/cases/{pk}/delete", data={"csrf_token": csrf, "version": "1"})
    assert refused.status_code == 403
    assert site.store.get_case(pk).current_version == 1


def test_an_earlier_version_s_page_offers_no_deletion(site: Site) -> None:
    pk = _stored(site)
    site.store.update_case(
        pk, normalised_document(case_doc("del-1", pathology={"ki67_percent": 25})), None
    )
    client = _writer(site)
    assert "Delete this case" not in client.get(f"/cases/{pk}?version=1").text
    assert _delete_form(client.get(f"/cases/{pk}").text)["version"] == "2"
