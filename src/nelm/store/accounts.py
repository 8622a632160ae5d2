"""Users, API tokens, login sessions and one-time login links (part of :class:`Store`).

Tokens, sessions and links are kept only as digests (:mod:`nelm.store.security`): the
plain token is handed out once, when it is made.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession

from nelm.errors import ConflictError, NotFoundError
from nelm.store import models as m
from nelm.store.records import ROLES, TokenRecord, UserRecord
from nelm.store.rows import token_record, user_record
from nelm.store.security import hash_password, new_token, token_digest, verify_password

__all__ = ["LOGIN_LINK_LIFETIME", "SESSION_LIFETIME", "AccountsMixin"]

SESSION_LIFETIME = timedelta(hours=12)
LOGIN_LINK_LIFETIME = timedelta(hours=24)


@cache
def _dummy_hash() -> str:
    return hash_password("nelm-timing-equaliser")


class AccountsMixin:
    """Who may use the store and how they prove it; mixed into :class:`nelm.store.Store`."""

    if TYPE_CHECKING:

        def _tx(self) -> AbstractContextManager[OrmSession]: ...

    # ------------------------------------------------------------------ users

    def count_users(self) -> int:
        with self._tx() as s:
            return int(s.scalar(select(func.count()).select_from(m.User)) or 0)

    def create_user(self, username: str, role: str, password: str | None = None) -> UserRecord:
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
        try:
            with self._tx() as s:
                row = m.User(
                    username=username,
                    role=role,
                    active=True,
                    password_hash=hash_password(password) if password else None,
                )
                s.add(row)
                s.flush()
                return user_record(row)
        except IntegrityError as exc:
            raise ConflictError(f"the user name {username!r} is taken") from exc

    def get_user(self, user_id: int) -> UserRecord | None:
        with self._tx() as s:
            row = s.get(m.User, user_id)
            return user_record(row) if row else None

    def find_user(self, username: str) -> UserRecord | None:
        with self._tx() as s:
            row = s.scalar(select(m.User).where(m.User.username == username))
            return user_record(row) if row else None

    def list_users(self) -> list[UserRecord]:
        with self._tx() as s:
            return [user_record(r) for r in s.scalars(select(m.User).order_by(m.User.id))]

    def update_user(
        self,
        user_id: int,
        *,
        role: str | None = None,
        active: bool | None = None,
        password: str | None = None,
    ) -> UserRecord:
        if role is not None and role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
        with self._tx() as s:
            row = s.get(m.User, user_id)
            if row is None:
                raise NotFoundError(f"no user {user_id}")
            if role is not None:
                row.role = role
            if active is not None:
                row.active = active
                if not active:
                    s.execute(delete(m.Session).where(m.Session.user_id == user_id))
            if password is not None:
                row.password_hash = hash_password(password)
            return user_record(row)

    def authenticate(self, username: str, password: str) -> UserRecord | None:
        with self._tx() as s:
            row = s.scalar(select(m.User).where(m.User.username == username))
        if row is None:
            verify_password(password, _dummy_hash())  # same work whether or not the user exists
            return None
        if not row.active or not verify_password(password, row.password_hash):
            return None
        return user_record(row)

    # ------------------------------------------------------------------ API tokens

    def create_api_token(self, user_id: int, name: str) -> tuple[TokenRecord, str]:
        """A new token for ``user_id``: the record and the token itself (shown once)."""
        plaintext = new_token("nelm_")
        with self._tx() as s:
            row = m.ApiToken(user_id=user_id, name=name, token_hash=token_digest(plaintext))
            s.add(row)
            s.flush()
            return token_record(row), plaintext

    def list_api_tokens(self, user_id: int | None = None) -> list[TokenRecord]:
        with self._tx() as s:
            query = select(m.ApiToken).order_by(m.ApiToken.id)
            if user_id is not None:
                query = query.where(m.ApiToken.user_id == user_id)
            return [token_record(r) for r in s.scalars(query)]

    def revoke_api_token(self, token_id: int, *, user_id: int | None = None) -> bool:
        """Revoke one token (only ``user_id``'s when given); False if there is none."""
        with self._tx() as s:
            row = s.get(m.ApiToken, token_id)
            if row is None or (user_id is not None and row.user_id != user_id):
                return False
            if row.revoked_at is None:
                row.revoked_at = m.utcnow()
            return True

    def user_for_api_token(self, plaintext: str) -> UserRecord | None:
        with self._tx() as s:
            row = s.execute(
                select(m.User)
                .join(m.ApiToken, m.ApiToken.user_id == m.User.id)
                .where(
                    m.ApiToken.token_hash == token_digest(plaintext),
                    m.ApiToken.revoked_at.is_(None),
                    m.User.active.is_(True),
                )
            ).scalar_one_or_none()
            return user_record(row) if row else None

    # ------------------------------------------------------------------ sessions

    def create_session(
        self, user_id: int, lifetime: timedelta = SESSION_LIFETIME
    ) -> tuple[str, str]:
        """A new login session: (session token for the cookie, CSRF token for forms)."""
        plaintext, csrf = new_token(), new_token()
        now = m.utcnow()
        with self._tx() as s:
            s.execute(delete(m.Session).where(m.Session.expires_at < now))
            s.add(
                m.Session(
                    user_id=user_id,
                    token_hash=token_digest(plaintext),
                    csrf_token=csrf,
                    expires_at=now + lifetime,
                )
            )
        return plaintext, csrf

    def session_user(self, plaintext: str) -> tuple[UserRecord, str] | None:
        """The user and CSRF token of a live session, or None."""
        with self._tx() as s:
            found = s.execute(
                select(m.User, m.Session.csrf_token)
                .join(m.Session, m.Session.user_id == m.User.id)
                .where(
                    m.Session.token_hash == token_digest(plaintext),
                    m.Session.expires_at > m.utcnow(),
                    m.User.active.is_(True),
                )
            ).first()
            if found is None:
                return None
            return user_record(found[0]), str(found[1])

    def delete_session(self, plaintext: str) -> None:
        with self._tx() as s:
            s.execute(delete(m.Session).where(m.Session.token_hash == token_digest(plaintext)))

    # ------------------------------------------------------------------ one-time login

    def create_login_link(self, user_id: int, lifetime: timedelta = LOGIN_LINK_LIFETIME) -> str:
        plaintext = new_token()
        with self._tx() as s:
            s.add(
                m.LoginLink(
                    user_id=user_id,
                    token_hash=token_digest(plaintext),
                    expires_at=m.utcnow() + lifetime,
                )
            )
        return plaintext

    def consume_login_link(self, plaintext: str) -> UserRecord | None:
        """The link's user, once: the link is marked used in the same transaction."""
        now = m.utcnow()
        with self._tx() as s:
            link = s.scalar(
                select(m.LoginLink)
                .where(m.LoginLink.token_hash == token_digest(plaintext))
                .with_for_update()
            )
            if link is None or link.used_at is not None or link.expires_at <= now:
                return None
            link.used_at = now
            user = s.get(m.User, link.user_id)
            return user_record(user) if user is not None and user.active else None
