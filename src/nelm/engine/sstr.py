"""SSTR imaging stated three ways, and what the criteria read when the ways disagree.

A case can state somatostatin-receptor imaging as positive or negative
(``imaging.sstr_positive``), as a Krenning score (``imaging.krenning_score``, 0–4) and as the
PET uptake against normal liver (``imaging.sstr_uptake_vs_liver``). On the Krenning scale
(Krenning EP et al., Ann N Y Acad Sci 1994;733:416-424) 0 is no uptake, 1 below normal
liver, 2 like the liver, 3 above it and 4 above the spleen or kidneys; uptake at least that
of normal liver is positive (NETTER-1's eligibility).

Two statements that contradict each other (negative imaging beside a Krenning score of 3)
leave the imaging unknown: nelm cannot tell which one is wrong, and taking either would
rule PRRT or the somatostatin analogue in or out on a report that may be mistaken. The
criteria read every field of such a pair as unknown, the assessment warns of the
contradiction (``nelm.engine.consistency``) and shows each field's value as set aside; the
cohort compiler does the same over columns (``nelm.cohort.derive.implied_columns``).
"""

from __future__ import annotations

from collections.abc import Mapping

from nelm.case.document import Value

__all__ = [
    "KRENNING",
    "KRENNING_VS_LIVER",
    "SSTR_FIELDS",
    "SetAside",
    "krenning_disagrees_with_uptake",
    "set_aside",
    "unreadable_sstr",
]

KRENNING = "Krenning EP et al., Ann N Y Acad Sci 1994;733:416-424 (Krenning scale)"
KRENNING_VS_LIVER = {1: "below_liver", 2: "like_liver", 3: "above_liver", 4: "above_liver"}
"""The uptake against normal liver each positive Krenning score stands for."""
AT_LEAST_LIVER = ("like_liver", "above_liver")

SSTR, SCORE, UPTAKE = (
    "imaging.sstr_positive",
    "imaging.krenning_score",
    "imaging.sstr_uptake_vs_liver",
)
SSTR_FIELDS = (SSTR, SCORE, UPTAKE)


def _score(values: Mapping[str, Value]) -> int | None:
    score = values.get(SCORE)
    return score if isinstance(score, int) and not isinstance(score, bool) else None


def krenning_disagrees_with_uptake(values: Mapping[str, Value]) -> bool:
    """A Krenning score and an uptake against the liver that describe different uptake
    (Krenning 3 beside uptake below the liver; Krenning 0, no uptake, beside uptake like or
    above the liver)."""
    score, uptake = _score(values), values.get(UPTAKE)
    if score is None or uptake is None:
        return False
    if score == 0:
        return uptake in AT_LEAST_LIVER
    return KRENNING_VS_LIVER.get(score, uptake) != uptake


def _pairs(values: Mapping[str, Value]) -> list[tuple[str, str]]:
    """Each pair of SSTR fields that contradict each other."""
    sstr, score, uptake = values.get(SSTR), _score(values), values.get(UPTAKE)
    pairs: list[tuple[str, str]] = []
    if score is not None and ((sstr is False and score >= 2) or (sstr is True and score == 0)):
        pairs.append((SSTR, SCORE))
    if sstr is False and uptake in AT_LEAST_LIVER:
        pairs.append((SSTR, UPTAKE))
    if krenning_disagrees_with_uptake(values):
        pairs.append((SCORE, UPTAKE))
    return pairs


_WORDS = {
    SSTR: lambda v: "SSTR imaging " + ("positive" if v is True else "negative"),
    SCORE: lambda v: f"the Krenning score {v}",
    UPTAKE: lambda v: "uptake " + str(v).replace("_", " "),
}


SetAside = tuple[tuple[str, Value, str], ...]
"""(path, the value given, the statement it contradicts in words)."""


def set_aside(values: Mapping[str, Value]) -> SetAside:
    """The SSTR fields the criteria read as unknown, each with its value and the statement
    it contradicts ("the Krenning score 3"); empty when the statements agree."""
    against: dict[str, list[str]] = {}
    for a, b in _pairs(values):
        against.setdefault(a, []).append(_WORDS[b](values[b]))
        against.setdefault(b, []).append(_WORDS[a](values[a]))
    return tuple(
        (path, values[path], " and ".join(against[path])) for path in SSTR_FIELDS if path in against
    )


def unreadable_sstr(given: SetAside) -> bool:
    """Whether no statement of ``imaging.sstr_positive`` could be read: the Krenning score and
    the uptake against the liver, both given, contradict each other, so a positive
    statement contradicts the one and a negative the other, and either is set aside. The
    contradiction is to be settled, not the statement asked for (it would settle nothing)."""
    values = {path: value for path, value, _ in given if path in (SCORE, UPTAKE)}
    return len(values) == 2 and krenning_disagrees_with_uptake(values)
