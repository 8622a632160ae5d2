"""Write docs/plausibility.md from the field table, plausibility.yaml and the entry units.

    PYTHONPATH=src python tools/plausibility_table.py [--check]

With ``--check`` nothing is written; the exit status is 1 when the page is not current
(tests/case/test_plausibility_table.py runs this).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nelm.case.fields import FIELDS, Kind
from nelm.case.plausibility import PlausibleRange, Slip, plausible_ranges
from nelm.case.units import ENTRY_UNITS, clinical_number

PAGE = Path(__file__).resolve().parent.parent / "docs" / "plausibility.md"

INTRO = """\
# Plausibility: hard ranges, plausible ranges, unit slips, contradictions

<!-- Written by tools/plausibility_table.py from src/nelm/case/fields.py,
src/nelm/case/data/plausibility.yaml and src/nelm/case/units.py; do not edit by hand. -->

Every number of case-v1 has a **hard range** (case-v1; outside it the value is rejected) and,
in `src/nelm/case/data/plausibility.yaml`, a **plausible range** set well outside the
reference interval named beside it, so that it catches slips (a unit, a decimal point)
rather than disease. A value inside the hard range but outside the plausible range is
accepted by the CLI, the API and the web form only when confirmed (the case document's
`confirmed` list, or the form's "confirm this value as entered" box), and every assessment
shows it as a warning at the top, confirmed or not; a FHIR bundle or a cohort row, which
cannot confirm, is accepted with the warning. Where the number read in a usual wrong unit
falls inside the plausible range, the message names the slip, in the rejection of a hard
range as well ("labs.hemoglobin_g_dl: must be a number between 2 and 25, got 130 (did you
mean 130 g/L = 13 g/dL?)"). A bound (`…_at_least`, `…_at_most`) has the range, slips and
units of the number it bounds.

Where the plausible range equals the hard range, every value the contract allows occurs in
practice (the reference says why). Two slips cannot be told from the value alone and are
caught as contradictions instead: a Ki-67 index or a tumour burden entered as a fraction
(0.25 for 25 %), since an index or a burden below 1 % is real.

**FHIR records** give the same warnings (docs/fhir-mapping.md): an implausible value is
used as sent, with the same message and hint, naming the resource it came from; a value
outside the hard range is not a refusal of the record but leaves that one field unknown,
with an `out_of_range` warning at the top naming the field, the resource, the value as
sent and the same hint ("Haemoglobin (labs.hemoglobin_g_dl): Observation/hb gives 130 g/dL,
outside what case-v1 accepts (a number between 2 and 25 g/dL): did you mean 130 g/L =
13 g/dL?"). Both are listed in the data-quality list, which CDS Hooks shows on its
data-quality card. Tests: `tests/interop/test_fhir_plausibility.py`.

A number entered in another unit (last column; `{"value": 30, "unit": "mm"}`) is kept as
entered and shown with the converted value beside it ("30 mm (3 cm)") in every criterion
value, warning and report.

"""

CONTRADICTIONS = """
## Contradictions

Flagged as warnings (never rejected: the board decides which statement is right), each
naming its fields and the likely fix, by `nelm.engine.consistency`:

- SSTR imaging negative with a Krenning score ≥ 2 (uptake at least that of normal liver), or
  positive with Krenning 0; Krenning score against uptake versus liver (Krenning 1994);
- a reported WHO grade against the grade of the Ki-67 index and mitotic count (000 §1: the
  higher index decides; an index below the reported grade contradicts it only when the
  other index is known too), naming a Ki-67 fraction (0.25) when read as a percentage it gives
  the reported grade; a reported NEC with "well differentiated"; a reported G1–G3 with
  "poorly differentiated"; "poorly differentiated" with a Ki-67 of 20 % or less (000 §1: an
  NEC is of high grade; 003 Table 1: Ki-67 > 20 %), naming a Ki-67 fraction;
- a refractory syndrome with no functional syndrome (read as no refractory syndrome:
  001 Debulking surgery, 001 Table 2);
- carcinoid heart disease beside a tumour given as non-functioning (Davar 2017: the heart
  disease is a complication of the carcinoid syndrome; with no syndrome given, nelm reads
  a carcinoid syndrome from it);
- a hormone that defines another named syndrome beside the syndrome given (glucagon beside
  a gastrinoma: Jensen 2012 defines each syndrome by its hormone); a tumour can secrete
  more than one, so it asks for a check, and the plan's precautions follow the syndrome;
- resection margin or months since resection for a primary given as not resected; a
  primary given as resected that the surgeons' verdict calls unremovable;
- progression on a somatostatin analogue with prior treatments that list none;
- a course given as a new diagnosis beside progression on an SSA, prior systemic lines or
  systemic treatments listed as given (a primary resected before is no contradiction);
- fewer prior systemic lines than the systemic treatments listed;
- a liver recurrence after hepatectomy with prior treatments that list no liver operation;
- a primary site given as unknown (unknown_primary) beside its resection, a margin, a time
  since its resection, a T category or a size (case-v1 primary; an unknown primary has no
  portal drainage, which the Milan and UNOS criteria ask for: 001 Table 2);
- fitness for major surgery beside ECOG 4 (totally confined to bed or chair: Oken 1982);
- an eGFR more than 2.5 times above the highest, or below the lowest, that the creatinine
  gives by CKD-EPI 2021 for the patient's age and sex (any adult age, either sex, when not
  given: Inker LA et al., N Engl J Med 2021;385:1737-1749); the margin leaves room for
  other equations and body size; an eGFR known only by a bound ("> 60") is checked by the
  bound (the kidney criteria read the eGFR given, and the creatinine only without one);
- months since resection or of stable disease longer than the patient's age (a number in
  years or days where months are asked);
- a tumour burden below what the largest lesion alone fills: at least π d³/24 (an ellipsoid
  with the largest diameter d and half of it in the other two directions) of a 2,500 mL
  liver (standard liver volume ≈ 706 × BSA + 2.4 mL, about 1,300 mL at 1.8 m²: Urata K et
  al., Hepatology 1995;21:1317-1321), naming the fraction when × 100 it fits;
- a tumour burden far above what the lesions can fill: more than three times, and 10
  points above, the lesion count times a sphere of the largest diameter (π d³/6) beside at
  least 700 mL of liver (Urata: 706 × BSA at 1.0 m²); a burden estimated by eye within that
  margin is not flagged.

Tests: `tests/case/test_plausibility.py` (each range just inside and just outside both
ends), `tests/case/test_plausibility_audit.py` (each slip and contradiction on both sides),
`tests/web/test_plausibility_everywhere.py` (the CLI, the API and the form alike).
"""


def _slip(slip: Slip) -> str:
    if slip.factor is not None:
        factor = f"{slip.factor:g}"
        return f"{slip.unit} (× {factor})"
    if slip.bands:
        return f"{slip.unit} read as {slip.shown_unit}"
    return slip.unit


def page() -> str:
    ranges = plausible_ranges()
    rows = [
        "| Field | Unit | Hard range | Plausible range | Reference | Slips named | "
        "Also entered in | Sources |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for spec in FIELDS:
        if spec.kind not in (Kind.NUMBER, Kind.INTEGER) or spec.bound_of is not None:
            continue
        r = ranges[spec.path]
        named = [_slip(s) for s in r.slips] + ([f"else: {r.advice}"] if r.advice else [])
        slips = "; ".join(named) or "—"
        units = ", ".join(u.label for u in ENTRY_UNITS.get(spec.path, ())[1:]) or "—"
        sources = "; ".join(s.split(". ")[0].split(" (")[0] for s in r.sources)
        rows.append(
            f"| `{spec.path}` | {spec.unit or '—'} | {spec.range_text() or 'any'} | "
            f"{clinical_number(r.low)}–{clinical_number(r.high)} | {r.reference} | {slips} | "
            f"{units} | {sources} |"
        )
    return (
        INTRO
        + "\n".join(rows)
        + "\n\nFull citations are in the YAML file.\n"
        + _units_in_doubt(ranges)
        + CONTRADICTIONS
    )


UNITS_IN_DOUBT = """
## Units in doubt

Where two units of a field overlap, no range tells the slip from the disease: a number
given without its unit in the zone below is assessed as given, never refused, with a
warning (`input_warnings` kind `unit_check`) naming the other reading and asking to check
the unit; listing the field in `confirmed` marks the warning "Confirmed as entered". A
number given in the other unit (`{"value": 17, "unit": "µmol/L"}`, the form's unit menu
set to it) is not questioned, nor a FHIR result's (it states its unit; a person's addition
to a record is). `nelm batch` lists such values in its warnings file, assessed as given.
Where the case records what explains a high value (for a bilirubin: a biliary obstruction,
hepatic encephalopathy or ascites), the warning says so and still asks to check the unit.

| Field | Questioned from | to | Read in | Reference there |
|---|---|---|---|---|
"""


def _units_in_doubt(ranges: dict[str, PlausibleRange]) -> str:
    checks = [(path, r.unit_check) for path, r in ranges.items() if r.unit_check is not None]
    rows = [
        f"| `{path}` | {clinical_number(c.low)} | {clinical_number(c.high)} | "
        f"{c.slip.unit} (× {c.slip.factor:g}) | {c.reference} |"
        for path, c in checks
    ]
    return UNITS_IN_DOUBT + "\n".join(rows) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = page()
    if args.check:
        current = PAGE.read_text("utf-8") == text
        if not current:
            print(f"{PAGE} is not current: run tools/plausibility_table.py", file=sys.stderr)
        return 0 if current else 1
    PAGE.write_text(text, "utf-8")
    print(PAGE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
