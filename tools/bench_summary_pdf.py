"""Time the board summary PDF (``/cases/{id}/summary.pdf``) for every packaged example
and every real published case, as the application renders it (warm: the first rendering
loads fonts and is reported apart).

    PYTHONPATH=src python tools/bench_summary_pdf.py [--real-cases DIR] [--runs 3]

Prints a Markdown table (case, pages, median seconds) for docs/benchmarks-reports.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from importlib import resources
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--real-cases", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from pypdf import PdfReader

    from nelm.report.pdf import html_to_pdf
    from nelm.report.summary import render_summary_html
    from nelm.service import assess_mapping

    documents: list[tuple[str, dict]] = []
    for entry in sorted((resources.files("nelm") / "examples").iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".json"):
            documents.append((entry.name[:-5], json.loads(entry.read_text("utf-8"))))
    if args.real_cases:
        for path in sorted(args.real_cases.glob("*.json")):
            raw = json.loads(path.read_text("utf-8"))
            documents.append((path.stem, raw.get("case_as_encoded_in_case_v1", raw)))
    start = time.perf_counter()
    html_to_pdf(render_summary_html(assess_mapping(documents[0][1]), case_version=1))
    print(f"first rendering (fonts, imports): {time.perf_counter() - start:.2f} s\n")
    print("| case | pages | median s | max s |")
    print("|---|---:|---:|---:|")
    medians = []
    for name, document in documents:
        doc = assess_mapping(document)
        times, pdf = [], b""
        for _ in range(args.runs):
            t = time.perf_counter()
            pdf = html_to_pdf(render_summary_html(doc, case_version=1))
            times.append(time.perf_counter() - t)
        pages = len(PdfReader(__import__("io").BytesIO(pdf)).pages)
        medians.append(statistics.median(times))
        print(f"| {name} | {pages} | {statistics.median(times):.2f} | {max(times):.2f} |")
    print(
        f"\nmedian of medians {statistics.median(medians):.2f} s; "
        f"slowest median {max(medians):.2f} s over {len(documents)} cases"
    )


if __name__ == "__main__":
    main()
