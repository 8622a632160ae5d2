"""Security labels reach the CDS Hooks card as they reach ``nelm assess``: a prefetched
search whose Bundle carries a label hands it to every resource it holds (FHIR R4 Security
Labels, https://hl7.org/fhir/R4/security-labels.html: the recipient carries the labels
forward), so a search labelled 42 CFR Part 2 is set aside and said on top of the card
(docs/fhir-mapping.md, "Security labels"; docs/cds-hooks.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_cds_helpers import hook_body, make_harness, patient_id_of, plain, prefetch_from_bundle

from nelm.interop.fhir.synthetic import make_bundle

PART_2 = {
    "system": "http://terminology.hl7.org/CodeSystem/v3-ActUSPrivacyLaw",
    "code": "42CFRPart2",
}
RESTRICTED = {"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R"}


def _first_card(tmp_path: Path, prefetch: dict[str, Any], patient_id: str) -> dict[str, Any]:
    response = make_harness(tmp_path).call(hook_body(prefetch, patient_id))
    assert response.status_code == 200, response.text
    card: dict[str, Any] = response.json()["cards"][0]
    return card


def test_a_labelled_search_sets_its_resources_aside_on_the_card(tmp_path: Path) -> None:
    bundle = make_bundle(12)
    prefetch = prefetch_from_bundle(bundle)
    prefetch["observations"]["meta"] = {"security": [PART_2]}
    detail = plain(_first_card(tmp_path, prefetch, patient_id_of(bundle))["detail"])
    assert "SET ASIDE FOR THEIR SECURITY LABELS" in detail
    assert "42 CFR Part 2" in detail


def test_a_restricted_search_is_read_and_said_on_the_card(tmp_path: Path) -> None:
    bundle = make_bundle(12)
    prefetch = prefetch_from_bundle(bundle)
    prefetch["pathology"]["meta"] = {"security": [RESTRICTED]}
    detail = plain(_first_card(tmp_path, prefetch, patient_id_of(bundle))["detail"])
    assert "RESTRICTED DATA" in detail
    assert "SET ASIDE FOR THEIR SECURITY LABELS" not in detail
