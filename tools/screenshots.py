"""Screenshots of the main pages for docs/img, and for looking at a page after a change.

Starts the application on a throwaway SQLite store with the example cases and the real
published cases (``--real-cases DIR``), prepares a meeting of ten cases, records and amends
a decision, and photographs the pages at projection size (1440x900) and phone width
(390x844) in headless Chromium (Debian's, via Playwright).

    PYTHONPATH=src python tools/screenshots.py --out docs/img [--real-cases tests/realcases]
"""

from __future__ import annotations

import argparse
import json
import socket
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}
RECORD = (
    Path(__file__).resolve().parents[1] / "tests" / "interop" / "fixtures" / "synthetic-0001.json"
)
"""A synthetic FHIR R4 record of a NET patient (nelm.interop.fhir.synthetic), read into the
new-case form, and into the case stored from it six months before."""
PASSWORD = "a board password 2026"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/img"))
    parser.add_argument("--real-cases", type=Path, default=None)
    parser.add_argument("--full-page", action="store_true")
    # a shared machine may allow its servers only some ports; 0 takes any free one
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    import uvicorn
    from playwright.sync_api import sync_playwright

    from nelm.interop.fhir import bundle_to_case
    from nelm.store import Store
    from nelm.web.app import create_app
    from nelm.web.cases import normalised_document
    from nelm.web.settings import Settings

    tmp = Path(tempfile.mkdtemp())
    store = Store(f"sqlite:///{tmp / 'nelm.sqlite'}")
    admin = store.create_user("dr.visser", "admin", PASSWORD)
    app = create_app(Settings(load_examples=True, announce=lambda m: None), store=store)
    if args.real_cases:
        for path in sorted(args.real_cases.glob("*.json"))[:12]:
            raw = json.loads(path.read_text("utf-8"))
            # a published case as tests/realcases holds it ("case"), or as first encoded
            document = raw.get("case") or raw.get("case_as_encoded_in_case_v1") or raw
            try:
                store.create_case(normalised_document(document), admin)
            except Exception as exc:  # a screenshot run skips a file it cannot read
                print(f"skipped {path.name}: {exc}")
    # the record as the board stored it six months before, with what only the board adds
    earlier = bundle_to_case(
        json.loads(RECORD.read_text("utf-8")), assessment_date=date(2026, 6, 1)
    )
    board_entered = {
        "label": f"From the FHIR record {RECORD.name}, read for 2026-06-01",
        "patient": {**earlier.document["patient"], "fit_for_major_surgery": True},
        "liver": {
            **earlier.document["liver"],
            "distribution": "unilobar",
            "surgical_assessment": "resectable",
        },
    }
    stored_earlier = store.create_case(
        normalised_document({**earlier.document, **board_entered}), admin
    )
    port = args.port or _port()
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            access_log=False,
            ws="none",
            lifespan="off",
        )
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    meeting = store.create_meeting(
        held_on=date(2026, 12, 3),
        title="Neuroendocrine tumour board",
        specialties=[
            "Hepatobiliary surgery",
            "Medical oncology",
            "Interventional radiology",
            "Nuclear medicine",
            "Pathology",
        ],
        attendees=[
            "Dr B. Visser (HPB surgery)",
            "Dr R. Ngongoni (oncology)",
            "Dr M. Makary (interventional radiology)",
            "Dr K. Daskalakis (endocrinology)",
        ],
        user=admin,
    )
    first_case = store.find_case("example-resectable-pnet")
    assert first_case is not None
    cases = [first_case, *[c for c in store.list_cases() if c.id != first_case.id][:9]]
    for case in cases:
        store.add_to_agenda(
            meeting.id,
            case.id,
            presenter="Dr B. Visser",
            question="Curative resection, liver-directed or systemic therapy?",
            user=admin,
        )
    args.out.mkdir(parents=True, exist_ok=True)
    first = first_case
    position = next(a.position for a in store.agenda(meeting.id) if a.case_pk == first.id)
    store.record_decision(
        first.id,
        case_version=1,
        options=["simultaneous_resection"],
        text="Simultaneous distal pancreatectomy and liver resection.",
        user=admin,
        meeting_id=meeting.id,
        status="provisional",
        attendees=list(meeting.attendees),
    )
    real = next((c for c in store.list_cases() if c.case_id.startswith("cr")), None)
    pages = {
        "cases": "/",
        "case": f"/cases/{first.id}",
        "meeting": f"/meetings/{meeting.id}",
        "present": f"/meetings/{meeting.id}/present/{position}",
        "meetings": "/meetings",
        "evidence": f"/cases/{first.id}/evidence/tace",
        "evidence-prrt": f"/cases/{first.id}/evidence/prrt",
        "new-case": "/cases/new",
        **({"real-case": f"/cases/{real.id}"} if real else {}),
        # the first real case's primary resection: for a NEC, the evidence page's grade note
        **({"real-evidence": f"/cases/{real.id}/evidence/primary_tumor_resection"} if real else {}),
    }
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for size, (width, height) in SIZES.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                page.goto(base + "/login")
                page.get_by_label("User name").fill("dr.visser")
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_label("Password").press("Enter")
                page.wait_for_url(base + "/")
                for name, path in pages.items():
                    page.goto(base + path)
                    # Plots below the fold load lazily: load them all for the photograph.
                    page.evaluate(
                        "document.querySelectorAll('img').forEach(i => i.loading = 'eager')"
                    )
                    page.wait_for_load_state("networkidle")
                    target = args.out / f"{name}-{size}.png"
                    page.screenshot(path=str(target), full_page=args.full_page)
                    print(target)
                # the new-case form filled from a FHIR record, before it is saved, and the
                # stored case updated from the same record read six months later
                for name, path, fold in (
                    ("new-case-from-record", "/cases/new", None),
                    ("case-updated-from-record", f"/cases/{stored_earlier.id}/edit", "Update"),
                ):
                    page.goto(base + path)
                    if fold:
                        page.locator("summary", has_text=fold).click()
                    page.get_by_label("File", exact=True).set_input_files(str(RECORD))
                    page.get_by_label("Assessment date (a FHIR record only)").fill("2026-12-01")
                    page.get_by_role("button", name="Read the file").click()
                    page.locator("#imported").scroll_into_view_if_needed()
                    target = args.out / f"{name}-{size}.png"
                    page.screenshot(path=str(target), full_page=args.full_page)
                    print(target)
                context.close()
            browser.close()
    finally:
        server.should_exit = True
        store.close()


if __name__ == "__main__":
    main()
