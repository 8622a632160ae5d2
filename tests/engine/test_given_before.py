"""An option the case lists among its prior treatments carries a note saying so.

The criteria read the case as it stands; none of them weighs an earlier course of the same
treatment or the response to it (the seeds give no criteria for a repeat course of PRRT, for
example). So a board sees, on the option itself, that it was given before.
"""

from __future__ import annotations

from nelm.engine.evaluate import GIVEN_BEFORE
from nelm.service import assess_mapping


def test_a_treatment_given_before_is_marked_on_its_option_only() -> None:
    doc = assess_mapping(
        {
            "schema_version": 1,
            "case_id": "p",
            "primary": {"site": "pancreas"},
            "course": {"status": "progressing", "prior_treatments": ["ssa", "prrt"]},
        },
        with_evidence=False,
    )
    options = doc["options"]
    for given in ("ssa", "prrt"):
        details = options[given]["caution_details"]
        assert details[0] == {
            "text": GIVEN_BEFORE,
            "sources": ["case-history"],
            "case_specific": True,
        }
    marked = [
        o for o, r in options.items() if GIVEN_BEFORE in (d["text"] for d in r["caution_details"])
    ]
    assert sorted(marked) == ["prrt", "ssa"]
