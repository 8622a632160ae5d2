"""Send FHIR records whose values are written as EHRs write them through every way in.

The real records of ``tests/interop/fixtures/fhir-real/`` (Synthea, US Core 9.0.0, mCODE:
written by others) and the project's own example bundles (``tests/interop/fixtures/
synthetic-*.json``) are mutated where nelm reads them: the one Observation each field
(Ki-67, mitoses, bilirubin, albumin, platelets, creatinine, eGFR, haemoglobin, tumour
size and burden, lesion count, SSTR imaging, Krenning score, ECOG) was read from is
rewritten with its unit spelt otherwise or of the wrong dimension, its value as text, a
bound, a range, a ratio, an integer, a code only, absent or only interpreted, its status,
date, code and subject as other systems write them (``tools/messy_fhir_cases.py``). A
record is also padded with a 5 MB and a 25 MB DocumentReference (base64 attachment).

Each record goes through ``nelm assess`` (json, in process), ``POST /api/v1/assess`` as
``application/fhir+json`` and as ``application/json``, and the CDS Hooks service (a
signed token, the record as prefetch). Faults: a traceback, an exit other than 0, a
status other than 200, a whole record refused for one element; a field read as anything
but what the mutation allows (docs/fhir-mapping.md); a field left unknown without its
resource named in the input source. Over the size limit (NELM_FHIR_MAX_BYTES, default
20 MB) the CLI exits 2 naming the variable and the API and CDS answer 413 with an
OperationOutcome. Each fault is printed once; the exit status is 1 when any was found.
Offline and deterministic.

    PYTHONPATH=src .venv/bin/python tools/messy_fhir.py [--all] [--limit N] [--no-size] [-v]
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import copy
import datetime as dt
import io
import json
import sys
import tempfile
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from messy_fhir_cases import (  # noqa: E402
    FIELDS,
    OR_UNKNOWN,
    SAME,
    SAME_OR_UNKNOWN,
    UNKNOWN,
    mutations,
)

FIXTURES = ROOT / "tests" / "interop" / "fixtures"
REAL = FIXTURES / "fhir-real"
SYNTHETIC_AS_OF = dt.date(2025, 1, 15)  # nelm.interop.fhir.synthetic.REFERENCE_DATE
# The real records read through every mutation; the two large Synthea records only
# through the size padding (each mutation of a 1 MB record costs a second a channel).
MUTATED_REAL = (
    "uscore-9.0.0-examples.json",
    "mcode-stu1-examples.json",
    "synthea-hiv-bob965.json",
    "synthea-bulk-3af3708d.json",
)


@dataclass(frozen=True)
class Record:
    """One record to send: its bundle, its date, and what its field must read as."""

    name: str
    bundle: dict[str, Any]
    as_of: dt.date
    field: str | None = None
    ref: str | None = None
    expect: Any = None  # a Mutation's expect
    baseline: Any = None
    size: str | None = None  # "accepted" or "too large"


def bases() -> Iterator[tuple[str, dict[str, Any], dt.date]]:
    for path in sorted(FIXTURES.glob("synthetic-*.json")):
        yield path.stem, json.loads(path.read_text("utf-8")), SYNTHETIC_AS_OF
    manifest = json.loads((REAL / "manifest.json").read_text("utf-8"))
    for name in MUTATED_REAL:
        bundle = json.loads((REAL / "external" / name).read_text("utf-8"))
        yield name.removesuffix(".json"), bundle, dt.date.fromisoformat(manifest[name]["as_of"])


def _field_of(resource: dict[str, Any]) -> set[str]:
    from nelm.interop.fhir.codes import OBSERVATION_RULES
    from nelm.interop.fhir.systems import codings

    return {
        OBSERVATION_RULES[c].field for c in codings(resource.get("code")) if c in OBSERVATION_RULES
    }


def _at(doc: dict[str, Any], path: str) -> Any:
    section, _, name = path.partition(".")
    part = doc.get(section)
    return part.get(name) if isinstance(part, dict) else None


def _isolated(bundle: dict[str, Any], field: str, keep: str) -> dict[str, Any]:
    """The bundle without the other Observations of ``field``: the one mutated decides it."""
    out = copy.deepcopy(bundle)
    out["entry"] = [
        e
        for e in out.get("entry", [])
        if not (
            isinstance(e.get("resource"), dict)
            and e["resource"].get("resourceType") == "Observation"
            and f"Observation/{e['resource'].get('id')}" != keep
            and field in _field_of(e["resource"])
        )
    ]
    return out


def records(limit: int = 0, every: int = 1) -> Iterator[Record]:
    """Each mutation of synthetic-0001, and every ``every``-th of the other records (each
    record starting at another place, so that every kind is sent to several)."""
    from nelm.interop.fhir import bundle_to_case

    count = 0
    for number, (name, bundle, as_of) in enumerate(bases()):
        stride = 1 if number == 0 else every
        mapped = bundle_to_case(bundle, assessment_date=as_of)
        for field in FIELDS:
            source = mapped.provenance.get(field, "")
            ref = source.split(" ")[0].split(";")[0]
            if not ref.startswith("Observation/") or "#" in ref:
                continue
            isolated = _isolated(bundle, field, ref)
            value = _at(bundle_to_case(isolated, assessment_date=as_of).document, field)
            index = next(
                i
                for i, e in enumerate(isolated["entry"])
                if f"{e['resource'].get('resourceType')}/{e['resource'].get('id')}" == ref
            )
            for mutation in mutations(isolated["entry"][index]["resource"], field, value, as_of):
                number += 1
                if number % stride:
                    continue
                changed = copy.deepcopy(isolated)
                changed["entry"][index]["resource"] = mutation.resource
                yield Record(
                    f"{name} {field} {mutation.name}",
                    changed,
                    as_of,
                    field,
                    ref,
                    mutation.expect,
                    value,
                )
                count += 1
                if limit and count >= limit:
                    return


def padded(megabytes: int) -> Record:
    """synthetic-0001 with a scanned note of ``megabytes`` MB (base64) beside its results."""
    bundle = json.loads((FIXTURES / "synthetic-0001.json").read_text("utf-8"))
    patient = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    data = base64.b64encode(bytes(range(256)) * (megabytes * 1_000_000 * 3 // 4 // 256)).decode()
    note = {
        "resourceType": "DocumentReference",
        "id": f"scan-{megabytes}mb",
        "status": "current",
        "subject": {"reference": patient["fullUrl"]},
        "content": [{"attachment": {"contentType": "application/pdf", "data": data}}],
    }
    bundle["entry"].append({"fullUrl": f"urn:uuid:scan-{megabytes}", "resource": note})
    size = "accepted" if megabytes < 20 else "too large"
    return Record(
        f"synthetic-0001 padded with a {megabytes} MB note", bundle, SYNTHETIC_AS_OF, size=size
    )


# ------------------------------------------------------------------------ what was read


def _close(read: Any, want: Any) -> bool:
    if isinstance(want, bool) or not isinstance(want, int | float):
        return bool(read == want)
    if isinstance(read, bool) or not isinstance(read, int | float):
        return False
    return abs(read - want) <= max(0.011, abs(want) * 0.01)


def read_faults(record: Record, body: dict[str, Any], where: str) -> Iterator[str]:
    """The field reads as the mutation allows, and a field left unknown is named."""
    from nelm.case.fields import BOUND_PARTS

    if record.field is None:
        return
    inputs = body.get("inputs") or {}
    field, expect = record.field, record.expect
    read = _at(inputs, field)
    bounds = {p: _at(inputs, p) for p in BOUND_PARTS.get(field, ())}
    bounds = {p: v for p, v in bounds.items() if v is not None}
    what = record.name.split(" ", 2)[2]
    if expect == SAME:
        if not _close(read, record.baseline) or bounds:
            yield f"{where}: {field} {what}: read as {read!r} {bounds or ''}, not the same"
    elif expect in (UNKNOWN, SAME_OR_UNKNOWN):
        if read is not None and not (expect == SAME_OR_UNKNOWN and _close(read, record.baseline)):
            yield f"{where}: {field} {what}: read as {read!r}, must be unknown"
        elif bounds:
            yield f"{where}: {field} {what}: read as bounds {bounds}, must be unknown"
        elif read is None and record.ref and record.ref not in _said(body):
            yield f"{where}: {field} {what}: unknown, but {record.ref.split('/')[0]} not named"
    elif OR_UNKNOWN in expect and read is None and not bounds:
        return
    else:
        expect = {p: v for p, v in expect.items() if p != OR_UNKNOWN}
        wrong = read is not None or set(bounds) != set(expect)
        if wrong or not all(_close(bounds[p], v) for p, v in expect.items()):
            yield f"{where}: {field} {what}: read as {read!r} {bounds}, not bounds {expect}"


def _said(body: dict[str, Any]) -> str:
    source = {k: v for k, v in (body.get("input_source") or {}).items() if k != "provenance"}
    return json.dumps([source, body.get("warnings"), body.get("input_warnings")])


# ------------------------------------------------------------------------ the channels


class Channels(contextlib.AbstractContextManager["Channels"]):
    """``nelm assess``, ``POST /api/v1/assess`` and the CDS Hooks service, in process."""

    def __init__(self) -> None:
        from fastapi.testclient import TestClient
        from tests.interop.test_cds_helpers import make_harness

        from nelm.store import Store
        from nelm.web.app import create_app
        from nelm.web.settings import Settings

        self._scratch = tempfile.TemporaryDirectory(prefix="nelm-messy-fhir.")
        self.dir = Path(self._scratch.name)
        self.outcomes: Counter[str] = Counter()
        self.store = Store(f"sqlite:///{self.dir / 'nelm.sqlite'}")
        user = self.store.create_user("messy", "clinician", "correct horse battery staple")
        _, token = self.store.create_api_token(user.id, "messy")
        self.auth = {"Authorization": f"Bearer {token}"}
        app = create_app(Settings(announce=lambda _: None), store=self.store)
        self.client = TestClient(app, raise_server_exceptions=False)
        self.now = dt.datetime(2025, 1, 15, 12, tzinfo=dt.UTC)
        self.cds = make_harness(self.dir, clock=lambda: self.now)

    def __exit__(self, *_: object) -> None:
        self.client.close()
        self.cds.client.close()
        self.store.close()
        self._scratch.cleanup()

    def run(self, record: Record) -> Iterator[str]:
        data = json.dumps(record.bundle).encode("utf-8")
        yield from self._cli(record, data)
        for kind in ("application/fhir+json", "application/json"):
            yield from self._api(record, data, kind)
        yield from self._cds(record)

    def _cli(self, record: Record, data: bytes) -> Iterator[str]:
        from nelm.cli import main

        path, out = self.dir / "record.json", self.dir / "out.json"
        path.write_bytes(data)
        out.unlink(missing_ok=True)
        sys.argv = ["nelm", "assess", str(path), "-f", "json", "-o", str(out)]
        sys.argv += ["--as-of", record.as_of.isoformat()]
        err, code = io.StringIO(), 0
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            try:
                main()
            except SystemExit as exit_:
                code = int(exit_.code or 0)
            except Exception as exc:  # past main(): the user would see a traceback
                frame = traceback.extract_tb(exc.__traceback__)[-1]
                yield f"cli: {type(exc).__name__} at {Path(frame.filename).name}"
                return
        self.outcomes[f"cli exit {code}"] += 1
        said = err.getvalue()
        if "Traceback" in said:
            yield "cli: traceback"
        elif record.size == "too large":
            if code != 2 or "NELM_FHIR_MAX_BYTES" not in said:
                yield f"cli: over the size limit: exit {code} {said.strip()[:120]}"
        elif code != 0:
            yield f"cli: exit {code} for one element: {said.strip()[:160]}"
        else:
            yield from read_faults(record, json.loads(out.read_text("utf-8")), "cli")

    def _api(self, record: Record, data: bytes, kind: str) -> Iterator[str]:
        where = f"api {kind.split('/')[1]}"
        response = self.client.post(
            f"/api/v1/assess?as_of={record.as_of.isoformat()}",
            content=data,
            headers={**self.auth, "Content-Type": kind},
        )
        self.outcomes[f"{where} {response.status_code}"] += 1
        if record.size == "too large":
            # a FHIR client is answered in FHIR; a JSON client by the API's error body
            shape = "OperationOutcome" if kind.endswith("fhir+json") else "NELM_FHIR_MAX_BYTES"
            if response.status_code != 413 or shape not in response.text:
                yield f"{where}: over the size limit: {response.status_code} {response.text[:120]}"
        elif response.status_code != 200:
            yield f"{where}: {response.status_code} for one element: {response.text[:160]}"
        else:
            yield from read_faults(record, response.json(), where)

    def _cds(self, record: Record) -> Iterator[str]:
        from tests.interop.test_cds_helpers import hook_body, mint, prefetch_from_bundle

        now = dt.datetime.combine(record.as_of, dt.time(12), tzinfo=dt.UTC)
        bundle = record.bundle
        patient = next(
            (
                e["resource"]
                for e in bundle["entry"]
                if e["resource"].get("resourceType") == "Patient"
            ),
            None,
        )
        if patient is None:
            return
        prefetch = prefetch_from_bundle(bundle)
        if record.size is not None:  # the note beside the results, as an EHR might send it
            note = bundle["entry"][-1]["resource"]
            prefetch["observations"]["entry"].append({"resource": note})
        self.now = now  # the service's clock at the record's date (tokens are checked by it)
        body = hook_body(prefetch, str(patient["id"]))
        response = self.cds.call(body, token=mint(now=now))
        self.outcomes[f"cds {response.status_code}"] += 1
        if record.size == "too large":
            if response.status_code != 413 or "OperationOutcome" not in response.text:
                yield f"cds: over the size limit: {response.status_code} {response.text[:120]}"
        elif response.status_code != 200:
            yield f"cds: {response.status_code} for one element: {response.text[:160]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N mutations")
    parser.add_argument("--all", action="store_true", help="every mutation of every record")
    parser.add_argument("--no-size", action="store_true", help="leave out the padded records")
    parser.add_argument("-v", "--verbose", action="store_true", help="name each record sent")
    args = parser.parse_args()
    sent = list(records(args.limit, 1 if args.all else 12))
    if not args.no_size:
        sent += [padded(5), padded(25)]
    faults: Counter[str] = Counter()
    with Channels() as channels:
        for record in sent:
            if args.verbose:
                print(f"  {record.name}")
            for fault in channels.run(record):
                if not faults[fault]:
                    print(f"FAULT {fault}\n  record: {record.name}")
                faults[fault] += 1
        print(
            f"{len(sent)} records; "
            + ", ".join(f"{k}: {n}" for k, n in sorted(channels.outcomes.items()))
        )
    print(f"{len(faults)} distinct faults, {sum(faults.values())} in all")
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
