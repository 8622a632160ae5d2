"""Published case reports nelm was not written from (``published_cases.py``).

The expected statuses, criterion results, derived facts, missing fields and first plan step
are read from the seed sentence quoted with each patient, never from a run. As for the seed
patients, removing a known value may leave a criterion unknown but never settles it the
other way (case-v1: an absent field is unknown).
"""

from __future__ import annotations

import pytest

from tests.engine.published_cases import PUBLISHED_CASES
from tests.engine.seed_patients import SeedPatient
from tests.engine.test_seed_patients import (
    test_a_seed_patient_gets_the_verdicts_its_seed_sentence_gives as _verdicts,
)
from tests.engine.test_seed_patients import (
    test_removing_a_known_value_only_ever_leaves_a_criterion_unknown as _removal,
)

IDS = [p.name for p in PUBLISHED_CASES]


@pytest.mark.parametrize("patient", PUBLISHED_CASES, ids=IDS)
def test_a_published_case_gets_the_verdicts_its_seed_sentences_give(patient: SeedPatient) -> None:
    _verdicts(patient)


@pytest.mark.parametrize("patient", PUBLISHED_CASES, ids=IDS)
def test_removing_a_known_value_from_a_published_case_only_leaves_criteria_unknown(
    patient: SeedPatient,
) -> None:
    _removal(patient)
