"""A writer killed mid-transaction (SIGKILL) leaves the SQLite store consistent, with
every write it had acknowledged present (WAL, synchronous=FULL)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from nelm.store import Store
from tests.store.support import sqlite_url

WRITER = r"""
import sys
from nelm.store import Store
store = Store(sys.argv[1])
user = store.create_user("writer", "clinician")
case = store.create_case({"case_id": "durable", "pathology": {"ki67_percent": 0}}, user)
print("ACK 1", flush=True)
for version in range(2, 100000):
    store.update_case(case.id, {"case_id": "durable",
                                "pathology": {"ki67_percent": version % 100}}, user)
    print(f"ACK {version}", flush=True)
"""


def test_sqlite_pragmas_are_durable(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path))
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    store.close()


def test_writer_killed_mid_transaction_loses_no_acknowledged_write(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    Store(url).close()  # migrate first, so the writer only writes cases
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    acknowledged = 0
    deadline = time.monotonic() + 60
    try:
        while acknowledged < 40 and time.monotonic() < deadline:
            line = writer.stdout.readline()
            if not line:
                break
            acknowledged = int(line.split()[1])
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        writer.stdout.close()
        assert writer.stderr is not None
        writer.stderr.close()
    assert acknowledged >= 40, "the writer did not get going"
    assert writer.returncode == -signal.SIGKILL

    raw = sqlite3.connect(tmp_path / "nelm.sqlite")
    try:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        raw.close()
    store = Store(url)
    case = store.find_case("durable")
    assert case is not None
    assert case.current_version >= acknowledged
    versions = store.case_versions(case.id)
    assert [v.version for v in versions] == list(range(1, case.current_version + 1))
    assert case.document == versions[-1].document
    store.close()
