"""What happens when the application starts on a database.

- No administrator can log in yet (a new database, or the first one never set a
  password): create the administrator ``admin`` if there is none, and make a one-time
  login address (valid 24 hours). On a terminal it is printed, as Jupyter prints its token
  URL. A server whose output goes to a service log (journald, ``docker logs``, a file)
  must not leave a login secret there: the address is written to a file only its owner
  may read (``login_link_file``, mode 0600) and only the file's name is printed. The file
  is removed when the address is used, and at a start once an administrator has a
  password.
- Optionally, store the packaged example cases (``nelm/examples/*.json``) that are not
  stored yet.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from nelm.store import ConflictError, Store
from nelm.web.cases import normalised_document

__all__ = [
    "LOGIN_LINK_FILE",
    "ensure_admin",
    "forget_login_link",
    "load_examples",
    "login_link_path",
]

log = logging.getLogger("nelm.web")


LOGIN_LINK_FILE = "nelm-login-link.txt"


def login_link_path(database_url: str) -> Path:
    """Where the one-time login address is written when it is not printed: beside an
    SQLite database file (the data directory), else in the working directory."""
    from sqlalchemy.engine import make_url

    parsed = make_url(database_url)
    name = parsed.database
    if parsed.get_backend_name() == "sqlite" and name and name != ":memory:":
        return Path(name).resolve().parent / LOGIN_LINK_FILE
    return Path.cwd() / LOGIN_LINK_FILE


def ensure_admin(
    store: Store,
    public_url: str,
    announce: Callable[[str], None],
    link_file: Path | None = None,
) -> str | None:
    """Make a one-time login address when no administrator has a password; return it.

    Without ``link_file`` the address is announced whole (a terminal); with it, it is
    written to that file (mode 0600) and only the file's name is announced.
    """
    users = store.list_users()
    admins = [u for u in users if u.role == "admin" and u.active]
    if any(a.has_password for a in admins):
        if link_file is not None:
            forget_login_link(link_file)  # an address from an earlier start, used or not
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
    if link_file is None:
        announce(
            "\n"
            f"  nelm: no administrator has a password yet. Log in once as '{admin.username}' at\n"
            f"\n      {address}\n\n"
            "  then set a password on the Account page. The address works once, for 24 hours.\n"
        )
        return address
    _write_private(link_file, address + "\n")
    announce(
        "\n"
        "  nelm: no administrator has a password yet. The one-time login address for\n"
        f"  '{admin.username}' is in the file (readable by its owner only)\n"
        f"\n      {link_file}\n\n"
        "  Open it in a browser, then set a password on the Account page. The address works\n"
        "  once, for 24 hours; the file is removed when it is used.\n"
    )
    return address


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable and writable by its owner only: a new file
    (``mkstemp`` makes it 0600) renamed over the old, so that no other account can read
    it at any moment nor put a link in its place."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".nelm-login-link-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def forget_login_link(path: Path) -> None:
    """Remove the file of a one-time login address (used, or no longer needed)."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


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
