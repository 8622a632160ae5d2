"""What the resection step says beyond its rationale for this patient's liver."""

from __future__ import annotations

from typing import Any

import pytest

from nelm.service import assess_mapping
from tests.engine.cases import BASE, with_changes

NOTE = "resection_with_ablation"


def _resection_step(changes: dict[str, Any]) -> dict[str, Any]:
    plan = assess_mapping(with_changes(BASE, changes), with_evidence=False)["plan"]
    return next(s for s in plan if "liver_resection" in s["options"])


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"liver.distribution": "bilobar_dominant", "liver.lesion_count": 3}, True),
        ({"liver.distribution": None, "liver.bilobar": True, "liver.lesion_count": 3}, True),
        ({"liver.distribution": "unilobar"}, False),
        ({"liver.distribution": None, "liver.bilobar": None}, False),
    ],
)
def test_bilobar_disease_is_told_ablation_can_join_the_resection(
    changes: dict[str, Any], said: bool
) -> None:
    """001 Ablative techniques: RFA is performed "intraoperatively in combination with
    hepatic resection" and "can also be effectively combined with surgical resection in an
    effort to preserve the highest possible percentage of hepatic parenchyma"; the ablation
    option itself is judged as ablation alone (002's count of lesions)."""
    step = _resection_step(changes)
    assert (NOTE in [n["id"] for n in step.get("notes", ())]) is said
    assert ("001 Ablative techniques" in step["sources"]) is said


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"primary.site": "pancreas"}, True),
        ({"primary.site": "duodenum"}, True),
        ({"primary.site": "small_intestine"}, False),
        ({"primary.site": "pancreas", "anatomy.prior_whipple": True}, False),
    ],
)
def test_removing_a_pancreatic_primary_first_says_what_a_whipple_closes(
    changes: dict[str, Any], said: bool
) -> None:
    """003 Hepatic arterial embolization: after a pancreaticoduodenectomy "transarterial
    therapies are generally contraindicated"; 002 §3.5: radioembolisation is better suited
    after a Whipple. Said where the plan puts the primary's removal, not only on its card."""
    case = with_changes(
        BASE,
        {
            "primary.resected": False,
            "primary.resection_margin": None,
            "primary.months_since_primary_resection": None,
            "liver.distribution": "bilobar_diffuse",
            "liver.lesion_count": 30,
            **changes,
        },
    )
    plan = assess_mapping(case, with_evidence=False)["plan"]
    step = next(s for s in plan if "primary_tumor_resection" in s["options"])
    assert ("whipple_before_embolisation" in [n["id"] for n in step.get("notes", ())]) is said


@pytest.mark.parametrize(
    ("site", "said"), [("duodenum", True), ("pancreas", True), ("colon", False), (None, False)]
)
def test_a_simultaneous_resection_of_a_pancreatic_primary_says_what_a_whipple_closes(
    site: str | None, said: bool
) -> None:
    """003 Hepatic arterial embolization: after a pancreaticoduodenectomy "transarterial
    therapies are generally contraindicated"; 002 §3.5: radioembolisation is better suited
    after a Whipple. A simultaneous resection removes the primary in the first step
    (published case: a duodenal NET with one liver metastasis, resected in one stage by a
    Whipple, Lucandri 2022), so the note goes there, once."""
    case = with_changes(
        BASE,
        {
            "primary.site": site,
            "primary.resected": False,
            "primary.resection_margin": None,
            "primary.months_since_primary_resection": None,
            "liver.synchronous": True,
            "liver.lesion_count": 1,
        },
    )
    plan = assess_mapping(case, with_evidence=False)["plan"]
    step = next(s for s in plan if "simultaneous_resection" in s["options"])
    notes = [(s["step"], n["id"]) for s in plan for n in s.get("notes", ())]
    whipple = [at for at, nid in notes if nid == "whipple_before_embolisation"]
    assert whipple == ([step["step"]] if said else [])
