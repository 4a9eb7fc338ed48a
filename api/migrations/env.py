"""Alembic environment: api.db.migrate() hands over an open connection inside a transaction."""
from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None)
with context.begin_transaction():
    context.run_migrations()
