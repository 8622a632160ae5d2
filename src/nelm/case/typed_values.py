"""One field's raw value: accepted as nelm keeps it, or rejected with what came and, where
the text shows it, what was probably meant ("12%" → write 12; "multiple" lesions → a bound;
"Bilobar diffuse" → bilobar_diffuse). A hint names the value to write; it is never taken
in its place.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from nelm.case.fields import BOUNDS, STRICT_BOUNDS, Field, Kind, Value
from nelm.case.plausibility import clinical_number, plausible_range, slip_hint
from nelm.case.synonyms import choice_named_by, field_named_by, settling_hint
from nelm.case.units import entry_unit, unit_spelled
from nelm.errors import Problem, describe_value

__all__ = ["coerce", "dot_as_thousands"]


def coerce(spec: Field, raw: Any) -> tuple[Value | None, Problem | None]:
    """Check one raw value against its field; return the value or a problem."""
    value = _accepted(spec, raw)
    if value is not None:
        return value, None
    if spec.kind is Kind.CHOICES and isinstance(raw, list):
        bad = [i for i in raw if not (isinstance(i, str) and i in spec.choices)]
        return None, Problem(
            spec.path,
            f"must list only {', '.join(spec.choices)}",
            ", ".join(_choice_got(spec, b) for b in bad),
        )
    if spec.kind is Kind.CHOICE:
        return None, Problem(spec.path, f"must be {spec.expected()}", _choice_got(spec, raw))
    # The message is built only for a rejected value: most values are fine.
    got = describe_value(raw)
    hint = None
    if isinstance(raw, int | float) and not isinstance(raw, bool) and math.isfinite(raw):
        hint = slip_hint(spec.path, raw)
    elif isinstance(raw, dt.date) and spec.path in _DATED_BY_TIMELINE:
        hint = _DATED_BY_TIMELINE[spec.path]
    elif isinstance(raw, str) and _says_not_known(raw):
        hint = _NOT_KNOWN_HINT
    elif isinstance(raw, str) and spec.kind is Kind.BOOLEAN:
        hint = (
            _YES_NO.get(raw.strip().lower())
            or _UNSETTLED_YES_NO.get(raw.strip().lower())
            or _resectable_word(spec, raw)
            or _score_for_a_yes_no(spec, raw)
        )
    elif isinstance(raw, str) and spec.kind in (Kind.NUMBER, Kind.INTEGER):
        hint = _number_text_hint(spec, raw)
    elif isinstance(raw, str) and spec.kind is Kind.CHOICES:
        meant = raw if raw in spec.choices else choice_named_by(spec.path, raw)
        hint = f'a list, even of one: write ["{meant}"]' if meant else None
    if hint:
        got += f" ({hint})"
    expected = f"must be {spec.expected()}"
    if isinstance(raw, str) and dot_as_thousands(spec, raw) is not None:
        # "1.200" is a number in range as 1.2: the range alone would read as a contradiction
        expected += ", a dot read as the decimal point"
    return None, Problem(spec.path, expected, got)


# Words an export writes for a value not known. Unknown is the field left out (or null):
# never "false", never zero (case-v1), so the message says so rather than guess.
_NOT_KNOWN_WORDS = frozenset(
    {
        "",
        "-",
        "?",
        "na",
        "n/a",
        "n.a.",
        "nk",
        "unk",
        "unknown",
        "not known",
        "not done",
        "not assessed",
        "not available",
        "not reported",
        "missing",
    }
)
_NOT_KNOWN_HINT = "not known: leave it out, as null or an empty cell"
_YES_NO = {
    "yes": "write true",
    "y": "write true",
    "true": "write true, without quotes",
    "positive": "write true",
    "present": "write true",
    "+": "write true",
    "no": "write false",
    "n": "write false",
    "false": "write false, without quotes",
    "negative": "write false",
    "absent": "write false",
}
# A board writes "suspected" for a finding staging has not settled (a bone lesion on CT, PET
# pending): neither true nor false, so the answer is the field left out, never a guess.
_UNSETTLED_YES_NO = dict.fromkeys(
    (
        "suspected",
        "suspicious",
        "possible",
        "probable",
        "likely",
        "equivocal",
        "indeterminate",
        "query",
    ),
    "not settled: leave it out until it is confirmed or excluded",
)


# Resectability in words where a yes-or-no field asks whether disease is resectable
# (extrahepatic.resectable: "Extrahepatic disease resectable", case-v1).
_RESECTABLE_WORDS = {
    "resectable": "write true",
    "unresectable": "write false",
    "irresectable": "write false",
    "not resectable": "write false",
    "non-resectable": "write false",
    "nonresectable": "write false",
    "non resectable": "write false",
}


def _resectable_word(spec: Field, raw: str) -> str | None:
    if not spec.name.endswith("resectable"):
        return None
    return _RESECTABLE_WORDS.get(" ".join(raw.strip().lower().split()))


# A Krenning score written where SSTR imaging asks yes or no: the score has its own field,
# from which the yes or no follows (a score of 2 or more is positive, 0 negative: the
# implied facts of nelm.engine.derive; Krenning 1994).
_KRENNING_TEXT = re.compile(
    r"\s*krenning(?:\s*score)?\s*(?:grade\s*)?([0-4])\s*\+?\s*", re.IGNORECASE
)


def _score_for_a_yes_no(spec: Field, raw: str) -> str | None:
    found = _KRENNING_TEXT.fullmatch(raw) if spec.path == "imaging.sstr_positive" else None
    if found is None:
        return None
    return (
        f"a Krenning score: write imaging.krenning_score: {found.group(1)} and leave this "
        "field unknown (a score of 2 or more reads as positive, 0 as negative)"
    )


# A date where a number of months is asked: the timeline takes dates and gives the months.
_DATED_BY_TIMELINE = {
    "primary.months_since_primary_resection": (
        "a date: give it as timeline.primary_resection, with timeline.as_of, and the months follow"
    ),
    "course.months_stable": (
        "a date: give the scans in timeline.scans, with timeline.as_of, and the months follow"
    ),
}


def _says_not_known(raw: str) -> bool:
    return raw.strip().lower() in _NOT_KNOWN_WORDS


_NUMBER_TEXT = re.compile(r"\s*([-+]?\d+(?:\.\d+)?)\s*(.*?)\s*")


# "250,000" reads as thousands; "2,5" and "0,75" as a decimal comma (Europe). "1,500"
# matches the first: a comma before three digits is taken as the thousands separator.
_THOUSANDS_TEXT = re.compile(r"\s*\d{1,3}(?:,\d{3})+(?:\.\d+)?\s*[^\d,]*")
_DECIMAL_COMMA_TEXT = re.compile(r"\s*[-+]?\d+,\d+\s*[^\d,]*")
_BOUND_TEXT = re.compile(r"\s*(<=|>=|<|>|≤|≥)\s*([-+]?\d+(?:\.\d+)?)\s*(.*?)\s*")
_AT_MOST_SIGNS = ("<", "<=", "≤")
_SEVERAL = frozenset({"multiple", "several", "many", "numerous", "innumerable", "countless"})


def _bound_text_hint(spec: Field, raw: str) -> str | None:
    """How to write a bound given as text (``"<2%"``, ``"> 10"``, ``"multiple"`` lesions)
    for a field that has bounds; never taken in its place."""
    bounds = BOUNDS.get(spec.path)
    if bounds is None:
        return None
    if spec.path == "liver.lesion_count" and raw.strip().lower() in _SEVERAL:
        return f"more than one lesion: write {bounds[0]}: 2"
    found = _BOUND_TEXT.fullmatch(raw)
    if found is None:
        return None
    sign, number, written = found.groups()
    own = spec.unit.replace(" ", "").lower()
    if written and written.replace(" ", "").lower() != own:
        # "> 5 years" where months are asked, "> 30 mm" where cm: the bound in the field's unit
        unit = entry_unit(spec.path, written)
        if unit is None:
            return None
        number = clinical_number(float(number) * unit.factor).replace(",", "")
    path = bounds[1] if sign in _AT_MOST_SIGNS else bounds[0]
    if sign in ("<", ">") and spec.kind is Kind.INTEGER and float(number).is_integer():
        # a count is whole: "> 10" lesions is at least 11, "< 3" at most 2
        whole = int(float(number)) + (1 if sign == ">" else -1)
        return f"a bound: write {path}: {whole}"
    if sign in ("<", ">") and spec.path in STRICT_BOUNDS:
        strict = STRICT_BOUNDS[spec.path][1 if sign == "<" else 0]
        return f"a bound: write {strict}: {number}"
    if sign in ("<", ">"):
        return f"a bound: write {path}: {number} (a bound includes its number)"
    return f"a bound: write {path}: {number}"


# An estimate ("~30%", "approx. 30 %", "about 4 cm"): its number is what a report gives.
_ESTIMATE = re.compile(
    r"\s*(?:~|≈|approx\.?|approximately|about|around|roughly|circa|ca\.|c\.)\s*(\d.*)",
    re.IGNORECASE,
)
_RANGE_TEXT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(?:-|–|—|to)\s*(\d+(?:\.\d+)?)\s*(.*?)\s*")


def _range_text_hint(spec: Field, raw: str) -> str | None:
    """How to write a range given as text (``"5-10"`` Ki-67, ``"4–5"`` lesions) for a field
    that has bounds: both bounds, each including its number."""
    bounds = BOUNDS.get(spec.path)
    found = _RANGE_TEXT.fullmatch(raw)
    if bounds is None or found is None:
        return None
    low, high, written = found.groups()
    own = spec.unit.replace(" ", "").lower()
    if (written and written.replace(" ", "").lower() != own) or float(low) > float(high):
        return None
    return f"a range: write {bounds[0]}: {low} and {bounds[1]}: {high}"


# A date written as text: ISO (2023-03-04), day/month/year (04/03/2023, 4.3.23), or with
# a month's name (5-Mar, 05-Mar-2024, Mar-05), as a spreadsheet writes a cell it took for
# a date ("3-5" typed in a cell of the General format).
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_DATE_TEXT = re.compile(
    rf"\s*(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}(?:[T ][\d:.]+)?"
    rf"|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}"
    rf"|\d{{1,2}}[- ](?:{_MONTHS})[a-z]*(?:[- ]\d{{2,4}})?"
    rf"|(?:{_MONTHS})[a-z]*[- ]\d{{1,4}})\s*",
    re.IGNORECASE,
)


def _date_text_hint(spec: Field, raw: str) -> str | None:
    """A date where a number is asked: the months fields name what to give instead; any
    other number says the date is no value of it (a spreadsheet turns a typed "3-5" into
    5 March), never guessing what was typed."""
    if not _DATE_TEXT.fullmatch(raw):
        return None
    if spec.path in _DATED_BY_TIMELINE:
        return (
            "a date: give the number of months since it, or in a case document the date "
            "in its timeline"
        )
    return (
        "a date, as a spreadsheet shows a range such as 3-5 typed into a cell; what was "
        "typed cannot be read back: enter the value again in a column formatted as text"
    )


def _number_text_hint(spec: Field, raw: str) -> str | None:
    """How to write a number given as text (``"12%"``, ``"17 umol/L"``, ``"0.9"``), when
    the text is a number with nothing after it, the field's unit or a unit it may be
    entered in, a bound or a range; never taken in its place."""
    dated = _date_text_hint(spec, raw)
    if dated is not None:
        return dated
    ranged = _range_text_hint(spec, raw)
    if ranged is not None:
        return ranged
    estimate = _ESTIMATE.fullmatch(raw)
    if estimate is not None:
        inner = _number_text_hint(spec, estimate.group(1))
        return f"an estimate: {inner}" if inner is not None else None
    found = _RANGE_TEXT.fullmatch(raw) if spec.path not in BOUNDS else None
    if found is not None and float(found.group(1)) < float(found.group(2)):
        return "a range: one value is asked; write the one the record settles on, or leave it out"
    if _THOUSANDS_TEXT.fullmatch(raw):  # "250,000": a thousands separator
        return _grouped_comma_hint(spec, raw)
    if (grouped := dot_as_thousands(spec, raw)) is not None:  # "1.200" U/L: 1200
        return _dot_as_thousands_hint(spec, float(raw), grouped)
    if _DECIMAL_COMMA_TEXT.fullmatch(raw):  # "2,5 mg/dL": a decimal comma
        return _plain_number_hint(spec, raw.replace(",", ".", 1), "write a decimal point")
    found = _NUMBER_TEXT.fullmatch(raw)
    if found is None:
        return (
            _bound_text_hint(spec, raw)
            or _worded_number_hint(spec, raw)
            or _named_value_hint(spec, raw)
        )
    number, written = found.groups()
    if not written:
        slip = slip_hint(spec.path, float(number))
        also = f"; {slip}" if slip else ""
        return f"write it as a number, not text: {number}{also}"
    unit = entry_unit(spec.path, written)
    if unit is not None and unit.factor != 1.0:
        converted = clinical_number(float(number) * unit.factor)
        plain = converted.replace(",", "")  # to be typed: no thousands separator
        return (
            f"{number} {unit.label} is {converted} {spec.unit}: write {plain}, or in a "
            f'case document {{"value": {number}, "unit": "{unit.label}"}}'
        )
    own = spec.unit.replace(" ", "").lower()
    spelled = unit_spelled(written).replace(" ", "").lower()
    if unit is not None or (own and own in (written.replace(" ", "").lower(), spelled)):
        return f"write the number alone, without its unit: {number}"
    if spec.kind is Kind.INTEGER and written == "+":
        # "3+" lesions is a bound (three or more); a Krenning "3+" is the score
        return _bound_text_hint(spec, f">={number}") or f"write the number alone: {number}"
    return _worded_number_hint(spec, raw)


# A value with the field's name before it, as copied from a report ("Ki-67 15%",
# "Ki67: 15-20%", "bilirubin 1.2 mg/dL").
_NAME_THEN_VALUE = re.compile(r"([A-Za-z][\w\- ]*?[A-Za-z0-9])\s*(?:[:=]\s*|\s+)([<>≤≥~≈]?\s*\d.*)")


def _named_value_hint(spec: Field, raw: str) -> str | None:
    """For a number given with the field's own name before it: how to write the value."""
    found = _NAME_THEN_VALUE.fullmatch(raw.strip())
    if found is None or field_named_by(spec.section, found.group(1)) != spec.path:
        return None
    inner = _number_text_hint(spec, found.group(2).strip())
    return f"the field names it already; {inner or 'write the value alone'}"


# A score with its name before it ("grade 3", "ECOG 1", "Krenning score 3").
_NAMED_SCORE = re.compile(
    r"\s*(?:krenning|ecog|who|performance|status|ps|grade|score|uptake|\s)+(\d+)\s*\+?\s*",
    re.IGNORECASE,
)
# Two or three dimensions of a lesion ("3.5 x 2.8 cm"): the size fields take the largest.
_DIMENSIONS = re.compile(
    r"\s*(\d+(?:\.\d+)?)(?:\s*[x×*]\s*(\d+(?:\.\d+)?)){1,2}\s*([a-zµ]*)\s*", re.IGNORECASE
)
# Words for a bound, as their signs.
_BOUND_WORDS = {
    "more than": ">",
    "over": ">",
    "above": ">",
    "greater than": ">",
    "at least": ">=",
    "less than": "<",
    "under": "<",
    "below": "<",
    "at most": "<=",
    "up to": "<=",
}
_WORDED_BOUND = re.compile(
    r"\s*(" + "|".join(_BOUND_WORDS) + r")\s+(\d+(?:\.\d+)?\s*[^\d\s]*)\s*", re.IGNORECASE
)


def _worded_number_hint(spec: Field, raw: str) -> str | None:
    """How to write a score with its name, a lesion in dimensions or a bound in words."""
    if spec.kind is Kind.INTEGER and (named := _NAMED_SCORE.fullmatch(raw)):
        return f"write the number alone: {named.group(1)}"
    if spec.path in ("liver.largest_lesion_cm", "primary.size_cm"):
        sized = _DIMENSIONS.fullmatch(raw)
        if sized is not None:
            sizes = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", raw)]
            largest = clinical_number(max(sizes))
            written = sized.group(3)
            inner = _number_text_hint(spec, f"{largest} {written}" if written else largest)
            if inner is not None:
                plain = inner.replace("write it as a number, not text: ", "write ")
                return f"the largest dimension: {plain}"
    worded = _WORDED_BOUND.fullmatch(raw)
    if worded is None:
        return None
    # "up to 3 cm" is a bound like the others (docs/case-v1-additions.md, report words)
    return _bound_text_hint(spec, _BOUND_WORDS[worded.group(1).lower()] + worded.group(2))


_ONE_GROUP = re.compile(r"\s*[-+]?\d{1,3},\d{3}\s*")


def _grouped_comma_hint(spec: Field, raw: str) -> str | None:
    """The hint for a number with a comma before three digits: "250,000" read with a
    thousands separator, unless only the decimal-comma reading fits the field (its bounds
    and plausible range): a bilirubin of "1,500" mg/dL is 1.5, not 1500."""
    if _ONE_GROUP.fullmatch(raw):
        grouped, decimal = float(raw.replace(",", "")), float(raw.replace(",", "."))
        if _fits(spec, decimal) and not _fits(spec, grouped):
            return f"a decimal comma: write {decimal:g}"
    return _plain_number_hint(
        spec, raw.replace(",", ""), "write it without the thousands separator"
    )


_ONE_DOT_GROUP = re.compile(r"\s*[1-9]\d{0,2}\.\d{3}\s*")


def dot_as_thousands(spec: Field, raw: str) -> float | None:
    """``"1.200"`` where only the reading with a dot as the thousands separator fits the
    field (an LDH of 1.2 U/L is implausible, 1200 is not): that reading, to be asked about
    rather than taken; None when the decimal reading fits or the text is not so written.
    (Continental Europe writes 1.200 for 1,200.)"""
    if not _ONE_DOT_GROUP.fullmatch(raw):
        return None
    decimal, grouped = float(raw), float(raw.replace(".", ""))
    return grouped if _fits(spec, grouped) and not _fits(spec, decimal) else None


def _dot_as_thousands_hint(spec: Field, decimal: float, grouped: float) -> str:
    own = f" {spec.unit}" if spec.unit else ""
    slip = slip_hint(spec.path, decimal)  # "1.2 µkat/L = 72 U/L" may be meant too
    return (
        f"{decimal:g}{own} would be implausible; with a dot as the thousands "
        f"separator it is {grouped:g}{own}: write {grouped:g}" + (f"; or {slip}" if slip else "")
    )


def _fits(spec: Field, value: float) -> bool:
    """Within the field's bounds and, if it has one, its plausible range."""
    if spec.kind is Kind.INTEGER and not value.is_integer():
        return False
    if spec.minimum is not None and (
        value <= spec.minimum if spec.exclusive_minimum else value < spec.minimum
    ):
        return False
    if spec.maximum is not None and value > spec.maximum:
        return False
    plausible = plausible_range(spec.path)
    return plausible is None or plausible.contains(value)


def _plain_number_hint(spec: Field, rewritten: str, how: str) -> str | None:
    """The hint for a number written with a comma, once the comma is read as ``how`` says;
    a reading no plausible value of the field is said to be so ("0,9" platelets is no
    count to write as 0.9)."""
    hint = _number_text_hint(spec, rewritten)
    plain = "write it as a number, not text: "
    if hint is not None and hint.startswith(plain):
        hint = f"{how}: {hint.removeprefix(plain)}"
        number = _NUMBER_TEXT.fullmatch(rewritten)
        plausible = plausible_range(spec.path)
        if (
            number is not None
            and not number.group(2)
            and plausible is not None
            and not _fits(spec, float(number.group(1)))
            and ";" not in hint  # a slip that fits is named already
        ):
            hint += (
                f", though {number.group(1)} is outside the plausible range "
                f"{clinical_number(plausible.low)}–{clinical_number(plausible.high)}"
                f"{' ' + spec.unit if spec.unit else ''}: check the value"
            )
    return hint


def _choice_got(spec: Field, raw: Any) -> str:
    """A rejected choice as it came, with the choice it spells differently or a report's
    word names, if any (``Bilobar diffuse`` → bilobar_diffuse, ``ileum`` → small_intestine,
    ``data/synonyms.yaml``): named, never taken in its place."""
    got = describe_value(raw)
    if isinstance(raw, str):
        spelled = re.sub(r"[\s\-]+", "_", raw.strip()).lower()
        meant = {c.lower(): c for c in spec.choices}.get(spelled) or choice_named_by(spec.path, raw)
        if _says_not_known(raw):
            # "unknown" site: data not known, or a carcinoma of unknown primary? Both named.
            also = f"; if it means the choice {meant}, write {meant}" if meant else ""
            leave = "not known: leave it out" if spec.kind is Kind.CHOICES else _NOT_KNOWN_HINT
            return f"{got} ({leave}{also})"
        if meant is not None:
            return f"{got} (did you mean {meant}?)"
        settle = settling_hint(spec.path, raw)
        if settle is not None:
            return f"{got} ({settle})"
    return got


def _accepted(spec: Field, raw: Any) -> Value | None:
    """The value as nelm keeps it, or None when ``raw`` does not fit the field."""
    if spec.kind is Kind.BOOLEAN:
        return raw if isinstance(raw, bool) else None
    if spec.kind is Kind.CHOICE:
        return raw if isinstance(raw, str) and raw in spec.choices else None
    if spec.kind is Kind.CHOICES:
        if isinstance(raw, list) and all(isinstance(i, str) and i in spec.choices for i in raw):
            return tuple(dict.fromkeys(raw))
        return None
    if spec.kind is Kind.STRING:
        return raw if isinstance(raw, str) else None
    # numbers
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    if isinstance(raw, float) and not math.isfinite(raw):
        return None
    number: float | int = 0.0 if isinstance(raw, float) and raw == 0 else raw  # no -0.0
    if spec.kind is Kind.INTEGER:
        if isinstance(raw, float) and not raw.is_integer():
            return None
        number = int(raw)
    lo, hi = spec.minimum, spec.maximum
    if (lo is not None and (number <= lo if spec.exclusive_minimum else number < lo)) or (
        hi is not None and number > hi
    ):
        return None
    return number
