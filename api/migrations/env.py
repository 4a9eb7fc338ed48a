"""Alembic environment: api.db.migrate() hands over an open connection inside a transaction.

``target_metadata`` is the tables as api/db.py declares them, so autogenerate and the test that
compares them with a migrated database (tests/api/test_migrations.py) see the same schema.
"""
from alembic import context

from api.db import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
