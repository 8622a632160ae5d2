"""Fuzz the age's bounds and the odd FHIR records through both entry points.

Two surfaces of ``tools/fuzz_inputs.py``, each input run by ``nelm assess`` (in process,
as the console script runs it) and by ``POST /api/v1/assess`` (an application on a fresh
SQLite store):

* ``ages``: the published cases with ``patient.age_years_at_least`` / ``_at_most`` (and
  at times ``age_years``) set to odd values: a lower bound over the upper, negative, 121,
  text, booleans, 54.9999, absent;
* ``records``: the real FHIR records of /work/shared/fhir-real/ (those under 700 kB) with
  an odd ``Patient.birthDate`` ("1960", "1960-13", "0000", "1960-02-30", "2030", "19601"),
  JSON ``null`` put in at random places, a value nested hundreds to a hundred thousand
  levels deep at a random place, every subject on another server, and the text encoded
  as UTF-16 (either byte order, with or without a mark) or UTF-8 with a mark.

The CLI must exit 0 or 2 (never 1), print no traceback, and when it refuses a case whose
bounds were changed name ``age_years``; the API must answer below 500, and name the field
in a 4xx about the bounds.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import random
import sys
import tempfile
import traceback
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parents[1]
REAL_FHIR = Path("/work/shared/fhir-real/external")
AS_OF = "2026-06-01"

BOUNDS: tuple[Any, ...] = (
    *(0, 1, 17, 18, 45, 54, 55, 59, 60, 120, 121, -1, -0.0, 54.9999, 55.0001, 1e300),
    *("55", "fifty", "", "55-59", True, False, None, [], {}, [55], {"value": 55}),
    float("nan"),  # written as NaN, which Python's json reads and strict JSON does not
)
BIRTH_DATES: tuple[Any, ...] = (
    *("1960", "1960-13", "0000", "1960-02-30", "2030", "19601", "1960-00", "1960-1"),
    *("2026", "2026-06", "2026-07", "1905", "1905-05", "0001", "9999-12", "1960-02-29"),
    *("1964-02-29", "-1960", "1960-06-15T10:00:00Z", " 1960", "", 1960, None, ["1960"]),
)


class Faults(Protocol):
    def add(self, surface: str, key: tuple[str, ...], text: str, sample: str) -> None: ...

    def crash(self, surface: str, exc: BaseException, sample: str) -> None: ...


class Runner:
    """Runs one input through ``nelm assess`` and ``POST /api/v1/assess``."""

    def __init__(self, scratch: Path) -> None:
        from fastapi.testclient import TestClient

        from nelm.store import Store
        from nelm.web.app import create_app
        from nelm.web.settings import Settings

        self.path = scratch / "input.json"
        self.outcomes = Counter[str]()  # "cli 0", "api 422", …: printed at the end
        store = Store(f"sqlite:///{scratch / 'nelm.sqlite'}")
        user = store.create_user("fuzz", "viewer", "correct horse battery staple")
        _, token = store.create_api_token(user.id, "fuzz")
        self.headers = {"Authorization": f"Bearer {token}"}
        app = create_app(Settings(announce=lambda _: None), store=store)
        self.client = TestClient(app, raise_server_exceptions=True)

    def cli(self, data: bytes, fmt: str) -> tuple[object, str]:
        from nelm.cli import main

        self.path.write_bytes(data)
        sys.argv = ["nelm", "assess", str(self.path), "-f", fmt, "--as-of", AS_OF]
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            try:
                main()
                code: object = 0
            except SystemExit as exit_:
                code = exit_.code
        self.outcomes[f"cli {code}"] += 1
        return code, err.getvalue()

    def api(self, data: bytes, media: str) -> tuple[int, str]:
        response = self.client.post(
            f"/api/v1/assess?as_of={AS_OF}",
            content=data,
            headers={**self.headers, "Content-Type": media},
        )
        self.outcomes[f"api {response.status_code}"] += 1
        return response.status_code, response.text


def _check(
    runner: Runner, surface: str, data: bytes, faults: Faults, field: str | None, media: str
) -> None:
    """Both entry points on ``data``."""
    sample = data.decode("utf-8", "replace")
    try:
        code, err = runner.cli(data, random.choice(("json", "text", "html")))
    except Exception as exc:  # an exception past main() is the finding
        faults.crash(f"{surface}-cli", exc, sample)
        code, err = 0, ""
    if code not in (0, 2) or "Traceback" in err:
        faults.add(f"{surface}-cli", (f"exit {code}",), err.strip(), sample)
    elif code == 2 and field and field not in err:
        faults.add(f"{surface}-cli", ("field not named",), err.strip(), sample)
    try:
        status, body = runner.api(data, media)
    except Exception as exc:  # the application raised: a 500 for the user
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(frame.filename).name}:{frame.lineno}"
        faults.add(f"{surface}-api", (type(exc).__name__, where), str(exc), sample)
        return
    if status >= 500:
        faults.add(f"{surface}-api", (f"status {status}",), body, sample)
    elif 400 <= status < 500 and field and field not in body:
        faults.add(f"{surface}-api", ("field not named", str(status)), body, sample)


def _cases() -> list[dict[str, Any]]:
    cases = []
    for path in sorted((ROOT / "tests" / "realcases").glob("cr*.json")):
        report = json.loads(path.read_text("utf-8"))
        cases += [report["case"], report["original_case"]]
    return cases


def fuzz_ages(runs: int, rng: random.Random, faults: Faults) -> None:
    random.seed(rng.random())
    cases = _cases()
    with tempfile.TemporaryDirectory(prefix="nelm-fuzz.") as scratch:
        runner = Runner(Path(scratch))
        for _ in range(runs):
            case = copy.deepcopy(rng.choice(cases))
            patient = case.setdefault("patient", {})
            if not isinstance(patient, dict):
                continue
            names = ["age_years_at_least", "age_years_at_most"]
            if rng.random() < 0.3:
                names.append("age_years")
            for name in names:
                if rng.random() < 0.15:
                    patient.pop(name, None)
                else:
                    patient[name] = rng.choice(BOUNDS)
            if rng.random() < 0.5 and "age_years" not in names:
                patient.pop("age_years", None)  # the bounds alone, as "in his fifties"
            data = json.dumps(case).encode("utf-8")
            _check(runner, "ages", data, faults, "age_years", "application/json")
        print(
            f"ages: {runs} inputs; "
            + ", ".join(f"{k}: {n}" for k, n in sorted(runner.outcomes.items()))
        )


def _records() -> list[tuple[str, dict[str, Any]]]:
    return [
        (path.name, json.loads(path.read_text("utf-8")))
        for path in sorted(REAL_FHIR.glob("*.json"))
        if path.stat().st_size < 700_000  # the large Synthea records: slow, no new shapes
    ]


def _places(value: Any) -> Iterator[tuple[Any, Any]]:
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        yield value, key
        if isinstance(item, dict | list):
            yield from _places(item)


def _patients(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        entry["resource"]
        for entry in bundle.get("entry", [])
        if isinstance(entry, dict)
        and isinstance(entry.get("resource"), dict)
        and entry["resource"].get("resourceType") == "Patient"
    ]


_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
_BIRTH_DATE_EXTRAS: tuple[Any, ...] = (
    {"extension": [{"url": _ABSENT, "valueCode": "unknown"}]},
    {"extension": [{"url": _ABSENT, "valueCode": None}]},
    {"extension": None},
    {"id": 5},
    None,
    [None],
    "1960",
)
_DEEP = "\u0000deep\u0000"  # stands where the deep value goes in the serialised text


def _mutate_record(bundle: dict[str, Any], rng: random.Random) -> tuple[str, list[str]]:
    """The record's text with 1–3 of today's odd shapes; the kinds applied."""
    out = copy.deepcopy(bundle)
    kinds = rng.sample(["birthDate", "nulls", "deep", "subject"], rng.randint(1, 3))
    if "birthDate" in kinds:
        for patient in _patients(out):
            if rng.random() < 0.1:
                patient.pop("birthDate", None)
            else:
                patient["birthDate"] = rng.choice(BIRTH_DATES)
            if rng.random() < 0.3:  # the element's id and extensions (FHIR R4 JSON §2.6.2)
                patient["_birthDate"] = rng.choice(_BIRTH_DATE_EXTRAS)
    if "subject" in kinds:
        for container, key in list(_places(out)):
            item = container[key]
            if key == "reference" and isinstance(item, str) and "Patient/" in item:
                tail = item.split("Patient/", 1)[1]
                container[key] = f"https://other.example.org/fhir/Patient/{tail}"
    if "nulls" in kinds:
        for _ in range(rng.randint(1, 12)):
            container, key = rng.choice(list(_places(out)))
            action = rng.random()
            if action < 0.6:
                container[key] = None
            elif isinstance(container, list):
                container.insert(rng.randrange(len(container) + 1), None)
            else:
                container[rng.choice(("system", "code", "value", "unit", "text"))] = None
    deep = ""
    if "deep" in kinds:
        container, key = rng.choice(list(_places(out)))
        container[key] = _DEEP
        depth = rng.choice((100, 500, 990, 1_001, 3_000, 20_000, 100_000))
        opener, closer = rng.choice((("[", "]"), ('{"a":', "}"), ('{"extension":[', "]}")))
        deep = opener * depth + "1" + closer * depth
    text = json.dumps(out)
    return text.replace(json.dumps(_DEEP), deep), kinds


_ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be")


def fuzz_records(runs: int, rng: random.Random, faults: Faults) -> None:
    random.seed(rng.random())
    records = _records()
    with tempfile.TemporaryDirectory(prefix="nelm-fuzz.") as scratch:
        runner = Runner(Path(scratch))
        for _ in range(runs):
            _, bundle = rng.choice(records)
            text, _ = _mutate_record(bundle, rng)
            encoding = rng.choice(_ENCODINGS) if rng.random() < 0.3 else "utf-8"
            media = rng.choice(("application/json", "application/fhir+json"))
            _check(runner, "records", text.encode(encoding), faults, None, media)
        print(
            f"records: {runs} inputs; "
            + ", ".join(f"{k}: {n}" for k, n in sorted(runner.outcomes.items()))
        )
