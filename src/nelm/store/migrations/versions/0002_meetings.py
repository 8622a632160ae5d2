"""Board meetings with their agenda, and decisions that carry a status, the attendees,
nelm's status of each chosen option, the reason for choosing an ineligible one, a
follow-up date and the decision they amend or supersede.

Additive only: two new tables and nullable (or defaulted) columns on ``decisions``, so
decisions stored before this revision stay readable (as final decisions without a
meeting). SQLite alters ``decisions`` in batch mode (a copy of the table inside the same
transaction as everything else).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from nelm.store.models import UtcDateTime

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("specialties", sa.Text(), nullable=False),
        sa.Column("attendees", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
    )
    op.create_index("ix_meetings_held_on", "meetings", ["held_on"])
    op.create_table(
        "agenda_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("meeting_id", sa.Integer(), sa.ForeignKey("meetings.id"), nullable=False),
        sa.Column("case_pk", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("presenter", sa.String(200), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("meeting_id", "case_pk", name="uq_agenda_items_meeting_case"),
    )
    op.create_index("ix_agenda_items_meeting_id", "agenda_items", ["meeting_id"])
    op.create_index("ix_agenda_items_case_pk", "agenda_items", ["case_pk"])
    with op.batch_alter_table("decisions") as batch:
        batch.add_column(sa.Column("meeting_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("status", sa.String(16), nullable=False, server_default="final"))
        batch.add_column(sa.Column("attendees", sa.Text(), nullable=True))
        batch.add_column(sa.Column("option_statuses", sa.Text(), nullable=True))
        batch.add_column(sa.Column("override_reasons", sa.Text(), nullable=True))
        batch.add_column(sa.Column("follow_up_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("replaces_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("change", sa.String(16), nullable=True))
        batch.create_foreign_key("fk_decisions_meeting_id", "meetings", ["meeting_id"], ["id"])
        batch.create_foreign_key("fk_decisions_replaces_id", "decisions", ["replaces_id"], ["id"])
        batch.create_index("ix_decisions_meeting_id", ["meeting_id"])
        batch.create_index("ix_decisions_replaces_id", ["replaces_id"])


def downgrade() -> None:
    with op.batch_alter_table("decisions") as batch:
        batch.drop_index("ix_decisions_replaces_id")
        batch.drop_index("ix_decisions_meeting_id")
        batch.drop_constraint("fk_decisions_replaces_id", type_="foreignkey")
        batch.drop_constraint("fk_decisions_meeting_id", type_="foreignkey")
        for column in (
            "change",
            "replaces_id",
            "follow_up_on",
            "override_reasons",
            "option_statuses",
            "attendees",
            "status",
            "meeting_id",
        ):
            batch.drop_column(column)
    op.drop_table("agenda_items")
    op.drop_table("meetings")
