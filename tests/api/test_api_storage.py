"""Storage on SQLite and on a real PostgreSQL: migrations, atomic publication, racing writers."""
import concurrent.futures
import json
import multiprocessing
import threading
import time

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from api import create_app, db
from api.db import config
from api.auth import create_token
from api.errors import InvalidWorkbook
from api.windows import window_id
from tests.api_plans import document, publish, window


def make_app(url):
    return create_app({"TESTING": True, "DATABASE_URL": url})


def _publish_at(url: str, start_at: float, n: int) -> int:
    app = make_app(url)
    time.sleep(max(0.0, start_at - time.time()))
    return publish(app, document(window(f"c{n}", "2026-01-05")), who=f"p{n}", message=f"m{n}")


def test_migrations_create_the_schema_and_running_them_again_changes_nothing(database_url):
    db.migrate(database_url)
    engine = db.make_engine(database_url)
    with engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
        assert {"publications", "current_version", "tokens", "window_states",
                "state_history", "alembic_version"} <= tables
        newest = ScriptDirectory.from_config(config()).get_current_head()
        assert conn.execute(sa.text("select version_num from alembic_version")).scalar() == newest
        assert conn.execute(sa.text("select count(*) from current_version")).scalar() == 1
    engine.dispose()


def test_concurrent_publications_get_distinct_consecutive_versions(database_url):
    start_at = time.time() + 1.5
    with concurrent.futures.ProcessPoolExecutor(
            6, mp_context=multiprocessing.get_context("fork")) as pool:
        versions = list(pool.map(_publish_at, [database_url] * 6, [start_at] * 6, range(6)))
    assert sorted(versions) == [1, 2, 3, 4, 5, 6]
    engine = db.make_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(db.publications).order_by(db.publications.c.version)).all()
        current = conn.execute(sa.select(db.current_version.c.version)).scalar()
    engine.dispose()
    assert current == 6
    for row in rows:  # every version holds its own publisher's plan, intact
        n = row.who[1:]
        assert row.message == f"m{n}"
        assert json.loads(row.plan)["windows"][0]["cluster"] == f"c{n}"


def test_a_refused_publication_leaves_the_current_version_untouched(database_url):
    app = make_app(database_url)
    publish(app, document(window("c1", "2026-01-05")))
    with pytest.raises(InvalidWorkbook) as refused:
        publish(app, document(window("c2", "2026-01-05"), violations=[
            {"rule": "cap", "severity": "error", "message": "over the cap", "cell": "Rules!A2",
             "cluster": None, "date": "2026-01-05"}]))
    assert refused.value.kind == "plan-refused"
    with app.app_context(), db.reading() as conn:
        assert conn.execute(sa.select(db.current_version.c.version)).scalar() == 1
        assert conn.execute(sa.select(sa.func.count()).select_from(db.publications)).scalar() == 1


def test_racing_reports_on_one_window_let_exactly_one_transition_through(database_url):
    """Three report in_progress and three cancelled at once: one transition wins, its repeats
    are answered 200 (idempotent), the other three are 409; one history entry."""
    app = make_app(database_url)
    publish(app, document(window("c1", "2026-01-05")))
    with app.app_context():
        headers = {"Authorization": "Bearer " + create_token("r", "reporter")}
    barrier = threading.Barrier(6)

    def report(index):
        client = app.test_client()
        barrier.wait()
        state = ("in_progress", "cancelled")[index % 2]
        return client.post(f"/api/v1/windows/{window_id('c1', 1)}/state",
                           json={"state": state}, headers=headers).status_code

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        statuses = sorted(pool.map(report, range(6)))
    assert statuses == [200, 200, 200, 409, 409, 409]
    with app.app_context(), db.reading() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(db.state_history)).scalar() == 1
