"""What happens when the application starts on a database.

- No administrator can log in yet (a new database, or the first one never set a
  password): create the administrator ``admin`` if there is none, and print a one-time
  login address (valid 24 hours) to the console, as Jupyter does with its token URL.
- Optionally, store the packaged example cases (``nelm/examples/*.json``) that are not
  stored yet.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from importlib import resources

from nelm.store import ConflictError, Store
from nelm.web.cases import normalised_document

__all__ = ["ensure_admin", "load_examples"]

log = logging.getLogger("nelm.web")


def ensure_admin(store: Store, public_url: str, announce: Callable[[str], None]) -> str | None:
    """Print a one-time login address when no administrator has a password; return it."""
    users = store.list_users()
    admins = [u for u in users if u.role == "admin" and u.active]
    if any(a.has_password for a in admins):
        return None
    admin = admins[0] if admins else None
    if admin is None:
        name = "admin"
        taken = {u.username for u in users}
        suffix = 1
        while name in taken:
            suffix += 1
            name = f"admin{suffix}"
        admin = store.create_user(name, "admin")
    token = store.create_login_link(admin.id)
    address = f"{public_url.rstrip('/')}/login/once?token={token}"
    announce(
        "\n"
        f"  nelm: no administrator has a password yet. Log in once as '{admin.username}' at\n"
        f"\n      {address}\n\n"
        "  then set a password on the Account page. The address works once, for 24 hours.\n"
    )
    return address


def load_examples(store: Store) -> int:
    """Store every packaged example case not stored yet; return how many were added."""
    added = 0
    root = resources.files("nelm") / "examples"
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".json"):
            continue
        document = normalised_document(json.loads(entry.read_text("utf-8")))
        if store.find_case(str(document["case_id"])) is not None:
            continue
        try:
            store.create_case(document, None)
            added += 1
        except ConflictError:
            continue
    log.info("example cases loaded: %d", added)
    return added
