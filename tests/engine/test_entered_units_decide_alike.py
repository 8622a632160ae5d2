"""A number entered in another unit decides exactly as the same quantity in the field's own
unit: every option's status, every criterion's result and the plan are the same; only the
value texts differ (they show the number as entered). Conversions: nelm.case.units (Young
DS, Ann Intern Med 1987;106:114-129; 10 mm = 1 cm; 1 year = 12 months)."""

from __future__ import annotations

from typing import Any

import pytest

from nelm.case.units import ENTRY_UNITS
from nelm.service import assess_mapping
from tests.engine.cases import BASE, with_changes

# a value in the field's own unit near a threshold the knowledge base reads, per field
OWN: dict[str, float] = {
    "labs.bilirubin_mg_dl": 1.9,  # < 2 mg/dL (002 §3.3)
    "labs.creatinine_mg_dl": 1.8,  # < 2 mg/dL (002 §3.3)
    "labs.albumin_g_dl": 3.0,
    "labs.hemoglobin_g_dl": 9.5,
    "labs.platelets_per_ul": 110000,  # > 100,000 /µL (002 §3.3)
    "labs.wbc_per_ul": 3500,
    "labs.ldh_u_l": 420,  # < 425 (002 §3.3)
    "labs.ast_u_l": 96,  # < 100 (002 §3.3)
    "labs.egfr_ml_min": 42,
    "primary.size_cm": 2.4,
    "liver.largest_lesion_cm": 4.8,  # a single lesion < 5 cm (001)
    "liver.largest_lesion_cm_at_most": 3,
    "primary.months_since_primary_resection": 6,  # ENETS ≥ 6 months (001 Table 2)
    "course.months_stable": 6,  # ENETS ≥ 6 months of stable disease (001 Table 2)
}
ROWS = [(path, unit.label, unit.factor) for path in OWN for unit in ENTRY_UNITS[path][1:]]


def _decisions(doc: dict[str, Any]) -> Any:
    return (
        {
            oid: (o["status"], [(c["id"], c["result"]) for c in o["criteria"]])
            for oid, o in doc["options"].items()
        },
        [(s["options"], s["statuses"]) for s in doc["plan"]],
        doc["classification"]["grade"],
    )


@pytest.mark.parametrize(("path", "unit", "factor"), ROWS, ids=[f"{p}:{u}" for p, u, _ in ROWS])
def test_entered_in_another_unit_decides_as_in_its_own(path: str, unit: str, factor: float) -> None:
    own = OWN[path]
    changes: dict[str, Any] = {path: own}
    if path == "liver.largest_lesion_cm_at_most":
        changes["liver.largest_lesion_cm"] = None
    plain = assess_mapping(with_changes(BASE, changes), with_evidence=False)
    entered = assess_mapping(
        with_changes(BASE, {**changes, path: {"value": own / factor, "unit": unit}}),
        with_evidence=False,
    )
    assert _decisions(entered) == _decisions(plain)
    assert entered["inputs"] != plain["inputs"]  # kept as entered
