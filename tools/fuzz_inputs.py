"""Fuzz the inputs nelm reads from others: no internal error, and both cohort engines alike.

Seven surfaces, each fed mutations of real inputs (the published cases of
``tests/realcases``, the real FHIR records of ``tests/interop/fixtures/fhir-real`` and the
synthetic NET records, HL7's IPS example in XML, a synthetic cohort):

* ``cases``: case documents (the published cases as re-encoded and as first written)
  with values of the wrong type or out of range, or deleted, assessed as ``nelm assess``
  does (JSON, text and HTML); every run must end in an assessment or a rejection (exit 0
  or 2), never an internal error;
* ``fhir``: FHIR bundles with elements replaced by JSON values of another type (a number
  for a list of codings, an object for a date) or deleted, mapped as every entry point
  maps them; the mapping must never raise but to refuse a record that is no Bundle;
* ``xml``: HL7's International Patient Summary example in FHIR XML with elements dropped,
  duplicated, renamed, moved or given odd values, assessed as ``nelm assess`` reads a
  file: an assessment or a named refusal, never an internal error;
* ``cohort``: CSV cohorts with cells rewritten the way registries write them ("-0",
  "12 %", "NaN", " liver ", "G2"), run by the polars and the reference engines; results,
  rejects and warnings must be the same, file for file;
* ``export``: FHIR exports (the FHIR records' resources, references made relative, spread
  over NDJSON files) with lines added, cut or shuffled, run by both engines (the same
  files, or the same refusal), and one record's NDJSON through ``nelm assess``;
* ``ages`` and ``records`` (tools/fuzz_entry_points.py): the age's bounds set to odd
  values, and the real FHIR records with odd birth dates, nulls, deep nesting, a subject
  on another server and UTF-16, each through ``nelm assess`` and ``POST /api/v1/assess``.

Each fault is printed once (its kind and place) with the input that caused it saved
beside, and the exit status is 1 when any was found. The property tests of the suite run
a few dozen of the same mutations on every change; this runs thousands.

    .venv/bin/python tools/fuzz_inputs.py                       # all seven, 500 runs each
    .venv/bin/python tools/fuzz_inputs.py fhir --runs 5000 --seed 7 --out /tmp/fuzz
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import csv
import datetime as dt
import io
import json
import random
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from fuzz_entry_points import fuzz_ages, fuzz_records

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

WRONG_TYPES: tuple[Any, ...] = (None, 0, -1, 1e300, True, "", "x", [], {}, [1], [[]], [{}])
CELLS: tuple[str, ...] = (
    *("", " ", "-0", "NaN", "inf", "1e999", "1,5", "12 %", "yes", "TRUE", "null", "G2"),
    *("pancreas", " liver ", "a;b", ";;", "é", "\u00a0", "-5", "0.5", "101", "multiple"),
    *("1,500", ",5", "2,", "1.500", "\t", "a,b"),
)
_WHO = frozenset({"resourceType", "id", "subject", "patient"})


def _places(value: Any, keep_who: bool = True) -> list[tuple[Any, Any]]:
    """Every (container, key) inside ``value``; without ``keep_who``, not what says which
    resource it is and whom it is about (changing that is another test)."""
    found: list[tuple[Any, Any]] = []
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        if not keep_who and key in _WHO:
            continue
        found.append((value, key))
        if isinstance(item, dict | list):
            found.extend(_places(item, keep_who))
    return found


def _mutate(document: Any, rng: random.Random, values: tuple[Any, ...], most: int) -> Any:
    """``document`` with 1 to ``most`` of its elements replaced by ``values`` or deleted."""
    out = copy.deepcopy(document)
    for _ in range(rng.randint(1, most)):
        places = _places(out, keep_who=False)
        if not places:
            break
        container, key = rng.choice(places)
        if rng.random() < 0.8:
            container[key] = copy.deepcopy(rng.choice(values))
        elif isinstance(container, dict):
            del container[key]
        else:
            container.pop(key)
    return out


class Faults:
    """The distinct faults found, each with the input that caused it saved in ``out``."""

    def __init__(self, out: Path) -> None:
        self.out, self.seen = out, set[tuple[str, ...]]()

    def add(self, surface: str, key: tuple[str, ...], text: str, sample: str) -> None:
        if (surface, *key) in self.seen:
            return
        self.seen.add((surface, *key))
        saved = self.out / f"{surface}-{len(self.seen)}.txt"
        saved.write_text(sample, "utf-8")
        print(f"{surface}: {' '.join(key)}: {text[:200]} (input: {saved})")

    def crash(self, surface: str, exc: BaseException, sample: str) -> None:
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(frame.filename).name}:{frame.lineno}"
        self.add(surface, (type(exc).__name__, where), str(exc), sample)


def _real_cases() -> list[dict[str, Any]]:
    cases = []
    for path in sorted((ROOT / "tests" / "realcases").glob("cr*.json")):
        report = json.loads(path.read_text("utf-8"))
        cases += [report["case"], report["original_case"]]  # with the case-v1 additions, without
    return cases


def fuzz_cases(runs: int, rng: random.Random, faults: Faults) -> None:
    from nelm.cli import main

    values = (*WRONG_TYPES, "12 %", "multiple", "2026-02-30", {"value": 3, "unit": "kg"},
              {"at_least": 3}, 10**30, "<b>x</b>")  # fmt: skip
    cases = _real_cases()
    with tempfile.TemporaryDirectory(prefix="nelm-fuzz.") as scratch:
        path = Path(scratch) / "case.json"
        for _ in range(runs):
            text = json.dumps(_mutate(rng.choice(cases), rng, values, 4))
            path.write_text(text, "utf-8")
            sys.argv = ["nelm", "assess", str(path), "-f", rng.choice(["json", "text", "html"])]
            err = io.StringIO()
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
                try:
                    main()
                    code: object = 0
                except SystemExit as exit_:
                    code = exit_.code
            if code not in (0, 2) or "Traceback" in err.getvalue():
                faults.add("cases", (f"exit {code}",), err.getvalue().strip(), text)


def _bundles() -> Iterator[dict[str, Any]]:
    from nelm.interop.fhir.synthetic import make_bundle

    real = ROOT / "tests" / "interop" / "fixtures" / "fhir-real" / "external"
    for path in sorted(real.glob("*.json")):
        if path.stat().st_size < 700_000:  # the large Synthea records: slow, no new shapes
            yield json.loads(path.read_text("utf-8"))
    for seed in range(5):
        yield make_bundle(seed)


def fuzz_fhir(runs: int, rng: random.Random, faults: Faults) -> None:
    from nelm.errors import InputRejected
    from nelm.interop.fhir import bundle_to_case

    bundles = list(_bundles())
    values = (*WRONG_TYPES, {"coding": 5}, {"reference": "#nowhere"}, {"reference": 3},
              "2020-13-01", "percent", {"value": 3, "unit": "%"})  # fmt: skip
    for _ in range(runs):
        bundle = rng.choice(bundles)
        mutated = copy.deepcopy(bundle)
        mutated["entry"] = [
            {**entry, "resource": _mutate(entry["resource"], rng, values, 3)}
            if rng.random() < 0.2 and isinstance(entry.get("resource"), dict)
            else entry
            for entry in mutated.get("entry", [])
        ]
        try:
            bundle_to_case(mutated, assessment_date=dt.date(2026, 6, 1))
        except InputRejected:
            pass  # a record of two patients, say: refused as such
        except Exception as exc:  # every other exception is the finding
            faults.crash("fhir", exc, json.dumps(mutated))


def fuzz_xml(runs: int, rng: random.Random, faults: Faults) -> None:
    import xml.etree.ElementTree as ET

    from nelm.errors import InputRejected
    from nelm.service import assess_text

    path = ROOT / "tests" / "interop" / "fixtures" / "fhir-xml" / "ips-bundle-01.xml"
    original = ET.fromstring(path.read_bytes())
    values = ("", "x", "-1", "1e999", "true", "2020-13-01", "\u00e9", "<", "&amp;")
    for _ in range(runs):
        root = copy.deepcopy(original)
        for _ in range(rng.randint(1, 5)):
            pairs = [(parent, child) for parent in root.iter() for child in parent]
            parent, child = rng.choice(pairs)
            action = rng.choice(("drop", "duplicate", "revalue", "rename", "move"))
            if action == "drop":
                parent.remove(child)
            elif action == "duplicate":
                parent.append(copy.deepcopy(child))
            elif action == "revalue":
                child.set("value", rng.choice(values))
            elif action == "rename":
                child.tag = rng.choice(pairs)[1].tag
            else:
                parent.remove(child)
                rng.choice(list(root.iter())).append(child)
        text = ET.tostring(root, encoding="unicode")
        try:
            assess_text(text, source="fuzz.xml", assessment_date=dt.date(2017, 12, 11))
        except InputRejected:
            pass
        except Exception as exc:  # every other exception is the finding
            faults.crash("xml", exc, text)


def fuzz_cohort(runs: int, rng: random.Random, faults: Faults) -> None:
    import polars as pl

    from nelm.cohort.runner import Engine, run_batch
    from nelm.cohort.synth import write_synth
    from nelm.errors import InputRejected

    with tempfile.TemporaryDirectory(prefix="nelm-fuzz.") as scratch:
        work = Path(scratch)
        write_synth(work / "base.csv", 400, rng.randrange(10_000), 0.2)
        header, *rows = list(csv.reader((work / "base.csv").open(encoding="utf-8")))
        for _ in range(runs):
            sample = [list(row) for row in rng.sample(rows, 40)]
            for _ in range(rng.randint(1, 20)):
                rng.choice(sample)[rng.randrange(1, len(header))] = rng.choice(CELLS)
            # the three dialects nelm reads (docs/cohorts.md): commas; semicolons with
            # decimal commas, as R's write.csv2 writes; tabs
            delimiter = rng.choice((",", ";", "\t"))
            if delimiter == ";":
                sample = [[cell.replace(".", ",") for cell in row] for row in sample]
            source = work / "cohort.csv"
            with source.open("w", newline="", encoding="utf-8") as handle:
                csv.writer(handle, delimiter=delimiter).writerows([header, *sample])
            outcomes: dict[str, object] = {}
            engines: tuple[Engine, ...] = ("polars", "reference")
            for engine in engines:
                out = work / f"{engine}.csv"
                try:
                    run_batch(source, out, engine=engine, count_rows=False)
                except InputRejected as rejected:  # the same refusal from both, or a finding
                    outcomes[engine] = str(rejected)
                    continue
                except Exception as exc:  # every other exception is the finding
                    faults.crash("cohort", exc, source.read_text("utf-8"))
                    break
                outcomes[engine] = [
                    pl.read_csv(work / f"{engine}{stem}.csv", infer_schema=False).rows()
                    for stem in ("", ".rejects", ".warnings")
                ]
            if len(outcomes) == 2 and outcomes["polars"] != outcomes["reference"]:
                faults.add("cohort", ("engines differ",), "", source.read_text("utf-8"))


EXPORT_LINES: tuple[str, ...] = (
    "", "{", "[1]", '{"x": 1}', '{"resourceType": "Bundle"}', '{"resourceType": "Patient"}',
    '{"resourceType": "Observation", "id": "o", "subject": {"reference": 5}}',
    '{"resourceType": "Condition", "id": "c", "subject": {"reference": "Patient/nobody"}}',
    '{"resourceType": "Medication", "id": "m"}',
)  # fmt: skip


def fuzz_export(runs: int, rng: random.Random, faults: Faults) -> None:
    """FHIR exports (NDJSON files by type, and one NDJSON record through ``nelm assess``)
    with lines added, cut or shuffled: both engines alike, no internal error."""
    import polars as pl

    from nelm.cohort.runner import Engine, run_batch
    from nelm.errors import InputRejected
    from nelm.interop.fhir.synthetic import resources_as_exported
    from nelm.service import assess_text

    records = [resources_as_exported(b) for b in _bundles()]
    as_of = dt.date(2026, 6, 1)
    with tempfile.TemporaryDirectory(prefix="nelm-fuzz.") as scratch:
        work = Path(scratch)
        for run in range(runs):
            lines = [json.dumps(r) for rs in rng.sample(records, 3) for r in rs]
            rng.shuffle(lines)
            for _ in range(rng.randint(0, 3)):
                at = rng.randrange(len(lines) + 1)
                if rng.random() < 0.5:
                    lines.insert(at, rng.choice(EXPORT_LINES))
                elif at < len(lines):
                    lines[at] = lines[at][: rng.randrange(1, 80)]
            export = work / f"export-{run}"
            export.mkdir()
            for index, line in enumerate(lines):  # spread over files, as an export is
                with (export / f"part{index % 4}.ndjson").open("a", encoding="utf-8") as out:
                    out.write(line + "\n")
            outcomes: dict[str, object] = {}
            engines: tuple[Engine, ...] = ("polars", "reference")
            for engine in engines:
                try:
                    run_batch(export, work / f"{engine}.csv", engine=engine, as_of=as_of)
                except InputRejected as rejected:
                    outcomes[engine] = str(rejected)
                    continue
                except Exception as exc:  # every other exception is the finding
                    faults.crash("export", exc, "\n".join(lines))
                    break
                outcomes[engine] = [
                    pl.read_csv(work / f"{engine}{stem}.csv", infer_schema=False).rows()
                    for stem in ("", ".rejects", ".warnings")
                ]
            if len(outcomes) == 2 and outcomes["polars"] != outcomes["reference"]:
                faults.add("export", ("engines differ",), "", "\n".join(lines))
            one = "\n".join(json.dumps(r) for r in rng.choice(records))
            try:
                assess_text(one, assessment_date=as_of)
            except InputRejected:
                pass
            except Exception as exc:
                faults.crash("export", exc, one)


SURFACES: dict[str, Callable[[int, random.Random, Faults], None]] = {
    "cases": fuzz_cases,
    "fhir": fuzz_fhir,
    "xml": fuzz_xml,
    "cohort": fuzz_cohort,
    "export": fuzz_export,
    "ages": fuzz_ages,  # the CLI and the API on each input (fuzz_entry_points.py)
    "records": fuzz_records,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("surfaces", nargs="*", choices=[[], *SURFACES], default=[])
    parser.add_argument("--runs", type=int, default=500, help="mutations per surface")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None, help="where inputs of faults go")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="nelm-fuzz-faults."))
    out.mkdir(parents=True, exist_ok=True)
    faults = Faults(out)
    for name in args.surfaces or list(SURFACES):
        cohort_runs = max(1, args.runs // 10)  # a cohort run is two engines on 40 rows
        SURFACES[name](
            cohort_runs if name in ("cohort", "export") else args.runs,
            random.Random(args.seed),
            faults,
        )
        print(f"{name}: done")
    print(f"{len(faults.seen)} distinct fault(s)" + (f"; inputs in {out}" if faults.seen else ""))
    return 1 if faults.seen else 0


if __name__ == "__main__":
    raise SystemExit(main())
