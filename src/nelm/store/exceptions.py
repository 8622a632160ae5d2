"""The store's errors, which live in the one error tree of :mod:`nelm.errors`."""

from __future__ import annotations

from nelm.errors import ConflictError, NotFoundError, StoreError

__all__ = ["ConflictError", "NotFoundError", "StoreError"]
