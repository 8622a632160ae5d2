"""The board summary's "Cautions for this patient": for the plan's open options and for the
options the board chose, whatever nelm says of them.

002 §3.3: a patient with the carcinoid syndrome risks a carcinoid crisis around a
liver-directed procedure and is given octreotide cover; the embolisations ask for bilirubin
< 2 mg/dL (002 §3.3), so with 3 mg/dL TAE is ineligible — and a board that chooses it
anyway (its reason recorded) still needs the octreotide cover on the printed summary.
"""

from __future__ import annotations

from nelm.report.board import BoardView, PatientCaution, board_view
from nelm.service import assess_mapping
from tests.engine.cases import BASE, with_changes

CRISIS = "Carcinoid syndrome: risk of periprocedural carcinoid crisis"
TAE = "TAE"
"""TAE by its short name, as the full report's cautions name the options they concern."""


def _view() -> tuple[BoardView, list[str]]:
    doc = with_changes(
        BASE, {"primary.functional_syndrome": "carcinoid", "labs.bilirubin_mg_dl": 3}
    )
    out = assess_mapping(doc, with_evidence=False)
    assert out["options"]["tae"]["status"] == "ineligible"
    view = board_view(out)
    return view, [oid for step in view.plan for oid, _, _ in step.options]


def _crisis_options(cautions: list[PatientCaution]) -> list[str]:
    (crisis,) = [c for c in cautions if c.text.startswith(CRISIS)]
    return list(crisis.options)


def test_an_option_chosen_against_its_status_keeps_its_cautions() -> None:
    view, plan = _view()
    assert TAE not in _crisis_options(view.patient_cautions(plan))
    assert TAE in _crisis_options(view.patient_cautions(plan, chosen=["tae"]))
