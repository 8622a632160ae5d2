"""Two board members editing one case: what the form shows when the other saved first.

The edit form carries the version it was loaded from. When the case has moved on, nothing
is stored (``VersionConflictError``); the form comes back with the three versions merged
field by field (:func:`merge_three_way`):

- a field only the other user changed (your value is the one you started from) is filled
  in from the version now stored, so that saving again cannot undo their change;
- a field only you changed keeps your value;
- a field you both changed to different values keeps yours and is named, for you to
  resolve before saving again;
- a list of choices you both changed is merged as a set: what either of you ticked is
  ticked, what either unticked is not;
- a timeline you both changed is merged event by event the same way (a scan is the same
  scan when its date is, a treatment line when its treatment and start are): what either
  added is kept, what either removed goes, what only one changed is theirs; a date
  (``as_of``, ``diagnosis``, ``primary_resection``) or an event you both changed
  differently keeps yours and is named, with their timeline in full beside the field;
  but a case's date (``as_of``) you both moved on is the later of the two: each of you
  moved it for what you added (a scan falls on or before it), and the form holds both.

Nothing the other user saved is dropped without being named.

A table lists every field where the version you started from, the version now stored and
your unsaved values are not all the same, and what the form now holds for each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from nelm.case.fields import FIELDS, Kind
from nelm.case.merge import shown_value
from nelm.report.changes import same_value
from nelm.vocabulary import vocabulary
from nelm.web.forms import timeline_text

__all__ = [
    "Clash",
    "Conflict",
    "Difference",
    "Merged",
    "describe_conflict",
    "merge_three_way",
]

Source = Literal["theirs", "yours", "both", "merged"]
"""What the merged form holds for a field: the stored version's value (only they changed
it), yours (only you changed it, or you both made the same change), yours where you both
changed it differently (``both``: to resolve), or both changes together (``merged``: a
list of choices, or a timeline whose events you changed apart)."""

_PATHS: list[tuple[str, str]] = [("Label", "label"), *((f.label, f.path) for f in FIELDS)]
_TIMELINE = ("Timeline", "timeline")
_CHOICES = frozenset(f.path for f in FIELDS if f.kind is Kind.CHOICES)
_TIMELINE_DATES = {
    "as_of": "as of",
    "diagnosis": "diagnosis",
    "primary_resection": "primary resection",
}
_TIMELINE_ORDER = (*_TIMELINE_DATES, "treatments", "scans")


@dataclass(frozen=True, slots=True)
class Clash:
    """A part of the timeline you both changed differently: one of its dates, or one event
    (the form holds yours)."""

    what: str
    """ "as of", "scan of 2026-06-01", "treatment line SSA from 2019-06-01"."""
    theirs: str
    yours: str


@dataclass(frozen=True, slots=True)
class Difference:
    label: str
    path: str
    base: str
    theirs: str
    yours: str
    source: Source = "yours"
    now: str = ""
    """What the form holds now, shown as the other columns are."""
    clashes: tuple[Clash, ...] = ()
    """The timeline: the dates and events you both changed differently."""
    theirs_text: str = ""
    """The timeline: theirs in full as the form's box takes it, to copy from."""
    later_date: tuple[str, str] = ("", "")
    """The timeline: (yours, theirs) when you both moved the case's date on and the form
    holds the later of the two."""


@dataclass(frozen=True, slots=True)
class Conflict:
    changed_by: str | None
    base_version: int
    current_version: int
    stored_at: str
    differences: list[Difference]

    @property
    def both_changed(self) -> list[Difference]:
        """The fields you both changed to different values: yours in the form, to check."""
        return [d for d in self.differences if d.source == "both"]

    def clash(self, path: str) -> Difference | None:
        """The difference of a field you both changed differently, else None."""
        return next((d for d in self.both_changed if d.path == path), None)

    @property
    def merged(self) -> list[Difference]:
        """The fields you both changed whose changes the form holds together."""
        return [d for d in self.differences if d.source == "merged"]

    def also_changed(self, path: str) -> Difference | None:
        """The difference of a field you both changed (to resolve, or merged), else None."""
        return next(
            (d for d in self.differences if d.path == path and d.source in ("both", "merged")),
            None,
        )

    @property
    def taken(self) -> list[Difference]:
        """The fields only they changed: filled in from the version now stored."""
        return [d for d in self.differences if d.source == "theirs"]


@dataclass(frozen=True, slots=True)
class Merged:
    document: dict[str, Any]
    """Your document with the other user's changes to fields you left alone."""
    sources: dict[str, Source] = field(default_factory=dict)
    """Every field (path) that differs between the three versions, and what ``document``
    holds for it."""
    clashes: tuple[Clash, ...] = ()
    """The timeline's dates and events you both changed differently."""


def _value(document: Mapping[str, Any], path: str) -> Any:
    if "." not in path:
        return document.get(path)
    section, name = path.split(".", 1)
    body = document.get(section)
    return body.get(name) if isinstance(body, Mapping) else None


def _set(document: dict[str, Any], path: str, value: Any) -> None:
    if "." not in path:
        if value is None:
            document.pop(path, None)
        else:
            document[path] = value
        return
    section, name = path.split(".", 1)
    body = dict(document.get(section) or {})
    if value is None:
        body.pop(name, None)
    else:
        body[name] = value
    if body:
        document[section] = body
    else:
        document.pop(section, None)


def _same(a: Any, b: Any) -> bool:
    return same_value(None if a == [] else a, None if b == [] else b)


def _listed(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _merged_choices(base: Any, theirs: Any, yours: Any) -> list[Any] | None:
    """Ticked choices merged as sets: yours, less what they unticked, with what they
    ticked; None when none is left (not known)."""
    b, t, y = _listed(base), _listed(theirs), _listed(yours)
    kept = [c for c in y if not (c in b and c not in t)]
    kept += [c for c in t if c not in b and c not in kept]
    return kept or None


_ABSENT: Any = object()


def _event_key(name: str, event: Any) -> tuple[Any, ...]:
    """What makes two events the same: a scan's date, a treatment line's treatment and
    start; any other event is itself."""
    if isinstance(event, Mapping):
        if name == "scans":
            return (str(event.get("date")),)
        if name == "treatments":
            return (str(event.get("treatment")), str(event.get("start")))
    return (repr(event),)


def _keyed(name: str, events: list[Any]) -> dict[tuple[Any, ...], Any]:
    """The events by key; a second event with a key already seen is told apart by its
    place among those."""
    out: dict[tuple[Any, ...], Any] = {}
    for event in events:
        key = _event_key(name, event)
        n = 0
        while (*key, n) in out:
            n += 1
        out[(*key, n)] = event
    return out


def _treatment_name(treatment: Any) -> str:
    words = vocabulary().option.get(str(treatment))
    return words.name if words else str(treatment).replace("_", " ")


def _event_words(name: str, event: Any) -> str:
    """An event in words: "2026-06-01 progression", "SSA from 2019-06-01 to 2020-01-10
    (best response stable disease; progression 2020-01-05)"."""
    if event is _ABSENT:
        return "removed"
    if not isinstance(event, Mapping):
        return shown_value(event)
    if name == "scans":
        return f"{event.get('date')} {shown_value(event.get('finding'))}"
    if name == "treatments":
        said = f"{_treatment_name(event.get('treatment'))} from {event.get('start') or 'no date'}"
        if event.get("stop"):
            said += f" to {event['stop']}"
        more = [
            f"{label} {shown_value(event[key])}"
            for key, label in (("best_response", "best response"), ("progression", "progression"))
            if event.get(key)
        ]
        return said + (f" ({'; '.join(more)})" if more else "")
    return ", ".join(f"{k} {shown_value(v)}" for k, v in event.items())


def _event_name(name: str, key: tuple[Any, ...]) -> str:
    if name == "scans":
        return f"scan of {key[0]}"
    if name == "treatments":
        return f"treatment line {_treatment_name(key[0])} from {key[1]}"
    return f"an event of {name}"


def _date_key(name: str, event: Any) -> str:
    if not isinstance(event, Mapping):
        return ""
    return str(event.get("date" if name == "scans" else "start") or "")


def _three_way(was: Any, their: Any, your: Any) -> tuple[Any, bool]:
    """One value merged three ways: a change only one side made wins; when both changed
    it differently yours is kept, and the clash is said (True)."""
    if their == was:
        return your, False
    if your in (was, their):
        return their, False
    return your, True


def _merged_events(
    name: str, base: list[Any], theirs: list[Any], yours: list[Any]
) -> tuple[list[Any], list[Clash]]:
    b, t, y = _keyed(name, base), _keyed(name, theirs), _keyed(name, yours)
    kept: list[Any] = []
    clashes: list[Clash] = []
    for key in dict.fromkeys([*y, *t]):
        was, their, your = b.get(key, _ABSENT), t.get(key, _ABSENT), y.get(key, _ABSENT)
        value, clashed = _three_way(was, their, your)
        if clashed:
            clashes.append(
                Clash(_event_name(name, key), _event_words(name, their), _event_words(name, your))
            )
        if value is not _ABSENT:
            kept.append(value)
    if kept != yours:  # their events among yours: in the order of their dates
        kept.sort(key=lambda e: _date_key(name, e))
    return kept, clashes


def _merged_timeline(
    base: Any, theirs: Any, yours: Any
) -> tuple[dict[str, Any] | None, list[Clash]]:
    """A timeline you both changed, merged date by date and event by event; the clashes."""
    b, t, y = (dict(v) if isinstance(v, Mapping) else {} for v in (base, theirs, yours))
    merged: dict[str, Any] = {}
    clashes: list[Clash] = []
    keys = [k for k in _TIMELINE_ORDER if k in (*y, *t)]
    keys += [k for k in dict.fromkeys([*y, *t]) if k not in _TIMELINE_ORDER]
    for key in keys:
        was, their, your = b.get(key), t.get(key), y.get(key)
        value: Any
        if key in ("treatments", "scans") and all(
            v is None or isinstance(v, list) for v in (was, their, your)
        ):
            value, found = _merged_events(key, _listed(was), _listed(their), _listed(your))
            clashes += found
        elif key == "as_of" and _both_later(was, their, your):
            # Both moved the case's date on, each for what they added (a scan must fall
            # on or before it): the merged case holds both, so it is dated the later,
            # as a file read into a case is (a case's date never moves back).
            value = max(str(their), str(your))
        else:
            value, clashed = _three_way(was, their, your)
            if clashed:
                clashes.append(
                    Clash(_TIMELINE_DATES.get(key, key), shown_value(their), shown_value(your))
                )
        if value is not None and value != []:
            merged[key] = value
    return merged or None, clashes


def _both_later(was: Any, their: Any, your: Any) -> bool:
    """Whether both sides moved a date on from ``was`` (or gave one where it had none),
    to different dates."""
    if not (isinstance(their, str) and isinstance(your, str)) or their == your:
        return False
    return not isinstance(was, str) or (their > was and your > was)


def _entry(document: Mapping[str, Any], key: str, path: str) -> Any:
    """``measured_on`` of a path (a date), its ``value_sources`` entry, or whether
    ``confirmed`` lists it."""
    held = document.get(key)
    if key in ("measured_on", "value_sources"):
        return held.get(path) if isinstance(held, Mapping) else None
    return isinstance(held, list) and path in held


def merge_three_way(
    base: Mapping[str, Any], theirs: Mapping[str, Any], yours: Mapping[str, Any]
) -> Merged:
    """Your edit of ``base`` merged with theirs, a later version of it, field by field.

    A field's result date (``measured_on``), the record's resource it was read from
    (``value_sources``) and its confirmation as entered (``confirmed``) go with the value
    taken. The record's warnings kept
    (``record_warnings``) are merged one by one: a warning either of you unticked goes.
    """
    merged: dict[str, Any] = {k: v for k, v in yours.items() if k not in ("confirmed",)}
    measured = dict(yours.get("measured_on") or {})
    from_record = dict(yours.get("value_sources") or {})
    confirmed = [p for p in (yours.get("confirmed") or []) if isinstance(p, str)]
    sources: dict[str, Source] = {}
    clashes: list[Clash] = []
    for _, path in [*_PATHS, _TIMELINE]:
        b, t, y = _value(base, path), _value(theirs, path), _value(yours, path)
        if _same(t, b) or _same(y, t):
            if not _same(y, b):
                sources[path] = "yours"
            continue
        if not _same(y, b):
            # you both changed it: a list of choices and a timeline are merged
            if path in _CHOICES:
                _set(merged, path, _merged_choices(b, t, y))
                sources[path] = "merged"
            elif path == "timeline":
                timeline, clashes = _merged_timeline(b, t, y)
                _set(merged, path, timeline)
                sources[path] = "both" if clashes else "merged"
            else:
                sources[path] = "both"
            continue
        sources[path] = "theirs"
        _set(merged, path, t)
        if path == "timeline" or path == "label":
            continue
        date = _entry(theirs, "measured_on", path)
        if date is None:
            measured.pop(path, None)
        else:
            measured[path] = date
        source = _entry(theirs, "value_sources", path)
        if source is None:
            from_record.pop(path, None)
        else:
            from_record[path] = source
        if path in confirmed:
            confirmed.remove(path)
        if _entry(theirs, "confirmed", path):
            confirmed.append(path)
    merged.pop("measured_on", None)
    if measured:
        merged["measured_on"] = measured
    merged.pop("value_sources", None)
    if from_record:
        merged["value_sources"] = from_record
    if confirmed:
        merged["confirmed"] = confirmed
    warnings = _merged_warnings(base, theirs, yours)
    merged.pop("record_warnings", None)
    if warnings:
        merged["record_warnings"] = warnings
    return Merged(merged, sources, tuple(clashes))


def _merged_warnings(
    base: Mapping[str, Any], theirs: Mapping[str, Any], yours: Mapping[str, Any]
) -> list[str]:
    def held(document: Mapping[str, Any]) -> list[str]:
        found = document.get("record_warnings")
        return [str(w) for w in found] if isinstance(found, list) else []

    b, t, y = held(base), held(theirs), held(yours)
    kept = []
    for warning in dict.fromkeys([*b, *t, *y]):
        in_base, in_theirs, in_yours = warning in b, warning in t, warning in y
        if in_theirs if in_yours == in_base else in_yours:
            kept.append(warning)
    return kept


def _timeline(value: Any) -> str:
    """A timeline in a table of differences, every date and event: "as of 2026-11-20;
    treatment lines: SSA from 2019-06-01; scans: 2026-06-01 progression, 2026-11-10
    stable"."""
    if not isinstance(value, Mapping):
        return shown_value(value)
    said = [f"as of {value.get('as_of') or 'no date'}"]
    said += [
        f"{words} {value[key]}"
        for key, words in _TIMELINE_DATES.items()
        if key != "as_of" and value.get(key)
    ]
    for name, words in (("treatments", "treatment lines"), ("scans", "scans")):
        events = _listed(value.get(name))
        if events:
            said.append(f"{words}: " + ", ".join(_event_words(name, e) for e in events))
    said += [f"{key} {shown_value(v)}" for key, v in value.items() if key not in _TIMELINE_ORDER]
    return "; ".join(said)


def _later_date(timelines: tuple[Any, Any, Any], held: Any) -> tuple[str, str]:
    """(yours, theirs) of the case's date when you both moved it on and ``held``, the
    merged timeline, has the later; else empty."""
    was, their, your = (t.get("as_of") if isinstance(t, Mapping) else None for t in timelines)
    now = held.get("as_of") if isinstance(held, Mapping) else None
    if _both_later(was, their, your) and now == max(str(their), str(your)):
        return str(your), str(their)
    return "", ""


def _shown(path: str, value: Any) -> str:
    return _timeline(value) if path == "timeline" else shown_value(value)


def describe_conflict(
    *,
    changed_by: str | None,
    base_version: int,
    current_version: int,
    stored_at: str,
    base: Mapping[str, Any],
    theirs: Mapping[str, Any],
    yours: Mapping[str, Any],
    merged: Merged | None = None,
) -> Conflict:
    """The conflict and the fields where the three versions are not all equal, with what
    the merged form holds for each (``merged``, from :func:`merge_three_way`)."""
    differences = []
    sources = merged.sources if merged else {}
    for label, path in [*_PATHS, _TIMELINE]:
        values = (_value(base, path), _value(theirs, path), _value(yours, path))
        if not (_same(values[0], values[1]) and _same(values[1], values[2])):
            source = sources.get(path, "yours")
            held = _value(merged.document, path) if merged else values[2]
            their_timeline = values[1] if path == "timeline" else None
            later = _later_date(values, held) if path == "timeline" else ("", "")
            base_shown, theirs_shown, yours_shown = (_shown(path, v) for v in values)
            differences.append(
                Difference(
                    label,
                    path,
                    base_shown,
                    theirs_shown,
                    yours_shown,
                    source=source,
                    now=_shown(path, held),
                    clashes=merged.clashes if merged and path == "timeline" else (),
                    theirs_text=(
                        timeline_text(their_timeline) if isinstance(their_timeline, Mapping) else ""
                    ),
                    later_date=later,
                )
            )
    return Conflict(changed_by, base_version, current_version, stored_at, differences)
