"""A stored case brought up to date from a file: a newer FHIR record or case document.

Between two boards a patient's record moves on — new laboratory results, a new scan, a
line of treatment stopped — while the stored case also holds what no record does (the
surgeons' judgement, the liver's distribution as the board read the images). Reading the
newer file into the case must add what is new without wiping the rest, so the merge is:

- a value the file gives replaces the stored one, and is listed with both;
- except a result dated before the stored value's own date (``measured_on``) or, with
  none, before the stored case's date (its timeline's ``as_of``): the stored value is the
  newer; the result is listed, not taken (the user may still enter it);
- the date of each result taken is kept with its value (``measured_on``); a value taken
  without a date drops the stored value's date;
- so is the resource of the file's record it was read from (``value_sources``); a value
  taken from a file that names none (a case document) is one a person entered;
- a field the file leaves empty keeps its stored value: a field the file does not hold is
  not news that it has become unknown; except a stored number or bound the file's newer
  number or bound of the same value contradicts (``nelm.case.merge_bounds``), which goes;
- the case id and the label are the stored case's;
- what the file's record says about any assessment (``record_warnings``: a death, no
  neuroendocrine diagnosis) is added to what the stored case keeps, and listed;
- a confirmation of an implausible value (``confirmed``) is kept only for a value kept;
  a new value must be confirmed anew;
- the timeline: the stored events are kept and the file's added; a treatment line is the
  same line when its treatment and start are, a scan when its date is, and the file's
  version of it replaces the stored one (a stop date or a response added since); ``as_of``
  is the later of the two, ``diagnosis`` and ``primary_resection`` the file's where it
  gives them.

Nothing is stored or validated here. The tumour board's edit page (``nelm.web.pages``,
"Update from a file") fills the form with the merged case and lists the changes above it;
"Save and assess" stores it as the next version, checked like any edit. ``nelm assess
RECORD --with BOARD.yaml`` adds a case document's values to a record's case the same way.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from nelm.case.document import CASE_LEVEL_KEYS
from nelm.case.fields import FIELDS, Field, Kind
from nelm.case.merge_bounds import contradicted
from nelm.case.record_warnings import warning_said
from nelm.case.units import entry_unit, typed_number
from nelm.errors import InputRejected, Problem, describe_value

__all__ = ["Change", "Refresh", "merge_file_into_case", "shown_value", "with_added_fields"]

NOT_KNOWN = "not known"  # the words of every page for an absent value (nelm.report.board)

_TIMELINE_DATES = ("as_of", "diagnosis", "primary_resection")
_TOP_LEVEL = frozenset(CASE_LEVEL_KEYS)
_PATHS = frozenset(f.path for f in FIELDS)
_SECTIONS = frozenset(p.split(".", 1)[0] for p in _PATHS)


@dataclass(frozen=True, slots=True)
class Change:
    label: str
    path: str
    stored: str
    from_file: str
    dated: str = ""
    """The date of the record's result the new value came from (YYYY-MM-DD), if known."""
    stored_dated: str = ""
    """The date of the result the stored value came from (``measured_on``), if known."""


@dataclass(frozen=True, slots=True)
class Refresh:
    """What reading the file changes in the stored case."""

    base_version: int
    case_id: str
    file_case_id: str | None
    """The case id a case document names when it is not this case's (a FHIR record's
    id is made from the record's, never compared)."""
    changes: tuple[Change, ...]
    same: int
    """Values the file gives that are the ones stored."""
    kept: tuple[str, ...]
    """The labels of the stored fields the file does not hold (kept as they are)."""
    not_read: tuple[str, ...] = ()
    """What the file holds that is no field of a case (named, never dropped unseen)."""
    older: tuple[Change, ...] = ()
    """The record's values from results older than the stored value (its own date, or
    with none the stored case's ``as_of``): not taken, the stored value kept."""
    stored_as_of: str = ""
    """The stored case's date (``timeline.as_of``), if it has one."""
    other_patient: tuple[str, ...] = ()
    """What suggests the file is another patient's: a different sex, a younger age."""


def _value(document: Mapping[str, Any], path: str) -> Any:
    section, name = path.split(".", 1)
    body = document.get(section)
    return body.get(name) if isinstance(body, Mapping) else None


def _empty(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def _number(path: str, value: Any) -> float | None:
    """A number in the field's own unit (a value entered in another unit converted)."""
    if isinstance(value, Mapping):
        unit = entry_unit(path, str(value.get("unit")))
        number = _number(path, value.get("value"))
        return None if unit is None or number is None else number * unit.factor
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _choices(value: Any) -> list[str]:
    """Ticked choices in any order (a file may hold one choice as text)."""
    return sorted(str(x) for x in (value if isinstance(value, list) else [value]))


def _same(path: str, kind: Kind, stored: Any, given: Any) -> bool:
    if kind is Kind.CHOICES:
        return _choices(stored) == _choices(given)
    if stored == given:
        return True
    a, b = _number(path, stored), _number(path, given)
    return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def shown_value(value: Any) -> str:
    """A field's value in a table of differences: "not known", yes/no, "30 mm", choices.
    Absent reads "not known" as on every other page ("unknown" could be read as the
    diagnosis "unknown primary")."""
    if value is None or value == []:
        return NOT_KNOWN
    if isinstance(value, Mapping) and "value" in value:  # entered in another unit
        return f"{shown_value(value.get('value'))} {value.get('unit', '')}".strip()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v).replace("_", " ") for v in value)
    return (
        str(value).replace("_", " ")
        if isinstance(value, str) and "_" in value and " " not in value
        else str(value)
    )


def _shown(spec: Field, value: Any) -> str:
    """A value as the table shows it: a number as typed with its unit ("0.9 mg/dL",
    "14.1 %"), one entered in another unit in that unit, anything else as a conflict
    shows it."""
    if isinstance(value, Mapping) and isinstance(value.get("value"), int | float):
        return f"{typed_number(value['value'])} {value.get('unit', '')}".strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{typed_number(value)} {spec.unit}".strip() if spec.unit else typed_number(value)
    return shown_value(value)


def _texts(raw: Any) -> list[str]:
    return [str(w) for w in raw] if isinstance(raw, list) else []


def _not_read(given: Mapping[str, Any]) -> tuple[str, ...]:
    """The keys of the file that name no field of a case: "surgery", "labs.sodium", or a
    section that is not a set of fields ("labs" holding a number)."""
    out = [
        key if got is _UNKNOWN_FIELD else f"{key} (must be {expected})"
        for key, expected, got in _top_level_not_read(given)
    ]
    for key, body in given.items():
        if key in _TOP_LEVEL:
            continue
        if key not in _SECTIONS:
            out.append(str(key))
        elif not isinstance(body, Mapping):
            out.append(f"{key} (not a set of fields)")
        else:
            out.extend(f"{key}.{name}" for name in body if f"{key}.{name}" not in _PATHS)
    return tuple(out)


_UNKNOWN_FIELD = object()
"""What came under a key that names no field of a case."""


def _top_level_not_read(given: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
    """The case-level keys the merge cannot read, by the shape case-v1 gives them: (key,
    what case-v1 holds there, what came). A value of the right shape but wrong, such as a
    bad date, is named when the merged case is validated."""
    out: list[tuple[str, str, Any]] = []
    if given.get("schema_version") not in (None, 1):
        out.append(("schema_version", "1 (case-v1)", given["schema_version"]))
    if not isinstance(given.get("confirmed") or [], list):
        out.append(("confirmed", "a list of field paths", given["confirmed"]))
    if not isinstance(given.get("measured_on") or {}, Mapping):
        out.append(("measured_on", "a set of field paths and dates", given["measured_on"]))
    timeline = given.get("timeline") or {}
    if not isinstance(timeline, Mapping):
        return [*out, ("timeline", "a set of dates and events", timeline)]
    for name, value in timeline.items():
        if name not in (*_TIMELINE_DATES, "treatments", "scans"):
            out.append((f"timeline.{name}", "a field of a case (case-v1)", _UNKNOWN_FIELD))
        elif name in ("treatments", "scans") and not isinstance(value or [], list):
            out.append((f"timeline.{name}", "a list", value))
    return out


def _set(document: dict[str, Any], path: str, value: Any) -> None:
    section, name = path.split(".", 1)
    body = document.get(section)
    if not isinstance(body, dict):
        body = document[section] = {}
    body[name] = value


def _events(
    stored: list[Any], given: list[Any], key: Callable[[Mapping[str, Any]], tuple[Any, ...]]
) -> tuple[list[Any], int, int]:
    """Stored events with the file's merged in by ``key``: the list, how many were added
    and how many replaced by a different version."""
    merged = list(stored)
    index = {key(e): i for i, e in enumerate(merged) if isinstance(e, Mapping)}
    added = replaced = 0
    for event in given:
        found = index.get(key(event)) if isinstance(event, Mapping) else None
        if found is None:
            merged.append(event)
            added += 1
        elif merged[found] != event:
            merged[found] = event
            replaced += 1
    return merged, added, replaced


def _key_part(value: Any) -> Any:
    """A value that can key an event: a file's event may hold a list or an object where
    the case has text (shown as a problem once the form is filled), never a crash here."""
    return value if isinstance(value, str | int | float | bool | None) else repr(value)


def _listed(value: Any) -> list[Any]:
    """A list the file gives, or none: a file's document is merged before it is validated
    (its problems are shown beside the filled form), so it may hold anything."""
    return value if isinstance(value, list) else []


def _timeline_words(timeline: Mapping[str, Any] | None) -> str:
    if not timeline:
        return "none"
    treatments = len(_listed(timeline.get("treatments")))
    scans = len(_listed(timeline.get("scans")))
    counted = [
        f"{n} {noun}{'s' if n != 1 else ''}"
        for n, noun in ((treatments, "treatment line"), (scans, "scan"))
        if n
    ]
    return "; ".join([f"as of {timeline.get('as_of', 'no date')}", *counted])


def _merge_timeline(stored: Any, given: Any) -> tuple[Any, str | None]:
    """The merged timeline and the words for what the file changed (None: nothing)."""
    if not isinstance(given, Mapping) or not given:
        return stored, None
    if not isinstance(stored, Mapping) or not stored:
        return copy.deepcopy(dict(given)), f"{_timeline_words(given)} (none stored)"
    merged: dict[str, Any] = copy.deepcopy(dict(stored))
    said: list[str] = []
    for name in _TIMELINE_DATES:
        later = name != "as_of" or str(given.get(name)) > str(stored.get(name) or "")
        if given.get(name) and given.get(name) != stored.get(name) and later:
            merged[name] = given[name]
            said.append(f"{name.replace('_', ' ')} {given[name]}")
    keys: dict[str, Callable[[Mapping[str, Any]], tuple[Any, ...]]] = {
        "treatments": lambda e: (_key_part(e.get("treatment")), _key_part(e.get("start"))),
        "scans": lambda e: (_key_part(e.get("date")),),
    }
    for name, key in keys.items():
        new = given.get(name)
        if not isinstance(new, list) or not new:
            continue
        found = merged.get(name)
        old = found if isinstance(found, list) else []
        merged[name], added, replaced = _events(old, new, key)
        noun = "treatment line" if name == "treatments" else "scan"
        if added:
            said.append(f"{added} {noun}{'s' if added != 1 else ''} added")
        if replaced:
            said.append(f"{replaced} {noun}{'s' if replaced != 1 else ''} updated")
    return merged, ("; ".join(said) if said else None)


def _merged_warnings(before: list[str], given: list[str]) -> tuple[list[str], Change] | None:
    """The stored warnings with the file's added, and the change; None when the file says
    nothing new. A warning the stored case holds from an earlier reading of a record
    ("… read for 2005-08-01: NOT A NEUROENDOCRINE RECORD …") is replaced by the same words
    read again, which name the newer reading: two copies read as two findings."""
    kept = list(before)
    replaced: list[str] = []
    told: list[str] = []
    for warning in given:
        if warning in kept:
            continue
        said = warning_said(warning)
        earlier = next((i for i, w in enumerate(kept) if warning_said(w) == said), None)
        if earlier is None:
            kept.append(warning)
        else:
            replaced.append(kept[earlier])
            kept[earlier] = warning
        told.append(warning)
    if not told:
        return None
    change = Change(
        "What the record said", "record_warnings", "; ".join(replaced) or "—", "; ".join(told)
    )
    return kept, change


def _mapping(raw: Any) -> Mapping[str, Any]:
    return raw if isinstance(raw, Mapping) else {}


def merge_file_into_case(
    stored: Mapping[str, Any],
    given: Mapping[str, Any],
    *,
    base_version: int,
    compare_case_id: bool,
    result_dates: Mapping[str, str] | None = None,
) -> tuple[dict[str, Any], Refresh]:
    """The stored case document with the file's values merged in (the rules above), and
    what changed. ``compare_case_id``: the file names its case (a case document);
    ``result_dates``: the date of the result behind each of the file's values (a record's),
    shown with the change so that an older result is not taken for a newer one."""
    given_dates = given.get("measured_on")
    dates = result_dates or (given_dates if isinstance(given_dates, Mapping) else {})
    stored_dates = stored.get("measured_on")
    stored_dates = stored_dates if isinstance(stored_dates, Mapping) else {}
    measured_on: dict[str, str] = {str(p): str(d) for p, d in stored_dates.items()}
    given_sources = _mapping(given.get("value_sources"))
    sources = {str(p): str(w) for p, w in _mapping(stored.get("value_sources")).items()}
    timeline = stored.get("timeline")
    stored_as_of = str(timeline.get("as_of") or "") if isinstance(timeline, Mapping) else ""
    older: list[Change] = []
    merged: dict[str, Any] = copy.deepcopy(dict(stored))
    confirmed_stored = {str(p) for p in _listed(stored.get("confirmed"))}
    confirmed_given = {str(p) for p in _listed(given.get("confirmed"))}
    confirmed: set[str] = set()
    changes: list[Change] = []
    kept: list[str] = []
    same = 0
    taken: dict[str, object] = {}
    for spec in FIELDS:
        old, new = _value(stored, spec.path), _value(given, spec.path)
        if _empty(new):
            if not _empty(old):
                kept.append(spec.label)
                if spec.path in confirmed_stored:
                    confirmed.add(spec.path)
            continue
        dated = str(dates.get(spec.path) or "")
        if not _empty(old) and _same(spec.path, spec.kind, old, new):
            same += 1
            if spec.path in confirmed_stored | confirmed_given:
                confirmed.add(spec.path)
            if dated > measured_on.get(spec.path, ""):  # the same value, measured again
                measured_on[spec.path] = dated
            continue
        change = Change(
            spec.label,
            spec.path,
            _shown(spec, old),
            _shown(spec, new),
            dated,
            measured_on.get(spec.path, ""),
        )
        # the stored value's own date, else the case's date, tells which is newer
        stored_date = measured_on.get(spec.path) or stored_as_of
        if not _empty(old) and dated and stored_date and dated < stored_date:
            older.append(change)  # the stored value is the newer one
            if spec.path in confirmed_stored:
                confirmed.add(spec.path)
            continue
        _set(merged, spec.path, copy.deepcopy(new))
        taken[spec.path] = new
        if spec.path in confirmed_given:
            confirmed.add(spec.path)
        if dated:
            measured_on[spec.path] = dated
        else:  # a new value with no date: the stored value's date is not its
            measured_on.pop(spec.path, None)
        # a value taken from the file is the file's: its resource, or entered by a person
        if given_sources.get(spec.path):
            sources[spec.path] = str(given_sources[spec.path])
        else:
            sources.pop(spec.path, None)
        changes.append(change)
    # a stored bound or number the file's newer value contradicts goes with it (Ki-67 12 %
    # stored, "30-40 %" from the file): kept, the case could not be saved or assessed
    for spec in contradicted(lambda path: _number(path, _value(merged, path)), taken):
        changes.append(
            Change(spec.label, spec.path, _shown(spec, _value(merged, spec.path)), NOT_KNOWN)
        )
        merged[spec.section].pop(spec.name, None)
        if spec.label in kept:
            kept.remove(spec.label)
        confirmed.discard(spec.path)
        measured_on.pop(spec.path, None)
        sources.pop(spec.path, None)
    merged_timeline, said = _merge_timeline(timeline, given.get("timeline"))
    if said is not None:
        merged["timeline"] = merged_timeline
        changes.append(
            Change("Timeline", "timeline", _timeline_words(stored.get("timeline")), said)
        )
    if confirmed:
        merged["confirmed"] = sorted(confirmed)
    else:
        merged.pop("confirmed", None)
    if measured_on:
        merged["measured_on"] = measured_on
    else:
        merged.pop("measured_on", None)
    if sources:
        merged["value_sources"] = sources
    else:
        merged.pop("value_sources", None)
    warnings = _merged_warnings(
        _texts(stored.get("record_warnings")), _texts(given.get("record_warnings"))
    )
    if warnings is not None:  # what a record says about the patient (a death) is news to keep
        merged["record_warnings"], warnings_change = warnings
        changes.append(warnings_change)
    case_id = str(stored.get("case_id") or "")
    named = given.get("case_id")
    file_case_id = (
        str(named)
        if compare_case_id and isinstance(named, str) and named.strip() and named != case_id
        else None
    )
    refresh = Refresh(
        base_version,
        case_id,
        file_case_id,
        tuple(changes),
        same,
        tuple(kept),
        _not_read(given),
        tuple(older),
        stored_as_of,
        _other_patient(stored, given),
    )
    return merged, refresh


def _other_patient(stored: Mapping[str, Any], given: Mapping[str, Any]) -> tuple[str, ...]:
    """A case holds no name or record number, but a sex that changes or an age that goes
    down means the file is most likely another patient's."""
    doubts = []
    sex = (_value(stored, "patient.sex"), _value(given, "patient.sex"))
    if all(isinstance(v, str) for v in sex) and sex[0] != sex[1]:
        doubts.append(f"The stored case's sex is {sex[0]}, the file's {sex[1]}.")
    old = _number("", _value(stored, "patient.age_years"))
    new = _number("", _value(given, "patient.age_years"))
    if old is not None and new is not None and new < old:
        doubts.append(
            f"The stored case's age is {typed_number(old)}, the file's {typed_number(new)}: "
            "younger."
        )
    return tuple(doubts)


def with_added_fields(
    document: Mapping[str, Any], added: Any, *, source: str
) -> tuple[dict[str, Any], Refresh]:
    """``document`` with the values of the case document ``added`` merged in by the rules
    above (``nelm assess RECORD --with BOARD.yaml``: what a record does not hold, such as
    the surgeons' judgement). Its case id and label replace the document's when it gives
    them. Raises InputRejected naming ``source`` when ``added`` is no case document or a
    key of it names no field of a case: what a person typed is never dropped unseen."""
    if not isinstance(added, Mapping) or "resourceType" in added:
        got = "a FHIR resource" if isinstance(added, Mapping) else describe_value(added)
        raise InputRejected([Problem(source, "must be a case document of the fields to add", got)])
    merged, refresh = merge_file_into_case(document, added, base_version=0, compare_case_id=False)
    if refresh.not_read:
        # not_read begins with the case-level keys (_not_read), then the sections' keys
        shapes = _top_level_not_read(added)
        unknown = [(key, "a field of a case (case-v1)", _UNKNOWN_FIELD) for key in refresh.not_read]
        raise InputRejected(
            [
                Problem(
                    f"{source}: {key}",
                    f"must be {expected}",
                    "an unknown field" if got is _UNKNOWN_FIELD else describe_value(got),
                )
                for key, expected, got in [*shapes, *unknown[len(shapes) :]]
            ]
        )
    for key in ("case_id", "label"):
        if added.get(key) is not None:
            merged[key] = added[key]
    return merged, refresh
