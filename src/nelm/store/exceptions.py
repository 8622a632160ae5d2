"""The store's own errors (the web layer turns them into 404 and 409)."""

from __future__ import annotations

__all__ = ["ConflictError", "NotFoundError", "StoreError"]


class StoreError(Exception):
    """Base of the store's own errors."""


class ConflictError(StoreError):
    """The write would break a uniqueness rule (e.g. a case id already in use)."""


class NotFoundError(StoreError):
    """No such record."""
