"""Telling consumers: webhook subscriptions, the outbox and its deliveries, calendar feeds,
the iCalendar change log (SEQUENCE per window) and the upcoming-window notices sent.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    when = sa.DateTime(timezone=True)
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("owner", sa.String(200), nullable=False, index=True),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("events", sa.String(200), nullable=False),
        sa.Column("secret", sa.String(100), nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("disabled_at", when, nullable=True),
        sa.Column("disabled_reason", sa.String(500), nullable=False, server_default=""),
        sa.Column("lease_until", when, nullable=True),
        sa.Column("leased_by", sa.String(100), nullable=True),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.String(40), nullable=False, unique=True),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", when, nullable=False),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("subscription_id", sa.String(40),
                  sa.ForeignKey("subscriptions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("outbox_id", sa.Integer, sa.ForeignKey("outbox.id"), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", when, nullable=False),
        sa.Column("delivered_at", when, nullable=True),
    )
    op.create_index("deliveries_queue", "deliveries", ["subscription_id", "status", "id"])
    op.create_table(
        "delivery_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("delivery_id", sa.Integer,
                  sa.ForeignKey("deliveries.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("subscription_id", sa.String(40), nullable=False, index=True),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("attempted_at", when, nullable=False),
        sa.Column("status_code", sa.Integer, nullable=True),
        sa.Column("latency_ms", sa.Integer, nullable=False),
        sa.Column("error", sa.String(500), nullable=False, server_default=""),
        sa.Column("worker", sa.String(100), nullable=False),
    )
    op.create_table(
        "calendar_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", sa.String(200), nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("changed_at", when, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("cancelled", sa.Boolean, nullable=False),
        sa.Column("window", sa.Text, nullable=False),
    )
    op.create_table(
        "feeds",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("owner", sa.String(200), nullable=False, index=True),
        sa.Column("secret_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("filters", sa.Text, nullable=False),
        sa.Column("created_at", when, nullable=False),
    )
    op.create_table(
        "upcoming_notices",
        sa.Column("window_id", sa.String(200), primary_key=True),
        sa.Column("start", sa.String(40), primary_key=True),
        sa.Column("sent_at", when, nullable=False),
    )


def downgrade() -> None:
    for table in ("upcoming_notices", "feeds", "calendar_changes", "delivery_attempts",
                  "deliveries", "outbox", "subscriptions"):
        op.drop_table(table)
