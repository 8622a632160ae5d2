"""Opening the database: SQLite by default, PostgreSQL (psycopg 3) when the URL says so.

The URL comes from the caller, else ``NELM_DATABASE_URL``, else ``./nelm.sqlite``.
SQLite runs in WAL mode with ``synchronous=FULL``: a commit that returned is on disk, and
a writer killed mid-transaction leaves the previous committed state. PostgreSQL
connections are checked before use (``pool_pre_ping``), so the service resumes by itself
after the server comes back. Statement parameters are kept out of error messages and logs
(``hide_parameters``), so a database error never writes clinical content to a log.
"""

from __future__ import annotations

import os
import sqlite3
import time
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

__all__ = ["DEFAULT_SQLITE_FILE", "database_url", "describe_url", "make_engine"]

DEFAULT_SQLITE_FILE = "nelm.sqlite"


def database_url(url: str | None = None) -> str:
    """The database URL to use: ``url``, else ``NELM_DATABASE_URL``, else ./nelm.sqlite."""
    if url:
        return url
    from_env = os.environ.get("NELM_DATABASE_URL", "").strip()
    return from_env or f"sqlite:///{DEFAULT_SQLITE_FILE}"


def describe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


_WAL_SWITCH_WAIT_SECONDS = 30.0


def _switch_to_wal(cursor: Any) -> None:
    """Put the file in WAL mode, waiting for other connections that are creating it.

    Switching the journal mode needs a brief exclusive lock, and SQLite may answer "database
    is locked" at once, without its busy handler, while another connection is creating or
    switching the same new file. So the switch is retried for up to 30 s, as the busy
    timeout would wait for any other lock.
    """
    deadline = time.monotonic() + _WAL_SWITCH_WAIT_SECONDS
    delay = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.2)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout=30000")
        _switch_to_wal(cursor)
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (see :func:`database_url`), configured for durability."""
    resolved = make_url(database_url(url))
    if resolved.get_backend_name() == "postgresql" and resolved.drivername == "postgresql":
        resolved = resolved.set(drivername="postgresql+psycopg")
    if resolved.get_backend_name() == "sqlite":
        engine = create_engine(
            resolved,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_pre_ping=True,
            hide_parameters=True,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if resolved.get_backend_name() == "postgresql":
        return create_engine(
            resolved,
            pool_pre_ping=True,
            pool_size=10,
            max_overflow=20,
            pool_timeout=5,
            connect_args={"connect_timeout": 5},
            hide_parameters=True,
        )
    raise ValueError(
        f"unsupported database URL {describe_url(str(resolved))}: use sqlite:///FILE or "
        "postgresql+psycopg://USER@HOST:PORT/DB"
    )
