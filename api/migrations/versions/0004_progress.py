"""Progress reports: hosts that did not come back (failed_nodes and their names) on each state.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = ("window_states", "state_history")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("failed_nodes", sa.Integer, nullable=False,
                                       server_default="0"))
            batch.add_column(sa.Column("hosts", sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("hosts")
            batch.drop_column("failed_nodes")
