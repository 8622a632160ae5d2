"""A searchset Bundle that is not the whole answer.

An EHR answers a search (``Observation?patient=…``) page by page: a page links to the next
one (``Bundle.link`` with relation ``next``), and ``Bundle.total`` counts every match. A
page saved and sent as the patient's record holds only part of it; a later Ki-67 or a
treatment on another page is then unknown to the assessment, which must say so first.
A server also reports trouble with the search itself in an OperationOutcome entry
(``search.mode`` ``outcome``): results it left out, a search it cut short.

Nothing here echoes the server's free text: the issue names the entry, the severity and
the issue code (a FHIR token), never ``diagnostics``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from nelm.interop.fhir.collect import Issue
from nelm.interop.fhir.context import Context

__all__ = ["INCOMPLETE", "REPORTED_SEVERITIES", "fewer_than_total", "read_search_outcome"]

INCOMPLETE = "INCOMPLETE RECORD"
_TOKEN = re.compile(r"[a-z][a-z0-9-]{0,63}")
REPORTED_SEVERITIES = ("fatal", "error", "warning")
"""The severities of a server's search outcome that say results may be missing."""
_REPORTED = REPORTED_SEVERITIES


def read_search_outcome(ctx: Context, bundle: Mapping[str, Any]) -> None:
    """Warn when a searchset Bundle is one page of a larger answer, and list the problems
    the server reported with the search (data-quality issues); the same for each search
    answered inside the record (the searchsets of a batch-response)."""
    _read_search(ctx, bundle, "Bundle")
    for index, entry in enumerate(bundle.get("entry") or ()):
        nested = entry.get("resource") if isinstance(entry, Mapping) else None
        if isinstance(nested, Mapping) and nested.get("resourceType") == "Bundle":
            _read_search(ctx, nested, f"Bundle.entry[{index}].resource")


def _read_search(ctx: Context, bundle: Mapping[str, Any], path: str) -> None:
    if bundle.get("type") != "searchset":
        return
    entries = [e for e in bundle.get("entry") or () if isinstance(e, Mapping)]
    failed: list[str] = []
    for index, entry in enumerate(bundle.get("entry") or ()):
        if isinstance(entry, Mapping) and _mode(entry) == "outcome":
            where = f"{path}.entry[{index}]"
            failed += _server_issues(ctx, entry.get("resource"), where)
    if failed:
        # An error or a fatal issue means the search did not complete (FHIR R4 Bundle
        # search.mode "outcome"; OperationOutcome severity): what it would have found is
        # missing, which every reader must know first, as for a page of a larger answer.
        ctx.warnings.append(
            f"{INCOMPLETE}: the server reported that the search failed ({'; '.join(failed)}),"
            " so results it would have returned are missing and unknown to this "
            "assessment. Repeat the search, or send the patient's whole record "
            "($everything), before relying on it."
        )
    why = _why_partial(bundle, entries)
    if why:
        which = "this Bundle is" if path == "Bundle" else f"the search at {path} is"
        ctx.warnings.append(
            f"{INCOMPLETE}: {which} one page of a search result ({why}); the resources "
            "on the other pages were not read, so a result or treatment recorded there (a "
            "later Ki-67, a treatment given) is unknown to this assessment. Send every page "
            "in one Bundle, or the patient's whole record ($everything), before relying on it."
        )


def _mode(entry: Mapping[str, Any]) -> str | None:
    search = entry.get("search")
    mode = search.get("mode") if isinstance(search, Mapping) else None
    return mode if isinstance(mode, str) else None


def _why_partial(bundle: Mapping[str, Any], entries: list[Mapping[str, Any]]) -> str:
    """What shows that more matches exist than the page holds ('' when nothing does)."""
    links = bundle.get("link")
    for link in links if isinstance(links, list) else ():
        if isinstance(link, Mapping) and link.get("relation") == "next":
            return "it links to a next page"
    return fewer_than_total(bundle, entries)


def fewer_than_total(bundle: Mapping[str, Any], entries: list[Mapping[str, Any]]) -> str:
    """'Bundle.total says 60 matches, the page holds 20' when the searchset holds fewer
    matches than its total ('' otherwise)."""
    total = bundle.get("total")
    if isinstance(total, int) and not isinstance(total, bool):
        # Entries without a search mode count as matches; included resources (mode
        # "include") and the server's outcome do not.
        matches = sum(1 for e in entries if _mode(e) in (None, "match"))
        if total > matches:
            return f"Bundle.total says {total} matches, the page holds {matches}"
    return ""


def _server_issues(ctx: Context, outcome: object, where: str) -> list[str]:
    """List the server's issues with the search; return those of severity error or fatal
    ("error, code timeout at Bundle.entry[0]"), which mean the search did not complete."""
    failed: list[str] = []
    if not isinstance(outcome, Mapping) or outcome.get("resourceType") != "OperationOutcome":
        return failed
    issues = outcome.get("issue")
    for number, issue in enumerate(issues if isinstance(issues, list) else ()):
        if not isinstance(issue, Mapping) or issue.get("severity") not in _REPORTED:
            continue
        code = issue.get("code")
        shown = f", code {code}" if isinstance(code, str) and _TOKEN.fullmatch(code) else ""
        ctx.issues.append(
            Issue(
                f"{where}.resource.issue[{number}]",
                f"the server reported a problem with the search ({issue['severity']}{shown}): "
                "results may be missing from this Bundle",
                notice=True,
            )
        )
        if issue["severity"] in ("error", "fatal"):
            failed.append(f"{issue['severity']}{shown} at {where}")
    return failed
