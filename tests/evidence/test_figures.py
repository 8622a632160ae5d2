"""nelm.evidence.figures: figures whose text is plain text and whose bytes repeat."""

from __future__ import annotations

from nelm.evidence.figures import plain_text_figure


def test_the_settings_hold_inside_and_are_undone_after() -> None:
    import matplotlib

    before = matplotlib.rcParams["text.parse_math"]
    with plain_text_figure("salt"):
        # a "$" in a study label must print as typed: no mathtext, no TeX
        assert matplotlib.rcParams["text.parse_math"] is False
        assert matplotlib.rcParams["text.usetex"] is False
        assert matplotlib.rcParams["svg.hashsalt"] == "salt"
    assert matplotlib.rcParams["text.parse_math"] == before
