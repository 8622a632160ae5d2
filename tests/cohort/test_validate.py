"""Validating cohort rows: each reject reason in full, whole-file errors, nothing dropped.

The messages are those of the per-case validator (``nelm.case.document``), word for word,
so that a row of a cohort and the same case given to ``nelm assess`` are refused alike.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from nelm.cohort.columns import INPUT_COLUMNS
from nelm.cohort.pipeline import process_chunk
from nelm.cohort.synth import synth_frame
from nelm.cohort.validate import check_columns, prepare, validate
from nelm.errors import InputRejected


def rejects_of(cells: dict[str, Any], schema: dict[str, Any] | None = None) -> list[str]:
    frame = pl.DataFrame({"case_id": ["c1"], **{k: [v] for k, v in cells.items()}}, schema=schema)
    result = process_chunk(frame, 1)
    assert result.output.height == 0 and result.rejected_rows == 1
    return result.rejects.get_column("reason").to_list()


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (
            {"pathology.ki67_percent": "140"},
            "pathology.ki67_percent: must be a number between 0 and 100, got 140",
        ),
        (
            {"pathology.ki67_percent": "12,5"},
            'pathology.ki67_percent: must be a number between 0 and 100, got "12,5" '
            "(write a decimal point: 12.5)",
        ),
        (
            {"pathology.ki67_percent": "nan"},
            'pathology.ki67_percent: must be a number between 0 and 100, got "nan"',
        ),
        (
            {"primary.size_cm": "0"},
            "primary.size_cm: must be a number greater than 0 and at most 50, got 0",
        ),
        ({"liver.lesion_count": "0"}, "liver.lesion_count: must be a whole number ≥ 1, got 0"),
        ({"patient.ecog": "2.5"}, "patient.ecog: must be a whole number between 0 and 4, got 2.5"),
        (
            {"patient.sex": "F"},
            'patient.sex: must be one of female, male, other, got "F" (did you mean female?)',
        ),
        (
            {"anatomy.ascites": "yes"},
            'anatomy.ascites: must be true or false, got "yes" (write true)',
        ),
        (
            {"extrahepatic.sites": "bone;moon"},
            "extrahepatic.sites: must list only bone, lung, distant_nodes, peritoneum, other, "
            'got "moon"',
        ),
        ({"schema_version": "2"}, "schema_version: must be 1 (case-v1), got 2"),
        (
            {"pathology.differentiation": "well", "pathology.nec_subtype": "small_cell"},
            "pathology.nec_subtype: may be given only with poorly differentiated histology "
            '(case-v1), got "small_cell" with differentiation "well"',
        ),
        (
            {"liver.lesion_count": "1", "liver.distribution": "bilobar_diffuse"},
            "liver.distribution: must be unilobar (or absent) when liver.lesion_count is 1: a "
            'single lesion is type I (case-v1), got "bilobar_diffuse"',
        ),
        (
            {"extrahepatic.present": "false", "extrahepatic.sites": "bone"},
            "extrahepatic.sites: must be empty when extrahepatic.present is false, got a list",
        ),
    ],
)
def test_each_reason_in_full(cells: dict[str, str], reason: str) -> None:
    assert rejects_of(cells) == [reason]


def test_native_values_are_checked_the_same_way() -> None:
    schema = {
        "case_id": pl.String,
        "labs.bilirubin_mg_dl": pl.Float64,
        "imaging.krenning_score": pl.Float64,
        "anatomy.ascites": pl.Int64,
    }
    cells = {
        "labs.bilirubin_mg_dl": float("nan"),
        "imaging.krenning_score": 5.0,
        "anatomy.ascites": 1,
    }
    assert rejects_of(cells, schema) == [  # in the order of the case fields
        "imaging.krenning_score: must be a whole number between 0 and 4, got 5.0",
        "labs.bilirubin_mg_dl: must be a number between 0 and 50, got NaN",
        "anatomy.ascites: must be true or false, got 1",
    ]


@pytest.mark.parametrize(
    ("case_id", "reason", "shown"),
    [
        (None, "case_id: is required: text of 1 to 128 characters, got nothing", None),
        ("   ", 'case_id: must be text of 1 to 128 characters, got "   "', "   "),
        # the rejects file's case_id column shows at most the 128 characters an id may have
        (
            "x" * 129,
            'case_id: must be text of 1 to 128 characters, got "' + "x" * 58 + "…",
            "x" * 128 + "…",
        ),
    ],
)
def test_case_id_must_be_text_of_1_to_128_characters(
    case_id: str | None, reason: str, shown: str | None
) -> None:
    # a row with a value besides its id: a row with nothing in it is skipped, not rejected
    frame = pl.DataFrame(
        {"case_id": [case_id], "pathology.ki67_percent": ["12"]},
        schema={"case_id": pl.String, "pathology.ki67_percent": pl.String},
    )
    result = process_chunk(frame, 1)
    assert result.rejects.to_dicts() == [
        {"case_id": shown, "field": "case_id", "reason": reason, "row": 1}
    ]
    assert result.empty_rows == ()


def test_every_problem_of_a_row_is_listed_in_the_validators_order() -> None:
    frame = pl.DataFrame(
        {
            "case_id": ["c9"],
            "patient.sex": ["F"],
            "labs.ldh_u_l": ["-1"],
            "pathology.differentiation": ["well"],
            "pathology.nec_subtype": ["large_cell"],
        }
    )
    result = process_chunk(frame, 7)
    assert [(r["field"], r["row"], r["case_id"]) for r in result.rejects.to_dicts()] == [
        ("patient.sex", 7, "c9"),
        ("labs.ldh_u_l", 7, "c9"),
        ("pathology.nec_subtype", 7, "c9"),
    ]


def test_text_written_unusually_but_validly_is_accepted() -> None:
    frame = pl.DataFrame(
        {
            "case_id": ["a"],
            "anatomy.ascites": [" TRUE "],
            "pathology.ki67_percent": [" 12 "],
            "extrahepatic.sites": ["bone ; lung;"],
            "primary.site": ["lung "],
        }
    )
    checked = validate(prepare(frame), 1)
    assert checked.rejected_rows == 0 and checked.flagged_rows == 1
    row = checked.typed.row(0, named=True)
    assert (
        row["anatomy.ascites"],
        row["pathology.ki67_percent"],
        row["primary.site"],
        row["extrahepatic.sites"],
    ) == (True, 12.0, "lung", ["bone", "lung"])


def test_plain_rows_are_settled_by_the_column_rules_alone() -> None:
    """Only rejects go through the per-case validator when the text is written plainly."""
    frame = synth_frame(3000, seed=2)
    text = frame.with_columns(pl.col(pl.List(pl.String)).list.join(";")).with_columns(
        pl.all().cast(pl.String)
    )
    bad = text.with_columns(
        pl.when(pl.int_range(pl.len()) % 10 == 0)
        .then(pl.lit("121"))
        .otherwise(pl.col("patient.age_years"))
        .alias("patient.age_years")
    )
    for chunk, rejected in ((frame, 0), (text, 0), (bad, 300)):
        checked = validate(prepare(chunk), 1)
        assert checked.rejected_rows == rejected
        assert checked.flagged_rows == rejected
        assert checked.typed.height + rejected == chunk.height  # nothing dropped


def test_an_empty_cell_is_unknown_not_wrong() -> None:
    frame = pl.DataFrame({"case_id": ["a"], "patient.ecog": ["  "], "extrahepatic.sites": [";"]})
    checked = validate(prepare(frame), 1)
    assert checked.rejected_rows == 0
    row = checked.typed.row(0, named=True)
    assert row["patient.ecog"] is None and row["extrahepatic.sites"] == []


def test_unknown_repeated_and_missing_columns_reject_the_file() -> None:
    with pytest.raises(InputRejected) as caught:
        check_columns(["pathology.ki67_percnt", "patient.sex", "patient.sex"])
    assert [p.message for p in caught.value.problems] == [
        "pathology.ki67_percnt: a known column (did you mean pathology.ki67_percent?), "
        "got an unknown column",
        "patient.sex: each column once, got a repeated column",
        "case_id: a case_id column, got a file without one",
    ]
    check_columns(list(INPUT_COLUMNS))
    # a registry's own header names the field it holds (data/key_words.yaml)
    with pytest.raises(InputRejected) as caught:
        check_columns(["case_id", "Ki-67 (%)", "liver.lesions"])
    assert [p.message for p in caught.value.problems] == [
        "Ki-67 (%): the column pathology.ki67_percent, whose unit is % too: name it "
        "pathology.ki67_percent, got a column named with its unit",
        "liver.lesions: a known column (did you mean liver.lesion_count?), got an unknown column",
    ]


def test_a_column_named_in_another_unit_is_not_pointed_to_the_field_alone() -> None:
    # case-v1.md: bilirubin in mg/dL, sizes in cm. Renamed as "did you mean" would say,
    # bilirubin in µmol/L (normal up to about 20) would be read as mg/dL (severe jaundice):
    # the message asks for the conversion first (17.1 µmol/L = 1 mg/dL, Young DS, Ann Intern
    # Med 1987;106:114-129; 10 mm = 1 cm).
    with pytest.raises(InputRejected) as caught:
        check_columns(["case_id", "labs.bilirubin_umol_l", "liver.largest_lesion_mm"])
    assert [p.message for p in caught.value.problems] == [
        "labs.bilirubin_umol_l: the column labs.bilirubin_mg_dl, in mg/dL: convert the values "
        "from µmol/L to mg/dL (÷ 17.1) and name it labs.bilirubin_mg_dl; no column is read in "
        "µmol/L, got a column named in µmol/L",
        "liver.largest_lesion_mm: the column liver.largest_lesion_cm, in cm: convert the values "
        "from mm to cm (÷ 10) and name it liver.largest_lesion_cm; no column is read in mm, "
        "got a column named in mm",
    ]


def test_a_column_of_dates_rejects_the_file() -> None:
    import datetime

    frame = pl.DataFrame({"case_id": ["a"], "patient.age_years": [datetime.date(2020, 1, 1)]})
    with pytest.raises(InputRejected, match=r"patient\.age_years: a column of text, numbers"):
        prepare(frame)


def test_polars_reads_exactly_the_numbers_the_text_grammar_describes() -> None:
    """The column rule casts text to numbers with polars; the row reading uses
    ``NUMBER_TEXT``. Every string of up to four characters from a number-ish alphabet is
    read as the same finite number by both, or by neither."""
    import itertools
    import math
    import re

    from nelm.cohort.columns import NUMBER_TEXT

    alphabet = "01.eE+-inf_x, "
    texts = ["".join(p) for n in range(1, 5) for p in itertools.product(alphabet, repeat=n)]
    parsed = pl.Series(texts).cast(pl.Float64, strict=False).to_list()
    grammar = re.compile(NUMBER_TEXT)
    for text, number in zip(texts, parsed, strict=True):
        finite = number is not None and math.isfinite(number)
        assert finite == bool(grammar.match(text)), text
        if finite:
            assert number == float(text), text


def test_an_empty_header_cell_is_named_by_its_position() -> None:
    # A spreadsheet saved as CSV often ends the header line with a separator: the empty
    # column was reported as "document: a known column …", which names nothing.
    with pytest.raises(InputRejected) as caught:
        check_columns(["case_id", "pathology.ki67_percent", ""])
    assert [p.message for p in caught.value.problems] == [
        "column 3: a column with a name (a separator at the end of the header line leaves "
        "an empty one: remove it), got a column without a name"
    ]
