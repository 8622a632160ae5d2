"""The primary's resection with liver metastases left in place, for a primary outside the
digestive tract: the evidence the card shows is not of its site.

000 §2.1 gives the operation's survival data: "A large cohort study using the National Cancer
Database found among 6088 patients with Stage IV PNETs that those who underwent primary tumor
resection had a significantly higher median OS of 63.6 months than the unresected group (14.2
months)", and retrospective series of metastatic NET whose sites it does not name.
"""

from __future__ import annotations

import pytest

from nelm.service import assess_mapping
from tests.engine.cases import eligible_case

SAID = "Primary outside the gastroenteropancreatic tract"


@pytest.mark.parametrize(
    ("site", "said"),
    [
        ("lung", True),
        ("thymus", True),
        ("other", True),
        ("pancreas", False),
        ("small_intestine", False),
        ("rectum", False),
        (None, False),  # not stated: nothing said about a site nobody gave
    ],
)
def test_a_primary_outside_the_digestive_tract_is_told_whose_evidence_it_is(
    site: str | None, said: bool
) -> None:
    case = eligible_case("primary_tumor_resection", {"primary.site": site})
    doc = assess_mapping(case, with_evidence=False)
    texts = [d["text"] for d in doc["options"]["primary_tumor_resection"]["caution_details"]]
    assert any(t.startswith(SAID) for t in texts) is said
