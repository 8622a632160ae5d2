"""Users, password hashes, API tokens, sessions and one-time login links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from nelm.store import ConflictError, Store
from nelm.store import models as m
from nelm.store.security import hash_password, token_digest, verify_password


def test_password_hashes_are_scrypt_salted_and_verify() -> None:
    first, second = hash_password("pässwörd-123"), hash_password("pässwörd-123")
    assert first.startswith("scrypt$16384$8$1$") and first != second
    assert verify_password("pässwörd-123", first)
    assert not verify_password("pässwörd-124", first)
    assert not verify_password("x", None) and not verify_password("x", "garbage")


def test_users_roles_and_authentication(store: Store) -> None:
    admin = store.create_user("root", "admin", "a long enough password")
    assert admin.is_admin() and admin.can_write() and admin.has_password
    viewer = store.create_user("v", "viewer", "another long password")
    assert not viewer.can_write()
    with pytest.raises(ConflictError):
        store.create_user("root", "viewer")
    with pytest.raises(ValueError, match="role must be one of"):
        store.create_user("x", "superuser")
    assert store.authenticate("root", "a long enough password") == admin
    assert store.authenticate("root", "wrong") is None
    assert store.authenticate("nobody", "a long enough password") is None
    store.update_user(viewer.id, active=False)
    assert store.authenticate("v", "another long password") is None
    assert [u.username for u in store.list_users()] == ["root", "v"]
    with store.engine.connect() as connection:
        stored = connection.execute(select(m.User.password_hash)).scalars().all()
    assert all(h and "password" not in h for h in stored)


def test_api_tokens_are_stored_hashed_and_revocable(store: Store) -> None:
    user = store.create_user("api", "clinician")
    record, plaintext = store.create_api_token(user.id, "script")
    assert plaintext.startswith("nelm_")
    assert store.user_for_api_token(plaintext) == user
    with store.engine.connect() as connection:
        hashes = connection.execute(select(m.ApiToken.token_hash)).scalars().all()
    assert hashes == [token_digest(plaintext)]
    assert store.revoke_api_token(record.id, user_id=user.id + 1) is False
    assert store.revoke_api_token(record.id, user_id=user.id) is True
    assert store.user_for_api_token(plaintext) is None
    assert store.list_api_tokens(user.id)[0].revoked_at is not None


def test_sessions_expire_and_end(store: Store) -> None:
    user = store.create_user("s", "viewer")
    token, csrf = store.create_session(user.id)
    assert store.session_user(token) == (user, csrf)
    store.delete_session(token)
    assert store.session_user(token) is None
    expired, _ = store.create_session(user.id, lifetime=timedelta(seconds=-1))
    assert store.session_user(expired) is None


def test_login_links_work_once(store: Store) -> None:
    user = store.create_user("first-admin", "admin")
    link = store.create_login_link(user.id)
    assert store.consume_login_link(link) == user
    assert store.consume_login_link(link) is None
    stale = store.create_login_link(user.id, lifetime=timedelta(seconds=-1))
    assert store.consume_login_link(stale) is None
