"""Feed the real cases, mutated as people write them, to every way a case enters nelm.

The fifteen published case reports of ``tests/realcases`` and the published cases of
``tests/engine/published_cases.py`` are mutated the way hospitals and users send them:
numbers as text with units ("2.1 mg/dL", "15%", "1,5", "<3", "~10", "3-5"), choices in
another case or spacing ("Pancreas", "G 2", "well differentiated"), booleans as
"yes"/"no"/1/0, lists as one string, nulls and empty strings, absurd numbers, dates in
other formats, a field at the wrong level or misspelt, duplicated keys, a BOM and CRLF,
a 5 MB file, a truncated or empty file, an array, YAML. Every input goes through four
channels (``tools/messy_channels.py``):

* ``cli``: ``nelm assess`` in process, in every format it writes (json, text, html; pdf
  for the first input, it starts Chromium), and as ``--with`` on a packaged example: exit
  0 or 2, never 1 or a traceback; a refusal names the field;
* ``api``: ``POST /api/v1/assess``: below 500; a 4xx names the field;
* ``store``: ``POST /api/v1/cases`` and ``PUT /api/v1/cases/{id}`` on a stored case:
  below 500, a 4xx names the field, and a refusal stores nothing (no case, no version);
* ``form``: the web case form (``POST /cases/new``) with one field typed as people type
  it (and 17 posts of a hand-made or old form: odd timelines, units, choices, markup): 303
  or 422 naming the field, never 500, the typed text escaped on the page.

An input that is accepted must be read as what it says (``expect``): a value nelm cannot
read must be refused or left unknown, never read as something else; an implausible value
accepted must be warned of by its value. Each fault is printed once with its input; the
exit status is 1 when any was found. Offline, deterministic, well under a minute.

    PYTHONPATH=src .venv/bin/python tools/messy_inputs.py [--pdf N] [--limit N] [-v]
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

REFUSE = "refuse"  # must be refused (naming the field) or read as unknown
ANY = "any"  # structural: refused or assessed, but never an internal error


@dataclass(frozen=True)
class Messy:
    """One mutated input: its bytes, the field a refusal must name, what it must read as."""

    name: str
    data: bytes
    field: str | None = None
    expect: Any = ANY  # REFUSE, ANY, or the value ``field`` must hold when accepted
    form: str | None = None  # the text typed in the form's box for ``field``
    unit: str | None = None  # the unit chosen in the form for ``field``
    yaml: bool = False  # YAML: the API takes JSON only, and refuses it as no JSON object

    def json_only(self) -> Messy:
        """What the API must say: a YAML body is no JSON object ("document")."""
        return Messy(self.name, self.data, "document", REFUSE) if self.yaml else self


def bases() -> list[tuple[str, dict[str, Any]]]:
    """The real cases as encoded in case-v1, and the published cases."""
    from tests.engine.published_cases import PUBLISHED_CASES

    found = []
    for path in sorted((ROOT / "tests" / "realcases").glob("cr*.json")):
        found.append((path.stem, json.loads(path.read_text("utf-8"))["case"]))
    found += [(p.name, copy.deepcopy(p.case)) for p in PUBLISHED_CASES]
    return found


# (field, sent, what an accepted value must read as). REFUSE: never read as anything.
VALUES: tuple[tuple[str, Any, Any], ...] = (
    ("labs.bilirubin_mg_dl", "2.1 mg/dL", 2.1),
    ("labs.bilirubin_mg_dl", "1,5", 1.5),
    ("labs.bilirubin_mg_dl", "<3", REFUSE),
    ("labs.bilirubin_mg_dl", "~10", REFUSE),
    ("labs.bilirubin_mg_dl", "3-5", REFUSE),
    ("labs.bilirubin_mg_dl", 40, 40),
    ("labs.bilirubin_mg_dl", -1, REFUSE),
    ("labs.bilirubin_mg_dl", "", REFUSE),
    ("labs.bilirubin_mg_dl", None, REFUSE),
    ("labs.bilirubin_mg_dl", "1.2", 1.2),
    ("labs.bilirubin_mg_dl", "1 5", REFUSE),
    ("labs.bilirubin_mg_dl", "1_5", REFUSE),
    ("labs.platelets_per_ul", "240 000", 240000),
    ("labs.bilirubin_mg_dl", True, REFUSE),
    ("labs.bilirubin_mg_dl", {"value": 20.5, "unit": "µmol/L"}, 1.2),
    ("labs.bilirubin_mg_dl", {"value": 2.1, "unit": "mg/dl "}, 2.1),
    ("labs.bilirubin_mg_dl", {"value": 2.1, "unit": "mg/dL", "extra": 1}, REFUSE),
    ("labs.bilirubin_mg_dl", [1.2], REFUSE),
    ("labs.platelets_per_ul", "240,000", REFUSE),
    ("labs.platelets_per_ul", 240, 240),
    ("labs.hemoglobin_g_dl", "12 g/dl", 12),
    ("labs.albumin_g_dl", 35, REFUSE),
    ("labs.creatinine_mg_dl", "1.1mg/dl", 1.1),
    ("pathology.ki67_percent", "15%", 15),
    ("pathology.ki67_percent", "15 %", 15),
    ("pathology.ki67_percent", 150, REFUSE),
    ("pathology.ki67_percent", "<3", REFUSE),
    ("pathology.ki67_percent", "< 2%", REFUSE),
    ("pathology.ki67_percent", "3-5", REFUSE),
    ("pathology.ki67_percent", "~10", REFUSE),
    ("pathology.ki67_percent", 0.15, 0.15),
    ("pathology.ki67_percent", "NaN", REFUSE),
    ("pathology.ki67_percent", 1e400, REFUSE),
    ("pathology.ki67_percent", -0.0, 0),
    ("pathology.reported_grade", "G 2", "G2"),
    ("pathology.reported_grade", "g2", "G2"),
    ("pathology.reported_grade", "2", "G2"),
    ("pathology.reported_grade", "well differentiated", REFUSE),
    ("pathology.reported_grade", "Grade 2", "G2"),
    ("pathology.reported_grade", "G2 ", "G2"),
    ("pathology.differentiation", "Well", "well"),
    ("pathology.differentiation", "well differentiated", "well"),
    ("pathology.differentiation", "moderately", REFUSE),
    ("primary.site", "Pancreas", "pancreas"),
    ("primary.site", " pancreas ", "pancreas"),
    ("primary.site", "PANCREAS", "pancreas"),
    ("primary.site", "pancreatic", REFUSE),
    ("primary.site", "small intestine", "small_intestine"),
    ("primary.site", "ileum", "small_intestine"),
    ("primary.site", "unknown", REFUSE),
    ("primary.site", "", REFUSE),
    ("primary.site", None, REFUSE),
    ("primary.site", ["pancreas"], REFUSE),
    ("patient.sex", "F", "female"),
    ("patient.sex", "Female", "female"),
    ("patient.age_years", 0, 0),
    ("patient.age_years", 130, REFUSE),
    ("patient.age_years", "65 years", 65),
    ("patient.age_years", "65", 65),
    ("patient.age_years", "sixty", REFUSE),
    ("patient.age_years", -5, REFUSE),
    ("patient.ecog", 1.5, REFUSE),
    ("patient.ecog", "1-2", REFUSE),
    ("patient.ecog", 80, REFUSE),
    ("primary.resected", "yes", True),
    ("primary.resected", "no", False),
    ("primary.resected", 1, True),
    ("primary.resected", 0, False),
    ("primary.resected", "true", True),
    ("primary.resected", "Y", True),
    ("primary.resected", "", REFUSE),
    ("primary.resected", "unknown", REFUSE),
    ("imaging.sstr_positive", "positive", True),
    ("imaging.sstr_positive", "+", True),
    ("extrahepatic.present", "no", False),
    ("extrahepatic.sites", "bone", ["bone"]),
    ("extrahepatic.sites", "bone, lung", ["bone", "lung"]),
    ("extrahepatic.sites", ["Bone"], ["bone"]),
    ("extrahepatic.sites", ["bone", "bone"], ["bone"]),
    ("extrahepatic.sites", [], []),
    ("extrahepatic.sites", ["bone", None], REFUSE),
    ("course.prior_treatments", "ssa", ["ssa"]),
    ("course.prior_treatments", "SSA, PRRT", REFUSE),
    ("liver.surgical_assessment", "Unresectable", "unresectable"),
    ("liver.surgical_assessment", "not resectable", "unresectable"),
    ("liver.surgical_assessment", "unresectable ", "unresectable"),
    ("liver.surgical_assessment", "borderline", REFUSE),
    ("liver.lesion_count", "multiple", REFUSE),
    ("liver.lesion_count", "numerous", REFUSE),
    ("liver.lesion_count", "3-5", REFUSE),
    ("liver.lesion_count", ">10", REFUSE),
    ("liver.lesion_count", 0, REFUSE),
    ("liver.lesion_count", 2.5, REFUSE),
    ("liver.lesion_count", 3.0, 3),
    ("liver.lesion_count", "3", 3),
    ("liver.largest_lesion_cm", "25 mm", 2.5),
    ("liver.largest_lesion_cm", 25, 25),
    ("liver.distribution", "bilobar", REFUSE),
    ("liver.tumor_burden_percent", "<25%", REFUSE),
    ("liver.tumor_burden_percent", 250, REFUSE),
    ("course.status", "Progressive disease", REFUSE),
    ("course.status", "PD", REFUSE),
    ("course.months_stable", "6 months", 6),
    ("course.months_stable", 2019, REFUSE),
    ("primary.months_since_primary_resection", "2019-03", REFUSE),
    ("primary.functional_syndrome", "Carcinoid syndrome", REFUSE),
    ("primary.functional_syndrome", "no", REFUSE),
)

# a number with a unit typed or chosen: (field, number, unit, what it must read as)
UNITS: tuple[tuple[str, float, str, Any], ...] = (
    ("labs.hemoglobin_g_dl", 8.1, "mmol", REFUSE),
    ("labs.hemoglobin_g_dl", 8.1, "mmol/l", 13.05),
    ("labs.bilirubin_mg_dl", 20.5, "umol", REFUSE),
    ("labs.bilirubin_mg_dl", 20.5, "umol/L", 1.2),
    ("labs.bilirubin_mg_dl", 1.2, "mg/dl", 1.2),
    ("labs.bilirubin_mg_dl", 1.2, "mg%", 1.2),
    ("labs.creatinine_mg_dl", 90, "umol_l", 1.02),
    ("labs.albumin_g_dl", 35, "gl", REFUSE),
    ("labs.platelets_per_ul", 250, "10^9/l", 250000),
    ("labs.platelets_per_ul", 250, "G/l", 250000),
    ("labs.ldh_u_l", 3.5, "ukat", REFUSE),
    ("pathology.ki67_percent", 15, "%", 15),
)

# fields misspelt, at the wrong level or in the wrong section: (name, edit)
MOVES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("ki67 at top level", "ki67_percent", {"ki67_percent": 15}),
    ("labs at top level", "bilirubin_mg_dl", {"bilirubin_mg_dl": 1.0}),
    ("ki67 under primary", "primary.ki67_percent", {"primary": {"ki67_percent": 15}}),
    ("misspelt ki67", "pathology.ki_67_percent", {"pathology": {"ki_67_percent": 15}}),
    ("misspelt Ki67", "pathology.Ki67_percent", {"pathology": {"Ki67_percent": 15}}),
    ("tumor section", "tumor", {"tumor": {"ki67_percent": 15}}),
    ("grade key", "pathology.grade", {"pathology": {"grade": "G2"}}),
    ("camelCase", "patient.ageYears", {"patient": {"ageYears": 60}}),
    ("labs as list", "labs", {"labs": [{"bilirubin_mg_dl": 1.0}]}),
    ("labs as text", "labs", {"labs": "bilirubin 1.0"}),
    ("labs null", "labs", {"labs": None}),
    ("schema 2", "schema_version", {"schema_version": 2}),
    ("schema text", "schema_version", {"schema_version": "1"}),
    ("case_id number", "case_id", {"case_id": 12}),
    ("case_id empty", "case_id", {"case_id": ""}),
    ("as_of dd/mm/yyyy", "timeline", {"timeline": {"as_of": "05/12/2026"}}),
    ("as_of no padding", "timeline", {"timeline": {"as_of": "2026-6-1"}}),
    ("as_of words", "timeline", {"timeline": {"as_of": "1 June 2026"}}),
    ("as_of datetime", "timeline", {"timeline": {"as_of": "2026-06-01T10:00:00Z"}}),
    ("confirmed text", "confirmed", {"confirmed": "labs.bilirubin_mg_dl"}),
    ("confirmed unknown", "confirmed", {"confirmed": ["labs.nothing"]}),
)


# the form as a hand-made or old page posts it: (name, fields, the field a refusal names)
FORM_POSTS: tuple[tuple[str, dict[str, Any], str], ...] = (
    ("timeline date", {"timeline": "as_of: 05/12/2026"}, "timeline"),
    ("timeline list", {"timeline": "[1, 2]"}, "timeline"),
    ("timeline alias", {"timeline": "{a: *b}"}, "timeline"),
    ("timeline month 13", {"timeline": "events:\n - date: 2026-13-01\n   kind: scan"}, "timeline"),
    ("timeline 200 kB", {"timeline": "x" * 200_000}, "timeline"),
    ("label script", {"label": "<script>alert(1)</script>"}, "label"),
    ("case_id blank", {"case_id": " "}, "case_id"),
    ("boolean Yes", {"primary.resected": "Yes"}, "primary.resected"),
    ("boolean 1", {"primary.resected": "1"}, "primary.resected"),
    ("choice Pancreas", {"primary.site": "Pancreas"}, "primary.site"),
    ("choices unknown", {"extrahepatic.sites": ["bone", "Brain"]}, "extrahepatic.sites"),
    ("age and bound", {"patient.age_years": "65", "patient.age_years_at_least": "70"}, "patient"),
    ("unit unknown", {"labs.bilirubin_mg_dl": "20.5", "unit:labs.bilirubin_mg_dl": "umol"}, "labs"),
    ("lesions multiple", {"liver.lesion_count": "multiple"}, "liver.lesion_count"),
    ("ki67 <3", {"pathology.ki67_percent": "<3"}, "pathology.ki67_percent"),
    ("ki67 3-5", {"pathology.ki67_percent": "3-5"}, "pathology.ki67_percent"),
    ("ki67 script", {"pathology.ki67_percent": "<script>1</script>"}, "pathology.ki67_percent"),
)


def _set(doc: dict[str, Any], path: str, value: Any) -> None:
    section, name = path.split(".", 1)
    part = doc.get(section)
    if not isinstance(part, dict):
        part = doc[section] = {}
    part[name] = value


def _merge(doc: dict[str, Any], edit: dict[str, Any]) -> None:
    for key, value in edit.items():
        if isinstance(value, dict) and isinstance(doc.get(key), dict):
            doc[key].update(value)
        else:
            doc[key] = value


def _dump(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def _form_text(sent: Any) -> str | None:
    """What a person would type in the form's box for ``sent`` (None: no box takes it)."""
    if isinstance(sent, bool) or sent is None or isinstance(sent, dict | list):
        return None
    return str(sent)


def messy_inputs() -> Iterator[Messy]:
    cases = bases()
    for i, (field, sent, expect) in enumerate(VALUES):
        name, base = cases[i % len(cases)]
        doc = copy.deepcopy(base)
        doc["case_id"] = f"m{i}"
        _set(doc, field, sent)
        yield Messy(f"{name}: {field}={sent!r}", _dump(doc), field, expect, _form_text(sent))
        if isinstance(sent, int | float) and not isinstance(sent, bool):
            # an implausible number is taken once confirmed, with a warning naming it
            doc["confirmed"] = [field]
            said = sent if expect == REFUSE else expect  # confirmed: taken as entered
            yield Messy(f"{name}: {field}={sent!r} confirmed", _dump(doc), field, said)
    for i, (field, number, unit, expect) in enumerate(UNITS):
        name, base = cases[(i * 5) % len(cases)]
        doc = copy.deepcopy(base)
        doc["case_id"] = f"u{i}"
        _set(doc, field, {"value": number, "unit": unit})
        said = f"{name}: {field}={number} {unit}"
        yield Messy(said, _dump(doc), field, expect, str(number), unit)
    for i, (label, field, edit) in enumerate(MOVES):
        name, base = cases[(i * 7) % len(cases)]
        doc = copy.deepcopy(base)
        doc["case_id"] = f"w{i}"
        _merge(doc, edit)
        yield Messy(f"{name}: {label}", _dump(doc), field.split(".")[0], REFUSE)
    yield from _files(cases)


def _files(cases: list[tuple[str, dict[str, Any]]]) -> Iterator[Messy]:
    """Whole files as they arrive: encodings, line ends, cut, empty, huge, other shapes."""
    name, base = cases[0]
    text = _dump(base).decode("utf-8")
    raw = text.encode("utf-8")
    yield Messy(f"{name}: BOM", b"\xef\xbb\xbf" + raw)
    yield Messy(f"{name}: CRLF", text.replace("\n", "\r\n").encode("utf-8"))
    yield Messy(f"{name}: BOM+CRLF", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    yield Messy(f"{name}: latin-1", text.replace("pNET", "pNET é").encode("latin-1"))
    yield Messy(f"{name}: truncated", raw[: len(raw) // 2], "document", REFUSE)
    yield Messy(f"{name}: cut at the last brace", raw.rstrip()[:-1], "document", REFUSE)
    yield Messy("empty file", b"", "document", REFUSE)
    yield Messy("blank file", b" \r\n\t\n", "document", REFUSE)
    yield Messy("array", _dump([base]), "document", REFUSE)
    yield Messy("string", b'"case"', "document", REFUSE)
    yield Messy("null", b"null", "document", REFUSE)
    yield Messy("number", b"42", "document", REFUSE)
    dup = raw.replace(b'"schema_version": 1,', b'"schema_version": 1, "patient": {},', 1)
    yield Messy(f"{name}: duplicated section", dup, "patient", REFUSE)
    age = b'"age_years": 65'
    if age in raw:
        yield Messy(
            f"{name}: duplicated age", raw.replace(age, age + b', "age_years": 30'), "age_years"
        )
    yield Messy(f"{name}: NaN", raw.replace(b'"age_years": 65', b'"age_years": NaN'), "age_years")
    yield Messy(f"{name}: comment", b"// from the EHR\n" + raw, "document", REFUSE)
    yield Messy(f"{name}: trailing comma", raw.rstrip()[:-1] + b",}", "document", REFUSE)
    yield Messy(f"{name}: single quotes", raw.replace(b'"', b"'"), "document", REFUSE)
    padded = copy.deepcopy(base)
    padded["label"] = "x" * (5 * 1024 * 1024)
    yield Messy("5 MB label", _dump(padded), "document", REFUSE)
    spaced = raw[:-1] + b" " * (5 * 1024 * 1024) + b"}"
    yield Messy("5 MB of spaces", spaced, None, ANY)
    many = copy.deepcopy(base)
    many.setdefault("extrahepatic", {})["sites"] = ["bone"] * 300_000
    yield Messy("5 MB list", _dump(many), "document", ANY)
    yield from _yaml(cases)


def _yaml(cases: list[tuple[str, dict[str, Any]]]) -> Iterator[Messy]:
    import yaml

    name, base = cases[3]
    text = yaml.safe_dump(base, sort_keys=False, allow_unicode=True)
    cases_ = (
        ("", text, None, ANY),
        (" with tabs", text.replace("  ", "\t"), "document", REFUSE),
        (" yes/no", text.replace("true", "yes").replace("false", "no"), None, ANY),
        (" duplicated key", text + "patient:\n  age_years: 30\n", "patient", REFUSE),
        (" list", "- " + text.replace("\n", "\n  "), "document", REFUSE),
        (" 1,5", text.replace("site:", "bil: 1,5\n  site:"), "primary.bil", REFUSE),
    )
    for label, body, field, expect in cases_:
        yield Messy(f"{name}: YAML{label}", body.encode("utf-8"), field, expect, yaml=True)


def main() -> int:
    from messy_channels import Channels

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pdf", type=int, default=1, help="inputs also written as PDF")
    parser.add_argument("--limit", type=int, default=0, help="only the first N inputs")
    parser.add_argument("-v", "--verbose", action="store_true", help="list what was accepted")
    args = parser.parse_args()
    inputs = list(messy_inputs())
    if args.limit:
        inputs = inputs[: args.limit]
    faults: Counter[str] = Counter()
    with Channels() as channels:
        channels.verbose = args.verbose
        for n, messy in enumerate(inputs):
            for fault in channels.run(messy, pdf=n < args.pdf):
                if not faults[fault]:
                    print(f"FAULT {fault}\n  input: {messy.name}")
                faults[fault] += 1
        for name, fields, field in FORM_POSTS:
            for fault in channels.form_post(name, fields, field):
                print(f"FAULT {fault}")
                faults[fault] += 1
        print(f"{len(inputs)} inputs and {len(FORM_POSTS)} form posts; " + channels.summary())
    print(f"{len(faults)} distinct faults, {sum(faults.values())} in all")
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
