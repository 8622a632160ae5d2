"""Write docs/real-cases.md: what nelm concludes on the fifteen published cases.

Reads the re-encoded cases of ``tests/realcases`` (each with its citation and the team's
decision), assesses each with the packaged knowledge base and writes one table: the grade,
the first two plan steps, the team's choice and how nelm rates it, and, where nelm
disagrees, the criteria (with their sources) that say why, or what it still needs. Re-run
after a knowledge-base change:

    PYTHONPATH=src python tools/real_case_table.py [--check]

``--check`` exits 1 when the page on disk differs from what the cases give now.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path
from typing import Any

from nelm.service import assess_mapping

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "realcases"
PAGE = ROOT / "docs" / "real-cases.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _plan_text(doc: dict[str, Any], steps: int = 2) -> str:
    parts = []
    for step in doc["plan"][:steps]:
        names = []
        for oid in step["options"]:
            mark = "" if step["statuses"][oid] == "eligible" else " (if …)"
            names.append(f"{oid}{mark}")
        joiner = " then " if step.get("options_are") == "sequence" else " / "
        parts.append(f"{step['step']}. {joiner.join(names)}")
    return "; ".join(parts) or "no option open"


def _verdict(doc: dict[str, Any], chosen: list[str]) -> tuple[str, str, bool]:
    """How nelm rates the team's options, why where it disagrees, and whether they are
    eligible or conditional and in the first two plan steps."""
    first_two = {o for step in doc["plan"][:2] for o in step["options"]}
    rated, why = [], []
    agrees = True
    for oid in chosen:
        option = doc["options"][oid]
        status = option["status"]
        where = next((s["step"] for s in doc["plan"] if oid in s["options"]), None)
        word = {"eligible": "eligible", "uncertain": "conditional", "ineligible": "ineligible"}[
            status
        ]
        rated.append(f"{oid}: {word}" + (f" (step {where})" if where else ""))
        if status == "ineligible":
            agrees = False
            for c in option["criteria"]:
                if c["result"] == "not_met":
                    why.append(f"{oid} — {c['text']} [{'; '.join(c['sources'])}] ({c['value']})")
        elif status == "uncertain":
            deciders = [
                t["name"].split(":")[0].split(" (")[0]
                for t in doc.get("investigations") or ()
                if oid in t["could_change"]
            ]
            wants = deciders or option.get("judgements", []) or option["missing"]
            why.append(f"{oid} would be decided by: {'; '.join(wants)}")
        if oid not in first_two:
            agrees = False
    return "; ".join(rated), "; ".join(why), agrees


def build() -> str:
    rows, decided, verdicts, graded, in_first_two, eligible_or_conditional = [], 0, 0, 0, 0, 0
    # Some reports name a step that maps to several options (cr26: "resection of the liver
    # metastases"); this counts the cases where at least one of them is in the first two.
    any_in_first_two = 0
    differs: list[str] = []
    # A grade counts as stated when the encoded case holds one the report gave before the
    # decision (a reported grade, a Ki-67 or a mitotic count); grades learnt only later, from
    # the resected specimen, are left out of the case and named under "not_encoded".
    stated_grades, stated_and_settled = 0, 0
    later_grades: list[str] = []
    files = sorted(CASES.glob("cr*.json"))
    for path in files:
        record = json.loads(path.read_text(encoding="utf-8"))
        doc = assess_mapping(copy.deepcopy(record["case"]), with_evidence=False)
        statuses = [o["status"] for o in doc["options"].values()]
        verdicts += len(statuses)
        decided += sum(s != "uncertain" for s in statuses)
        grade = doc["classification"]["grade"]
        graded += grade is not None
        pathology = record["case"].get("pathology") or {}
        stated = any(k.startswith(("reported_grade", "ki67_percent", "mitoses")) for k in pathology)
        stated_grades += stated
        stated_and_settled += stated and grade is not None
        if any("after the decision" in n for n in record.get("not_encoded", ())):
            later_grades.append(path.stem.split("-")[0])
        first = record["decision"]["chosen"][0] if record["decision"]["chosen"] else []
        rated, why, agrees = _verdict(doc, first)
        in_first_two += agrees
        note = record.get("where_nelm_differs")
        if note:
            differs.append(
                f"- **{path.stem.split('-')[0]}**: {note['text']} ({'; '.join(note['sources'])})"
            )
        first_two = {o for step in doc["plan"][:2] for o in step["options"]}
        any_in_first_two += any(o in first_two for o in first)
        eligible_or_conditional += all(doc["options"][o]["status"] != "ineligible" for o in first)
        cite = record["citation"]
        source = cite.get("doi") or cite.get("pmid") or cite.get("url", "")
        todo = doc.get("investigations") or []
        rows.append(
            "| "
            + " | ".join(
                _cell(x)
                for x in (
                    f"{path.stem} ({source})",
                    grade or "not settled",
                    _plan_text(doc),
                    ", ".join(first)
                    + " — "
                    + "; ".join(record["decision"].get("chosen_terms", [])),
                    rated,
                    why or "—",
                    todo[0]["name"] if todo else "—",
                )
            )
            + " |"
        )
    n = len(files)
    header = [
        "# The fifteen published cases: what nelm concludes",
        "",
        "Written by `tools/real_case_table.py` from the re-encoded cases in `tests/realcases`",
        "(each cites its report; the team's choice is the report's first decision step). Re-run",
        "it after any change to the knowledge base; `--check` fails when this page is stale.",
        "",
        f"- Verdicts decided (eligible or ineligible): {decided} of {verdicts} "
        f"({100 * decided / verdicts:.0f} %).",
        f"- Grade settled: {graded} of {n} cases; {stated_and_settled} of the "
        f"{stated_grades} whose report states a grade (or Ki-67, or mitoses) before the "
        "decision"
        + (
            f" (known only after the decision, from the resected specimen, and left out: "
            f"{', '.join(later_grades)})."
            if later_grades
            else "."
        ),
        f"- Team's first choice eligible or conditional in nelm: {eligible_or_conditional} "
        f"of {n}; and in the first two plan steps as well: {in_first_two} of {n} (all of "
        f"the options the report's step maps to), {any_in_first_two} of {n} (at least one).",
        "",
        '"(if …)" marks a conditional option: uncertain, shown with the criteria still open. '
        "Where nelm rates the team's choice ineligible, the last-but-one column gives the "
        "criterion that says why with its source and the value it read; where conditional, "
        "what it needs. The last column is the first item of the to-do list.",
        "",
        "| Case (report) | Grade | nelm's first two plan steps | Team's choice | nelm on "
        "that choice | Why not, or what is needed | Most decisive investigation |",
        "|---|---|---|---|---|---|---|",
    ]
    footer = [
        "",
        "## Where nelm's first two steps differ from the team's choice",
        "",
        "Written from the reports and the sources (`where_nelm_differs` in each case file); a "
        "test checks that every case whose choice is not in nelm's first two steps has one.",
        "",
        *differs,
    ]
    return "\n".join(header + rows + footer) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when docs/real-cases.md is not what the cases give now",
    )
    args = parser.parse_args(argv)
    page = build()
    if args.check:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        if current != page:
            print(f"{PAGE} is stale: run tools/real_case_table.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(page, encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
