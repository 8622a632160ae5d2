"""Every source the knowledge base may cite resolves to author, title, journal, year and
DOI, and the five reviews carry the DOIs printed in their own headers."""

from __future__ import annotations

import pytest

from nelm.knowledge.loader import load_knowledge
from nelm.knowledge.sources import ReferenceList, cite_plain, reference, reference_lines, resolve

# The DOI line of each review, as printed in the article (shared/seeds/<id>_*.txt):
# 000 citation line "https://doi.org/10.3390/cancers14205103"; 001 "DOI:
# https://doi.org/10.20524/aog.2021.0574"; 003 World J Surg Oncol 2018;16:142; 004
# "doi: 10.3389/fendo.2025.1601185". 002 prints "currncol" in its citation line, a typo for
# the journal's prefix curroncol (Curr Oncol 2024;31:2076-2091).
SEED_DOIS = {
    "000": "10.3390/cancers14205103",
    "001": "10.20524/aog.2021.0574",
    "002": "10.3390/curroncol31040154",
    "003": "10.1186/s12957-018-1446-y",
    "004": "10.3389/fendo.2025.1601185",
}


@pytest.mark.parametrize("key", sorted(load_knowledge().sources))
def test_every_citable_source_resolves_for_a_reader(key: str) -> None:
    ref = reference(key)
    assert ref is not None
    assert ref.authors and ref.title and ref.journal
    own = ("case-v1", "case-history", "surgical-assessment")  # the project's own: no year, DOI
    books = ("AJCC-7", "WHO-2021-thoracic")  # books: no DOI
    labels = (  # drug labels: no DOI
        "Capecitabine-label",
        "Temozolomide-label",
        "Streptozocin-label",
        "Sunitinib-label",
        "Everolimus-label",
        "Lutathera-SmPC",
    )
    if key not in own:
        assert ref.year is not None
    if key not in own + books + labels:
        assert ref.doi


@pytest.mark.parametrize(("key", "doi"), sorted(SEED_DOIS.items()))
def test_the_reviews_carry_the_doi_of_their_header(key: str, doi: str) -> None:
    ref = reference(key)
    assert ref is not None and ref.doi == doi


def test_a_citation_reads_as_author_year_and_locator_and_is_numbered_once() -> None:
    refs = ReferenceList()
    assert refs.label("001 Table 2") == "Machairas 2021, Table 2"
    assert refs.label("001 Introduction") == "Machairas 2021, Introduction"
    assert refs.label("NETTER-1 eligibility") == "NETTER-1, Strosberg 2017, eligibility"
    assert [r.key for r in refs.order] == ["001", "NETTER-1"]
    assert resolve("999 Table 9") == (None, "999 Table 9")


def test_a_source_keyed_by_author_and_year_is_named_once() -> None:
    # sources.yaml keys the 2022 WHO overview "Rindi-2022": no "Rindi-2022, Rindi 2022"
    assert ReferenceList().label("Rindi-2022 grade terms") == "Rindi 2022, grade terms"


def test_a_citation_of_the_cases_own_field_names_the_field_not_its_path() -> None:
    # The knowledge base cites "surgical-assessment liver.surgical_assessment" for the
    # surgeons' judgement; a reader sees the field's label (case-v1 additions), not its path.
    refs = ReferenceList()
    label = refs.label("surgical-assessment liver.surgical_assessment")
    assert "liver.surgical_assessment" not in label
    assert (
        label
        == "the surgeons' judgement in the case, Liver disease resectable (surgical assessment)"
    )
    primary = refs.label("surgical-assessment primary.surgical_assessment")
    assert primary.endswith(", Primary removable (surgical assessment)")


def test_a_records_note_names_the_review_not_its_file_number() -> None:
    # Seed 004 is Xue 2025 and seed 002 Criss 2024 (their headers; sources.yaml).
    refs = ReferenceList()
    text = cite_plain("Also in seed 004 (ref 52) and seeds 002, 004.", refs)
    assert text == "Also in Xue 2025 (ref 52) and Criss 2024, Xue 2025."
    assert [r.key for r in refs.order] == ["004", "002"]


def test_the_digits_of_a_number_are_not_read_as_a_review() -> None:
    """The text "5,000 /µL" in a plausibility warning read "5,Ngongoni 2022 /µL" in the text report:
    only a standalone 000–009 is a review number."""
    review = reference("004")
    assert review is not None
    text = "range 5,000–1,500,000 /µL, 1.005 g/mL, 2.004; see 004"
    assert cite_plain(text, ReferenceList()) == (
        f"range 5,000–1,500,000 /µL, 1.005 g/mL, 2.004; see {review.short}"
    )


def test_a_records_name_is_not_read_as_a_review() -> None:
    """A warning quoting "Patient/pt-004" read "Patient/pt-Xue 2025" in a CDS card, with Xue
    2025 among its references: a record's id is the sender's, never a citation."""
    from nelm.report.board import cite_in_text

    text = (
        "DECEASED: the record says the patient died (Patient/pt-004 deceasedDateTime "
        "2024-01-02); Observation/003, net-pt-001, case_002 and 005a are ids; see 004"
    )
    refs = ReferenceList()
    review = reference("004")
    assert review is not None
    assert cite_plain(text, refs) == text.replace("see 004", f"see {review.short}")
    assert [r.key for r in refs.order] == ["004"]
    html = str(cite_in_text(text, ReferenceList()))
    assert "Patient/pt-004" in html and "net-pt-001" in html and "Observation/003" in html


def test_the_thousands_of_a_number_are_not_a_review() -> None:
    # "210,000 /µL" is a platelet count (a plausibility hint), not "210," and seed 000.
    from nelm.report.board import cite_in_text

    refs = ReferenceList()
    text = "did you mean 210 × 10⁹/L = 210,000 /µL? range 5,000–1,500,000; 000 §1"
    assert cite_plain(text, refs) == text.replace("000 §1", "Ngongoni 2022 §1")
    html = str(cite_in_text(text, ReferenceList()))
    assert "210,000 /µL" in html and "5,000–1,500,000" in html


def test_an_author_list_ending_et_al_takes_one_full_stop() -> None:
    # 003's authors end "et al." (Nigri G, Petrucciani N, Debs T, et al.; its header)
    ref = reference("003")
    assert ref is not None
    assert ref.citation.startswith("Nigri G, Petrucciani N, Debs T, et al. Treatment options")
    assert ".." not in ref.full


def test_reference_lines_number_the_references_in_order_of_first_use() -> None:
    refs = ReferenceList()
    assert reference_lines(refs) == []
    cite_plain("(004 §3.1; 000 Table 2)", refs)  # Xue 2025, then Ngongoni 2022
    lines = reference_lines(refs)
    assert lines[:2] == ["", "References"]
    assert lines[2].startswith("  1. Xue J-s, Yang Y") and lines[3].startswith("  2. Ngongoni R")
