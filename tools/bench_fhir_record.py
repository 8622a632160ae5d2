"""Time and peak memory of reading one large FHIR record, phase by phase.

A record of the requested size is built from a real Synthea patient
(tests/interop/fixtures/fhir-real/external/synthea-hiv-alva958-1.0MB.json): its resources are
repeated with new ids until the size is reached, as a long hospital record repeats the same
kinds of resources. Each phase runs in a fresh Python process, so its peak resident memory
(``ru_maxrss`` of that child) is its own:

* ``python``: an interpreter importing the FHIR mapping and fhir.resources (the floor);
* ``json.loads``: the same, plus reading the record and parsing it whole (for comparison);
* ``parse``: reading and parsing it as nelm does (``nelm.interop.fhir.load``: entry by
  entry, resources of types no rule reads reduced to their type and id);
* ``map``: plus ``bundle_to_case`` (shape, validation of the resources read, mapping);
* ``assess``: the whole ``nelm assess`` command on the file (JSON output).

Figures are written to standard output as a Markdown table (copy them into
docs/fhir-mapping.md, "Size", with the load average printed beside them).

    .venv/bin/python tools/bench_fhir_record.py [--mb 19] [--runs 3]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tests/interop/fixtures/fhir-real/external/synthea-hiv-alva958-1.0MB.json"
AS_OF = "2020-12-31"

_IMPORTS = (
    "import json, datetime as dt; import nelm.interop.fhir.mapping as m; "
    "import fhir.resources.R4B.observation, fhir.resources.R4B.condition"
)
_LOAD = (
    "from nelm.interop.fhir.load import load_record_text; "
    "b = load_record_text(open(PATH, encoding='utf-8').read(), source='r', max_bytes=10**9)"
)
PHASES = {
    "python": f"{_IMPORTS}",
    "json.loads": f"{_IMPORTS}; b = json.loads(open(PATH, encoding='utf-8').read())",
    "parse": f"{_IMPORTS}; {_LOAD}",
    "map": f"{_IMPORTS}; {_LOAD}; m.bundle_to_case(b, assessment_date=dt.date(2020, 12, 31))",
}


def build_record(target_bytes: int, path: Path) -> tuple[int, int]:
    """Write a record of about ``target_bytes``; return (bytes, entries)."""
    bundle = json.loads(SOURCE.read_text(encoding="utf-8"))
    base = [e for e in bundle["entry"] if e["resource"]["resourceType"] != "Patient"]
    entries = list(bundle["entry"])
    size = len(SOURCE.read_bytes())
    copy_number = 0
    while size < target_bytes:
        copy_number += 1
        for entry in base:
            twin: dict[str, Any] = copy.deepcopy(entry)
            resource_ = twin["resource"]
            resource_["id"] = f"{resource_.get('id', 'r')}-c{copy_number}"
            if "fullUrl" in twin:
                twin["fullUrl"] = f"{twin['fullUrl']}-c{copy_number}"
            entries.append(twin)
            size += len(json.dumps(twin))
            if size >= target_bytes:
                break
    bundle["entry"] = entries
    text = json.dumps(bundle)
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8")), len(entries)


# Each child reports its own peak (ru_maxrss of RUSAGE_SELF, kB on Linux) on stderr.
_WRAP = (
    "import resource, runpy, sys\n"
    "try:\n"
    "    {body}\n"
    "finally:\n"
    "    print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def run_phase(body: str, env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak resident MB) of one child process running ``body``."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _WRAP.format(body=body)],
        check=False,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seconds = time.perf_counter() - start
    peaks = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("MAXRSS")]
    if done.returncode not in (0,) or not peaks:
        raise SystemExit(f"phase failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds, int(peaks[-1]) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=19.0, help="record size in MB")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build is not None:
        print(*build_record(int(args.mb * 1_000_000), args.build))
        return 0
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "record.json"
        # Built in a child: Linux carries a process's peak RSS over fork and exec, so the
        # parent must stay small for the children's figures to be their own.
        built = subprocess.run(
            [sys.executable, __file__, "--build", str(path), "--mb", str(args.mb)],
            check=True,
            env=env,
            capture_output=True,
            text=True,
        )
        size, entries = (int(x) for x in built.stdout.split())
        print(
            f"record: {size / 1e6:.1f} MB, {entries:,} entries; load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        print("\n| phase | median s | peak RSS MB | RSS − python MB | × record size |")
        print("|---|---|---|---|---|")
        floor = None
        for name in ("python", "json.loads", "parse", "map", "assess"):
            if name == "assess":
                argv = ["nelm", "assess", str(path), "--as-of", AS_OF, "--format", "json"]
                body = (
                    f"sys.argv = {argv!r}\n"
                    "    try:\n"
                    "        runpy.run_module('nelm', run_name='__main__', alter_sys=True)\n"
                    "    except SystemExit as exit_:\n"
                    "        assert not exit_.code, exit_.code"
                )
            else:
                body = PHASES[name].replace("PATH", repr(str(path)))
            timings, peaks = [], []
            for _ in range(args.runs):
                seconds, peak = run_phase(body, env)
                timings.append(seconds)
                peaks.append(peak)
            peak = max(peaks)
            floor = peak if floor is None else floor
            extra = peak - floor
            print(
                f"| {name} | {statistics.median(timings):.2f} | {peak:.0f} | "
                f"{extra:.0f} | {extra / (size / 1e6):.1f} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
