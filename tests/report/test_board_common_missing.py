"""The missing data most options wait on, named once above the option cards, and what each
card then names: the rule (nelm.report.board, ``BoardView.common_missing``) on options made
by hand, every expected value worked out by hand from the lists below.

The rule, as the case page says it: the data that more than half of the options waiting on
missing data wait on, when at least three options wait on missing data; a card that waits
on more than half of those names "the common data above" (and those of them it does not
wait on) and what else it waits on; a card that waits on the very same data (three or more)
as a card above it names that card instead.
"""

from __future__ import annotations

from nelm.report.board import BoardView, CommonMissing, MissingOnCard, OptionRow

KI67, MITOSES, DIFF = "Ki-67 index", "Mitotic count", "Differentiation"
EXTRA, FIT, SITE, SSTR = "Extrahepatic disease", "Fit for major surgery", "Primary site", "SSTR"


def _option(oid: str, missing: tuple[str, ...], status: str = "uncertain") -> OptionRow:
    return OptionRow(
        id=oid,
        name=f"Option {oid}",
        status=status,
        intent="systemic_control",
        criteria=(),
        failing=(),
        missing=missing,
        cautions=(),
        short=oid,
    )


def _view(*options: OptionRow) -> BoardView:
    return BoardView(
        case_id="c",
        label=None,
        knowledge_version="k",
        facts=[],
        plan=[],
        warnings=[],
        investigations=[],
        options=list(options),
    )


SIX = (
    _option("a", (KI67, MITOSES, DIFF, EXTRA, FIT)),
    _option("b", (EXTRA, FIT, KI67, MITOSES, DIFF)),  # the same five, in another order
    _option("c", (KI67, MITOSES, DIFF, SITE)),
    _option("d", (KI67, MITOSES, DIFF)),
    _option("e", (SSTR,)),
    _option("f", (KI67, MITOSES, EXTRA)),
    _option("g", (), status="eligible"),  # waits on nothing: not counted
)


def test_the_common_data_are_those_more_than_half_of_the_waiting_options_wait_on() -> None:
    # six options wait on data (g does not): Ki-67 and the mitotic count 5 (a b c d f),
    # differentiation 4 (a b c d), extrahepatic disease 3 (a b f: half, not more),
    # fitness 2, primary site 1, SSTR 1
    assert _view(*SIX).common_missing == CommonMissing(
        groups=((5, (KI67, MITOSES)), (4, (DIFF,))), waiting=6
    )


def test_each_card_names_what_it_waits_on_beyond_the_common_data() -> None:
    view = _view(*SIX)
    cards = {o.id: view.missing_on_card(o) for o in SIX}
    assert cards == {
        "a": MissingOnCard(common=(KI67, MITOSES, DIFF), own=(EXTRA, FIT)),
        # b waits on a's five data: it names a, whose card lists them
        "b": MissingOnCard(same_as=("a", "a")),
        "c": MissingOnCard(common=(KI67, MITOSES, DIFF), own=(SITE,)),
        "d": MissingOnCard(common=(KI67, MITOSES, DIFF)),
        # SSTR is none of the common data: its whole list, as before
        "e": None,
        # two of the three common data: "except differentiation"
        "f": MissingOnCard(common=(KI67, MITOSES), not_common=(DIFF,), own=(EXTRA,)),
        "g": None,
    }


def test_a_card_waiting_on_half_of_the_common_data_or_fewer_names_its_whole_list() -> None:
    # common: Ki-67 and the mitotic count (3 of 4 each); x waits on one of the two
    options = (
        _option("u", (KI67, MITOSES)),
        _option("v", (KI67, MITOSES, FIT)),
        _option("w", (KI67, MITOSES, SITE)),
        _option("x", (KI67, SSTR)),
    )
    view = _view(*options)
    assert view.common_missing == CommonMissing(groups=((4, (KI67,)), (3, (MITOSES,))), waiting=4)
    assert view.missing_on_card(options[3]) is None


def test_two_options_waiting_have_no_common_data_and_a_short_list_no_same_as() -> None:
    two = (_option("a", (KI67, MITOSES)), _option("b", (KI67, MITOSES)))
    view = _view(*two)
    assert view.common_missing is None
    # the same two data: shorter to read than another card's name
    assert view.missing_on_card(two[1]) is None


def test_no_common_data_when_no_datum_is_waited_on_by_more_than_half() -> None:
    options = (_option("a", (KI67,)), _option("b", (MITOSES,)), _option("c", (DIFF,)))
    assert _view(*options).common_missing is None
