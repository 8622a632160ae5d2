"""A migration that exists only for the kill test: an ALTER of a table full of rows.

On SQLite, Alembic's batch mode rebuilds ``cases`` (create a copy, copy the rows, drop,
rename), the most a migration can do to stored data; killing it at each of those steps
shows that a store full of cases survives its next migration. It follows whatever the
packaged head is, so it stays the last one when migrations are added.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import op
from alembic.config import Config
from alembic.script import ScriptDirectory

import nelm.store

_PACKAGED = Config()
_PACKAGED.set_main_option(
    "script_location", str(Path(nelm.store.__file__).resolve().parent / "migrations")
)

revision = "9001"
down_revision: str | None = ScriptDirectory.from_config(_PACKAGED).get_current_head()
branch_labels: str | None = None
depends_on: str | None = None


def _rebuild() -> str:
    # SQLite rebuilds the table (as a real ALTER there would); PostgreSQL alters in place
    return "always" if op.get_bind().dialect.name == "sqlite" else "never"


def upgrade() -> None:
    with op.batch_alter_table("cases", recreate=_rebuild()) as batch:
        batch.add_column(sa.Column("kill_test_note", sa.String(16), nullable=True))
    op.create_index("ix_kill_test_versions_created", "case_versions", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_kill_test_versions_created", "case_versions")
    with op.batch_alter_table("cases", recreate=_rebuild()) as batch:
        batch.drop_column("kill_test_note")
