"""The extraction's flags in a clinician's words (``nelm.evidence.flag_words``): one short
sentence a flag with the meaning docs/evidence-extraction.md gives it (section "Flags"),
and the extraction's notes shown without the codes they name in passing."""

from __future__ import annotations

import re

import pytest

from nelm.evidence.flag_words import FLAG_WORDS, flag_sentences, without_flag_codes
from nelm.evidence.records import FLAGS, load_records

_ANY_CODE = re.compile(r"\b(?:" + "|".join(map(re.escape, FLAGS)) + r")\b")


def test_every_flag_is_one_short_sentence_without_a_code() -> None:
    assert list(FLAG_WORDS) == list(FLAGS)
    for flag, words in FLAG_WORDS.items():
        assert words[0].isupper() and words.endswith("."), flag
        # one sentence: no full stop before the last character
        assert ". " not in words, flag
        assert "_" not in words and not _ANY_CODE.search(words), flag
        assert len(words.split()) <= 25, flag
        # the report's appendix and the command line print no note: none is referred to
        assert "note" not in words, flag


@pytest.mark.parametrize(
    ("flag", "meaning"),
    [
        # docs/evidence-extraction.md, Flags: "the cited study is not a series of
        # neuroendocrine liver metastases ...; listed, never pooled or drawn"
        ("not_nelm_cohort", ("not a series of patients with neuroendocrine liver", "never pooled")),
        # "the OS columns repeat the DFS columns ... OS figures set aside"
        ("os_probably_dfs", ("overall-survival figures repeat the disease-free", "set aside")),
        # "the arm is a subgroup of its study selected by a prognostic factor"
        ("selected_subgroup", ("subgroup of the study selected by a prognostic factor",)),
        # "the "median" column holds a mean ... Never use it as a median."
        ("mean_not_median", ("is a mean", "never used as a median")),
        # "the response figures describe only the patients with imaging follow-up"
        ("response_subset", ("only the patients with imaging follow-up",)),
    ],
)
def test_a_flag_says_what_the_extraction_documents(flag: str, meaning: tuple[str, ...]) -> None:
    words = FLAG_WORDS[flag].lower()
    for part in meaning:
        assert part in words


def test_flag_sentences_keep_the_record_s_order() -> None:
    assert flag_sentences(["year_unknown", "subgroup_outcome"]) == [
        FLAG_WORDS["year_unknown"],
        FLAG_WORDS["subgroup_outcome"],
    ]


def test_a_code_named_in_passing_goes_and_what_follows_it_stays() -> None:
    # the reasons nelm.evidence.selection gives (tests/cli/test_evidence_pool.py)
    assert (
        without_flag_codes(
            "same cohort as mayo-2011-tace (flag cohort_overlap, same author and n = 339); "
            "the most recent publication is used"
        )
        == "same cohort as mayo-2011-tace (same author and n = 339); the most recent "
        "publication is used"
    )
    assert (
        without_flag_codes("the source's median is a mean (flag mean_not_median)")
        == "the source's median is a mean"
    )
    assert (
        without_flag_codes(
            "not a series of patients with neuroendocrine liver metastases (flag "
            "not_nelm_cohort; see the note)"
        )
        == "not a series of patients with neuroendocrine liver metastases (see the note)"
    )
    # 000 Table 1, Nguyen 2007: "so the row is kept (no flag not_nelm_cohort)."
    assert without_flag_codes("so the row is kept (no flag not_nelm_cohort).") == (
        "so the row is kept."
    )
    assert without_flag_codes("Flagged subgroup_outcome so that") == "Marked so that"
    # brackets that name no flag stay as they are
    assert without_flag_codes("median OS (not reached)") == "median OS (not reached)"


def test_no_note_of_the_evidence_base_shows_a_flag_code() -> None:
    shown = {r.id: without_flag_codes(r.note) for r in load_records() if r.note}
    assert {rid: note for rid, note in shown.items() if _ANY_CODE.search(note)} == {}
