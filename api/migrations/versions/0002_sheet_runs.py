"""Validation runs of the live Google Sheet (what /api/v1/draft serves).

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sheet_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("spreadsheet_id", sa.String(200), nullable=False, index=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=True),
        sa.Column("problem", sa.Text, nullable=True),
        sa.Column("plan", sa.Text, nullable=True),  # the plan document, JSON text
    )


def downgrade() -> None:
    op.drop_table("sheet_runs")
