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
