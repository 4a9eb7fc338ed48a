"""The tables are declared once (api/db.py); the migrations build exactly those, on SQLite and on
PostgreSQL, and stay one linear history (api/migrations/README.md says how to add one)."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from api import db


def test_the_migrated_database_has_exactly_the_declared_tables(database_url):
    engine = db.make_engine(database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
    finally:
        engine.dispose()


def test_a_table_the_migrations_lack_is_seen(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    db.migrate(url)
    engine = db.make_engine(url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("DROP TABLE sheet_runs")
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            found = compare_metadata(context, db.metadata)
            assert [d[1].name for d in found if d[0] == "add_table"] == ["sheet_runs"]
    finally:
        engine.dispose()


def test_the_migrations_have_one_head():
    assert len(ScriptDirectory.from_config(db.config()).get_heads()) == 1
