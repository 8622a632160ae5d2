"""CDS Hooks cards from an assessment-v1 document.

Two cards at most:

* the **assessment card**: a summary under 140 characters ("NELM: 2 options eligible
  (liver resection, SSA); 9 uncertain — 14 data items missing"), a markdown detail with
  the eligible options and the criteria that decided them (with sources), the data to
  obtain for the uncertain ones ("Obtain X to decide Y"), the ineligible ones with their
  reasons; one suggestion (a draft ServiceRequest for a tumour-board discussion).
  Indicator: ``warning`` when an option of curative intent (resection, transplantation)
  is eligible or not ruled out by the record (uncertain) — a time-sensitive surgical
  referral a clinician should not miss; the record alone rarely makes one *eligible*,
  since fitness for major surgery is never coded — otherwise ``info``. ``critical`` is
  never used: nelm is decision support for a tumour board, not an alert about imminent
  harm.
* the **data card** (``info``), when part of the record could not be read: which part and
  why. What was not read stays unknown in the assessment. (When not even the problem
  list can be read, there is no card: the service answers 412, see service.py.)

All text that is not a fixed string of this module is escaped (:mod:`.markdown`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

from nelm.case.fields import FIELD_BY_PATH
from nelm.interop.cds_hooks.markdown import escape
from nelm.interop.cds_hooks.settings import CdsSettings
from nelm.interop.cds_hooks.sources import without_resource_ids
from nelm.knowledge.sources import ReferenceList, cite_plain
from nelm.report.view import NOT_KNOWN, classification_rows, field_label, in_words
from nelm.vocabulary import option_short, vocabulary

__all__ = [
    "OVERRIDE_REASONS",
    "OVERRIDE_SYSTEM",
    "SUMMARY_LIMIT",
    "CardContext",
    "assessment_card",
    "case_link",
    "curative_open",
    "data_card",
    "indicator",
    "summary",
]

SUMMARY_LIMIT = 140
"""CDS Hooks: the summary SHOULD be under 140 characters (so at most 139)."""

OVERRIDE_SYSTEM = "https://nelm.invalid/fhir/CodeSystem/cds-override-reason"
OVERRIDE_REASONS: tuple[tuple[str, str], ...] = (
    ("already-discussed", "Already discussed at a tumour board"),
    ("record-incorrect", "Record data are incorrect or out of date"),
    ("not-applicable", "Not applicable to this patient"),
)

_INTENT_ORDER: Final = {intent: i for i, intent in enumerate(vocabulary().intent_ids)}
_INTENT_WORDS: Final = {i.id: i.words for i in vocabulary().intents}
_MAX_MISSING_LINES = 12


@dataclass(frozen=True, slots=True)
class CardContext:
    settings: CdsSettings
    hook_instance: str
    patient_id: str
    encounter_id: str | None
    knowledge_version: str
    resources_read: int
    case_path: str | None = None  # the stored case in the application, when recorded
    problem_list_unread: bool = False
    """The problem list (Condition) could not be read, or only in part (a key not
    provided, an error, a page not read): a record that shows no neuroendocrine neoplasm
    then says nothing about whether the patient has one."""


def case_link(settings: CdsSettings, hook_instance: str, case_path: str | None = None) -> str:
    """Where the clinician continues in the nelm application (no patient data in it): the
    stored case when the application recorded one, else a new-case form."""
    if case_path is not None:
        return f"{settings.app_base_url}{case_path}"
    return (
        f"{settings.app_base_url}/cases/new?source=cds-hooks"
        f"&hookInstance={quote(hook_instance, safe='')}"
    )


def _short(option_id: str) -> str:
    return option_short(option_id)


def _options(doc: Mapping[str, Any], status: str) -> list[tuple[str, Mapping[str, Any]]]:
    found = [
        (oid, o)
        for oid, o in (doc.get("options") or {}).items()
        if isinstance(o, Mapping) and o.get("status") == status
    ]
    return sorted(found, key=lambda item: _INTENT_ORDER.get(str(item[1].get("intent")), 9))


def _plural(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def _record_warns(doc: Mapping[str, Any], *openings: str) -> bool:
    """One of the record's own warnings (input_source.record_warnings) opens so."""
    source = doc.get("input_source")
    warnings = source.get("record_warnings") if isinstance(source, Mapping) else None
    return any(str(w).startswith(openings) for w in warnings or ())


def _deceased(doc: Mapping[str, Any]) -> bool:
    return _record_warns(doc, "DECEASED")


def _not_neuroendocrine(doc: Mapping[str, Any]) -> bool:
    """The record shows no neuroendocrine neoplasm (nelm.interop.fhir.cancers): its
    tumour fields were left unknown, so the options say nothing about this patient."""
    return _record_warns(doc, "NOT A NEUROENDOCRINE RECORD", "NEUROENDOCRINE DIAGNOSIS NOT READ")


def _diagnosis_unread(doc: Mapping[str, Any], problem_list_unread: bool) -> bool:
    """The Conditions could not all be read (the request's problem list, or Conditions
    the mapping set aside): a record without a NET then does not show its absence."""
    return problem_list_unread or _record_warns(doc, "NEUROENDOCRINE DIAGNOSIS NOT READ")


def _patient_unread(doc: Mapping[str, Any]) -> bool:
    """The record's Patient could not be read (nelm.interop.fhir.patient): whether the
    patient is alive is unknown, so nothing time-sensitive is proposed either."""
    return _record_warns(doc, "PATIENT NOT READ", "NO PATIENT")


def _nothing_assessed(doc: Mapping[str, Any]) -> bool:
    """The assessment is not about this (living) patient: the patient has died, or the
    record shows no NET. The card says why and lists no options."""
    return _deceased(doc) or _not_neuroendocrine(doc)


def _no_proposal(doc: Mapping[str, Any]) -> bool:
    """Nothing to propose: the patient has died, the record shows no NET, or whether the
    patient is alive is unknown (the Patient was not read)."""
    return _nothing_assessed(doc) or _patient_unread(doc)


def summary(doc: Mapping[str, Any], *, problem_list_unread: bool = False) -> str:
    """The card summary, always shorter than :data:`SUMMARY_LIMIT` characters."""
    if _deceased(doc):  # never presented as the assessment of a living patient
        return "NELM: the record says the patient has died; not for clinical action"
    if _not_neuroendocrine(doc) and _diagnosis_unread(doc, problem_list_unread):
        # not in what was read is not absent
        return "NELM: the problem list could not be read in full; nothing assessed for this patient"
    if _not_neuroendocrine(doc):
        return "NELM: no neuroendocrine neoplasm in the record; nothing assessed for this patient"
    if _patient_unread(doc):
        return (
            "NELM: the record's Patient could not be read (death, age, sex unknown); "
            "check it before acting"
        )
    eligible = [_short(oid) for oid, _ in _options(doc, "eligible")]
    uncertain = len(_options(doc, "uncertain"))
    missing = len(doc.get("missing_data") or ())
    tail = ""
    if uncertain:
        tail = f"; {uncertain} uncertain"
        if missing:
            tail += f" — {_plural(missing, 'data item')} missing"
    if not eligible:
        text = f"NELM: no option eligible{tail}"
        return text if len(text) < SUMMARY_LIMIT else text[: SUMMARY_LIMIT - 2] + "…"
    head = f"NELM: {_plural(len(eligible), 'option')} eligible"
    for shown in range(len(eligible), -1, -1):
        names = ", ".join(eligible[:shown])
        if shown < len(eligible):
            names = f"{names}, …" if names else "…"
        text = f"{head} ({names}){tail}"
        if len(text) < SUMMARY_LIMIT:
            return text
    text = f"{head}{tail}"
    return text if len(text) < SUMMARY_LIMIT else text[: SUMMARY_LIMIT - 2] + "…"


def curative_open(doc: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """The curative-intent options that are eligible or not ruled out (uncertain)."""
    return [
        (oid, o)
        for status in ("eligible", "uncertain")
        for oid, o in _options(doc, status)
        if o.get("intent") == "curative"
    ]


def indicator(doc: Mapping[str, Any]) -> str:
    """``warning`` when a curative-intent option (resection, transplantation) is eligible
    or not ruled out by the record (or the record says the patient has died); ``info``
    when every curative option is ineligible."""
    if _not_neuroendocrine(doc) and not _deceased(doc):
        return "info"
    return "warning" if curative_open(doc) or _deceased(doc) or _patient_unread(doc) else "info"


def _sources(sources: object, refs: ReferenceList) -> str:
    if not isinstance(sources, list) or not sources:
        return ""
    return " _(" + escape(refs.labels(str(s) for s in sources)) + ")_"


def _references(refs: ReferenceList) -> str | None:
    """The references the card cited, as in every other view: a clinician in the EHR
    cannot look up "Nigri 2018" without them."""
    if not refs.order:
        return None
    return "**References:**\n\n" + "\n".join(
        f"{number}. {escape(ref.full)}" for number, ref in enumerate(refs.order, start=1)
    )


def _eligible_lines(doc: Mapping[str, Any], refs: ReferenceList) -> list[str]:
    lines: list[str] = []
    for _oid, option in _options(doc, "eligible"):
        intent = _INTENT_WORDS.get(str(option.get("intent")), "")
        again = ", given before" if option.get("given_before") else ""
        lines.append(f"- **{escape(option.get('name', _oid))}**{again} — {escape(intent)}")
        for criterion in option.get("criteria") or ():
            if not isinstance(criterion, Mapping) or criterion.get("result") != "met":
                continue
            value = criterion.get("value")
            shown = f": {escape(value)}" if value else ""
            lines.append(
                f"  - {escape(cite_plain(str(criterion.get('text', '')), refs))}{shown}"
                f"{_sources(criterion.get('sources'), refs)}"
            )
        for caution in option.get("caution_details") or ():
            if isinstance(caution, Mapping) and caution.get("case_specific"):
                lines.append(
                    f"  - Caution: {escape(cite_plain(str(caution.get('text', '')), refs))}"
                    f"{_sources(caution.get('sources'), refs)}"
                )
        evidence = option.get("evidence")
        if isinstance(evidence, Mapping) and evidence.get("text"):
            lines.append(f"  - Evidence: {escape(cite_plain(str(evidence['text']), refs))}")
    return lines


def _missing_lines(doc: Mapping[str, Any]) -> list[str]:
    items = [m for m in doc.get("missing_data") or () if isinstance(m, Mapping)]
    lines: list[str] = []
    for item in items[:_MAX_MISSING_LINES]:
        path = str(item.get("field", ""))
        spec = FIELD_BY_PATH.get(path)
        # The card is read by a clinician in the chart: the field's words, not nelm's
        # field path (every label is unique, so the path adds nothing to tell them apart).
        name = f"**{escape(spec.label if spec is not None else path)}**"
        decides = ", ".join(_short(str(o)) for o in item.get("decides") or ())
        lines.append(f"- Obtain {name} to decide {escape(decides)}")
    if len(items) > _MAX_MISSING_LINES:
        lines.append(f"- … and {len(items) - _MAX_MISSING_LINES} more in the full assessment")
    return lines


_NOT_MET: Final = next(r.mark for r in vocabulary().results if r.id == "not_met")
_MAX_FAILED_SHOWN = 2


def _failed(option: Mapping[str, Any], refs: ReferenceList) -> list[str]:
    """The criteria an ineligible option failed, each with the patient's value, as every
    other view shows them ("✘ Young patient (< 55 years) — Age 73 years")."""
    failed = [
        c
        for c in option.get("criteria") or ()
        if isinstance(c, Mapping) and c.get("result") == "not_met"
    ]
    if not failed:  # the option's own words, when no criterion says it
        return [escape(str(r)) for r in option.get("reasons") or ()][:_MAX_FAILED_SHOWN]
    shown = []
    for criterion in failed[:_MAX_FAILED_SHOWN]:
        value = criterion.get("value")
        shown.append(
            f"{_NOT_MET} {escape(cite_plain(str(criterion.get('text', '')), refs))}"
            + (f" — {escape(value)}" if value else "")
        )
    if len(failed) > _MAX_FAILED_SHOWN:
        shown.append(f"and {len(failed) - _MAX_FAILED_SHOWN} more")
    return shown


def _ineligible_lines(doc: Mapping[str, Any], refs: ReferenceList) -> str | None:
    lines = [
        f"- {escape(_short(oid))}: " + "; ".join(_failed(option, refs))
        for oid, option in _options(doc, "ineligible")
    ]
    return (
        "**Not eligible** (the criterion failed, with the patient's value):\n\n" + "\n".join(lines)
        if lines
        else None
    )


def _classification_line(doc: Mapping[str, Any], refs: ReferenceList) -> str | None:
    if not isinstance(doc.get("classification"), Mapping):
        return None
    # the grade and the liver-metastasis type, in the words of every other view
    rows = {row.key: row for row in classification_rows(doc)}
    grade, liver_type = rows["grade"], rows["liver_type"]
    bits = [
        f"{escape(grade.title)} {escape(grade.value)}"
        + (f" — {escape(cite_plain(grade.explanation, refs))}" if grade.explanation else "")
    ]
    if liver_type.value != NOT_KNOWN:
        bits.append(f"{escape(liver_type.title)} {escape(liver_type.value)}")
    return "**Classification:** " + "; ".join(bits) + "."


def _curative_line(doc: Mapping[str, Any]) -> str | None:
    open_options = curative_open(doc)
    if not open_options:
        return None
    items: list[str] = []
    for oid, option in open_options:
        if option.get("status") == "eligible":
            items.append(f"{escape(_short(oid))} (eligible)")
            continue
        missing = [str(m) for m in option.get("missing") or ()]
        labels = [field_label(m) for m in missing]
        shown = ", ".join(labels[:3]) + (", …" if len(labels) > 3 else "")
        items.append(
            f"{escape(_short(oid))} (to decide: {escape(shown)})" if shown else escape(_short(oid))
        )
    return (
        "**Curative option not ruled out:** "
        + "; ".join(items)
        + ". A surgical opinion is time-sensitive."
    )


# The assessment's own words point to its JSON (input_source.data_quality); in the EHR
# that list is the data card.
_TO_THE_DATA_CARD: Final = (
    ("(see the data-quality list of the input source)", "(see the NELM data-quality card)"),
    ("(see the data-quality list)", "(see the NELM data-quality card)"),
)


def _card_words(warning: str) -> str:
    for said, shown in _TO_THE_DATA_CARD:
        warning = warning.replace(said, shown)
    return warning


def _record_words(doc: Mapping[str, Any], warning: str) -> str:
    """What the record says about the whole assessment, in words as the stored case keeps
    it: "the Patient resource: deceasedDateTime 1971-10-01", not the EHR's resource id (a
    UUID, where the card's reader needs words); the data card keeps the places in the
    request for the integrator. Only the record's own warnings are rewritten: an
    assessment warning may name "STZ/5-FU", which is no resource."""
    source = doc.get("input_source")
    said = source.get("record_warnings") if isinstance(source, Mapping) else None
    return without_resource_ids(warning) if warning in (said or ()) else warning


_NO_NET_SAID: Final = (
    "NOT A NEUROENDOCRINE RECORD: no neuroendocrine neoplasm is recorded (no Condition "
    "with a neuroendocrine code or morphology)"
)
_NO_NET_UNREAD: Final = (
    "NEUROENDOCRINE DIAGNOSIS UNKNOWN: the problem list could not be read in full, and "
    "what was read shows no neuroendocrine neoplasm"
)


def problem_list_unread_words(warning: str) -> str:
    """The mapping says "no neuroendocrine neoplasm is recorded" of the Conditions it was
    given; when the problem list itself was not read, that is not an absence (unknown
    stays unknown), and the card must not contradict its own summary."""
    if warning.startswith(_NO_NET_SAID):
        return _NO_NET_UNREAD + warning[len(_NO_NET_SAID) :]
    return warning


def _on_top(doc: Mapping[str, Any], warning: str) -> bool:
    """What the record says about the whole assessment (a death, the Patient not read, no
    NET) and the results it uses that are old (docs/fhir-mapping.md: "one warning on
    top of every output"): before the options."""
    source = doc.get("input_source")
    said = source.get("record_warnings") if isinstance(source, Mapping) else None
    return warning in (said or ()) or warning.startswith(_RESULTS_ON_TOP)


_RESULTS_ON_TOP: Final = (
    "Results more than 90 days",
    "Results with no date",
    "Results dated after",
)


def _why_nothing(doc: Mapping[str, Any], *, problem_list_unread: bool) -> str:
    if _deceased(doc):
        return (
            "**Nothing is assessed for this patient:** the record says the patient has "
            "died (above). No treatment option is listed or proposed."
        )
    if _diagnosis_unread(doc, problem_list_unread):
        return (
            "**Nothing is assessed for this patient:** the problem list could not be read, "
            "or only in part (see the NELM data-quality card), so whether the patient has a "
            "neuroendocrine neoplasm is unknown, and nelm's options are for liver "
            "metastases of one. No treatment option is listed or proposed."
        )
    return (
        "**Nothing is assessed for this patient:** the record shows no neuroendocrine "
        "neoplasm (above), and nelm's options are for liver metastases of one. No "
        "treatment option is listed or proposed."
    )


def _from_the_record(doc: Mapping[str, Any], ctx: CardContext) -> str | None:
    source = doc.get("input_source")
    if not isinstance(source, Mapping):
        return None
    filled = len(source.get("provenance") or {})
    unknown = len(source.get("unmapped") or ())
    return (
        f"**From the record:** {_plural(ctx.resources_read, 'resource')} "
        f"read; {_plural(filled, 'case field')} filled, {unknown} unknown "
        "(not in the record, or not coded: never assumed normal or absent)."
    )


def assessment_detail(doc: Mapping[str, Any], ctx: CardContext) -> str:
    blocks: list[str] = []
    refs = ReferenceList()  # sources by author and year, listed at the end
    raw = [str(w) for w in doc.get("warnings") or ()]
    top = [_record_words(doc, w) for w in raw if _on_top(doc, w)]
    rest = [w for w in raw if not _on_top(doc, w)]
    raw = [_record_words(doc, w) for w in raw]

    def listed(warnings: Sequence[str]) -> str:
        return "**Warnings:**\n\n" + "\n".join(
            f"- {escape(in_words(cite_plain(_card_words(w), refs)))}" for w in warnings
        )

    if _nothing_assessed(doc):
        # The options say nothing about this patient: what the record says, why nothing
        # is assessed, and what was read — no option, no classification.
        if _diagnosis_unread(doc, ctx.problem_list_unread):
            raw = [problem_list_unread_words(w) for w in raw]
        blocks.append(listed(raw))
        blocks.append(_why_nothing(doc, problem_list_unread=ctx.problem_list_unread))
    else:
        if top:  # what the record says first, then the options
            blocks.append(listed(top))
        curative = None if _no_proposal(doc) else _curative_line(doc)
        if curative:
            blocks.append(curative)
        eligible = _eligible_lines(doc, refs)
        if eligible:
            blocks.append("**Eligible** (every required criterion met):\n\n" + "\n".join(eligible))
        else:
            blocks.append("**Eligible:** none on the data available.")
        uncertain = [escape(_short(oid)) for oid, _ in _options(doc, "uncertain")]
        if uncertain:
            blocks.append(
                f"**Uncertain:** {', '.join(uncertain)}. Obtain the missing data to "
                "decide:\n\n" + "\n".join(_missing_lines(doc))
            )
        ineligible = _ineligible_lines(doc, refs)
        if ineligible:
            blocks.append(ineligible)
        classification = _classification_line(doc, refs)
        if classification:
            blocks.append(classification)
        if rest:
            blocks.append(listed(rest))
    read = _from_the_record(doc, ctx)
    if read:
        blocks.append(read)
    references = _references(refs)
    if references:
        blocks.append(references)
    blocks.append(
        f"nelm {escape(ctx.knowledge_version)} — decision support for the tumour "
        "board; it does not replace clinical judgement."
    )
    return "\n\n".join(blocks)


def _board_suggestion(doc: Mapping[str, Any], ctx: CardContext) -> dict[str, Any]:
    request: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "status": "draft",
        "intent": "proposal",
        "subject": {"reference": f"Patient/{ctx.patient_id}"},
        "code": {"text": "Discussion at the neuroendocrine tumour board"},
        "reasonCode": [
            {
                "text": "Liver metastases of a neuroendocrine neoplasm: treatment "
                "options assessed by nelm"
            }
        ],
    }
    if ctx.encounter_id:
        request["encounter"] = {"reference": f"Encounter/{ctx.encounter_id}"}
    return {
        "label": "Discuss at the neuroendocrine tumour board",
        "uuid": str(uuid.uuid4()),
        "isRecommended": indicator(doc) == "warning",
        "actions": [
            {
                "type": "create",
                "description": "Draft a request for a tumour-board discussion",
                "resource": request,
            }
        ],
    }


def _override_reasons() -> list[dict[str, str]]:
    return [
        {"system": OVERRIDE_SYSTEM, "code": code, "display": display}
        for code, display in OVERRIDE_REASONS
    ]


def _source(ctx: CardContext) -> dict[str, Any]:
    # CDS Hooks 2.0 Card.source.url: where to learn about the service that gave the card
    # (the nelm application). The case itself is one of the card's links.
    return {"label": f"nelm {ctx.knowledge_version}", "url": f"{ctx.settings.app_base_url}/"}


def assessment_card(doc: Mapping[str, Any], ctx: CardContext) -> dict[str, Any]:
    # A dead patient or a record without a NET: no tumour-board request is proposed.
    proposals: dict[str, Any] = (
        {}
        if _no_proposal(doc)
        else {"suggestions": [_board_suggestion(doc, ctx)], "selectionBehavior": "at-most-one"}
    )
    return {
        "uuid": str(uuid.uuid4()),
        "summary": summary(doc, problem_list_unread=ctx.problem_list_unread),
        "detail": assessment_detail(doc, ctx),
        "indicator": indicator(doc),
        "source": _source(ctx),
        **proposals,
        "overrideReasons": _override_reasons(),
        "links": [
            {
                "label": "Open nelm to review and complete the case",
                "url": case_link(ctx.settings, ctx.hook_instance, ctx.case_path),
                "type": "absolute",
            }
        ],
    }


def _data_summary(keys: Sequence[str], *, assessed: bool) -> str:
    # beside a card that assessed nothing (a death, no NET or a problem list not read),
    # "assessed without the missing data" would contradict it
    tail = "; assessed without the missing data" if assessed else "; nothing assessed"
    for shown in range(len(keys), -1, -1):
        names = ", ".join(keys[:shown]) + (", …" if shown < len(keys) else "")
        text = (
            f"NELM: record not fully read ({names}){tail}"
            if keys
            else (f"NELM: record not fully read{tail}")
        )
        if len(text) < SUMMARY_LIMIT:
            return text
    return f"NELM: record not fully read{tail}"


def data_card(
    gaps: Sequence[tuple[str, str]],
    ctx: CardContext,
    keys: Sequence[str] = (),
    *,
    doc: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The card listing what could not be read: ``gaps`` holds (part, why) pairs, ``keys``
    the prefetch keys concerned (named in the summary), ``doc`` the assessment the other
    card shows (its summary says whether anything was assessed)."""
    parts = list(dict.fromkeys(part for part, _ in gaps))
    lines: list[str] = []
    for part in parts:
        reasons = [why for p, why in gaps if p == part]
        lines.append(
            f"- **{escape(part)}:** "
            + "; ".join(escape(r) for r in reasons[:6])
            + (f"; … and {len(reasons) - 6} more" if len(reasons) > 6 else "")
        )
    lead = (
        "What could not be read stays **unknown** in the assessment: it is never "
        "assumed normal or absent."
    )
    detail = "\n\n".join([lead, "\n".join(lines), f"nelm {escape(ctx.knowledge_version)}"])
    return {
        "uuid": str(uuid.uuid4()),
        "summary": _data_summary(
            [escape(k) for k in keys], assessed=doc is None or not _nothing_assessed(doc)
        ),
        "detail": detail,
        "indicator": "info",
        "source": _source(ctx),
        "overrideReasons": _override_reasons(),
    }
