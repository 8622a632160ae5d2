"""The application log of ``nelm serve``, the same in every process: one line per request
(``nelm.web.access``: method, route template, status, time) and nelm's warnings and
errors, with a time stamp, on standard error.

Libraries that would write a patient's data, or bury the lines an administrator needs,
are held at warnings and errors:

- ``httpx``/``httpcore`` log each request's URL at INFO: the CDS Hooks service's reads
  from an EHR's FHIR server name the patient (``…/Patient/<id>``);
- ``alembic`` logs each migration with its docstring: at a first start they buried the
  one-time login address;
- ``weasyprint.progress`` logs every step and page of every PDF at INFO (some thirty
  lines per report).

A worker process of ``nelm serve --workers N`` is a fresh interpreter: it calls this too
(``nelm.web.app.create_worker_app``), or its requests would go unlogged.
"""

from __future__ import annotations

import logging

__all__ = ["LOG_FORMAT", "QUIET_LOGGERS", "configure_logging"]

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
QUIET_LOGGERS = ("httpx", "httpcore", "alembic", "weasyprint.progress")


def configure_logging() -> None:
    """Log INFO and above to standard error (unless the root logger has a handler
    already), the libraries of :data:`QUIET_LOGGERS` at WARNING and above."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
