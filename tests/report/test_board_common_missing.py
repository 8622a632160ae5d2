"""The missing data most options wait on, named once above the option cards, and what each
card then names: the rule (nelm.report.board, ``BoardView.common_missing``) on options made
by hand, every expected value worked out by hand from the lists below.

The rule (docs/web.md, the case page): a card waiting on three missing data or fewer names
them all; a longer one that waits on the very same data as a card above it names that
card; else, when it waits on more than half of the common data — those that more than half
of the options waiting on missing data wait on — it names "the common data above" (and
those of them it does not wait on) and what else it waits on. The common data are named
above the cards when at least three cards refer to them.
"""

from __future__ import annotations

from nelm.report.board import BoardView, CommonMissing, MissingOnCard, OptionRow

KI67, MITOSES, DIFF = "Ki-67 index", "Mitotic count", "Differentiation"
EXTRA, FIT, SITE, SSTR = "Extrahepatic disease", "Fit for major surgery", "Primary site", "SSTR"
BILI, PLT, KRENNING, LDH, AST = "Bilirubin", "Platelets", "Krenning score", "LDH", "AST"


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
    _option("d", (KI67, MITOSES, DIFF)),  # three: named whole
    _option("e", (SSTR,)),
    _option("f", (KI67, MITOSES, EXTRA, SITE)),
    _option("g", (), status="eligible"),  # waits on nothing: not counted
)


def test_the_common_data_are_those_more_than_half_of_the_waiting_options_wait_on() -> None:
    # six options wait on data (g does not): Ki-67 and the mitotic count 5 (a b c d f),
    # differentiation 4 (a b c d), extrahepatic disease 3 (a b f: half, not more),
    # fitness 2 (a b), primary site 2 (c f), SSTR 1; a, c and f refer to them
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
        # three data, and one: named whole
        "d": None,
        "e": None,
        # two of the three common data: "except differentiation"
        "f": MissingOnCard(common=(KI67, MITOSES), not_common=(DIFF,), own=(EXTRA, SITE)),
        "g": None,
    }


def test_a_card_waiting_on_half_of_the_common_data_or_fewer_names_its_whole_list() -> None:
    # common: Ki-67 (4 of 4) and the mitotic count (3 of 4); x waits on one of the two
    options = (
        _option("u", (KI67, MITOSES, FIT, SITE)),
        _option("v", (KI67, MITOSES, EXTRA, SSTR)),
        _option("w", (KI67, MITOSES, BILI, PLT)),
        _option("x", (KI67, KRENNING, LDH, AST)),
    )
    view = _view(*options)
    assert view.common_missing == CommonMissing(groups=((4, (KI67,)), (3, (MITOSES,))), waiting=4)
    assert view.missing_on_card(options[0]) == MissingOnCard(
        common=(KI67, MITOSES), own=(FIT, SITE)
    )
    assert view.missing_on_card(options[3]) is None


def test_short_lists_are_named_whole_and_no_common_data_are_named_for_them() -> None:
    # a full case: three embolisations waiting on the same two data (resectable-pnet's
    # TAE, cTACE and DEB-TACE wait on two)
    three = tuple(_option(oid, (BILI, PLT)) for oid in ("p", "q", "r"))
    view = _view(*three)
    assert view.common_missing is None
    assert [view.missing_on_card(o) for o in three] == [None, None, None]


def test_fewer_than_three_cards_referring_name_no_common_data_but_keep_the_same_as() -> None:
    # the common data would be Ki-67, mitoses (3 of 3), differentiation and extrahepatic
    # disease (2 of 3); only p would refer to them (q names p, r is short)
    options = (
        _option("p", (KI67, MITOSES, DIFF, EXTRA)),
        _option("q", (EXTRA, DIFF, MITOSES, KI67)),
        _option("r", (KI67, MITOSES)),
    )
    view = _view(*options)
    assert view.common_missing is None
    assert [view.missing_on_card(o) for o in options] == [
        None,
        MissingOnCard(same_as=("p", "p")),
        None,
    ]


def test_no_common_data_when_no_datum_is_waited_on_by_more_than_half() -> None:
    # three options, each datum waited on by one of them
    options = (
        _option("a", (KI67, BILI, PLT, LDH)),
        _option("b", (MITOSES, AST, SSTR, KRENNING)),
        _option("c", (DIFF, EXTRA, FIT, SITE)),
    )
    view = _view(*options)
    assert view.common_missing is None
    assert [view.missing_on_card(o) for o in options] == [None, None, None]
