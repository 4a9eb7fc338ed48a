import os

import pytest

from api import create_app
from api.config import instant
from api.db import migrate


# A "now" for tests that publish the test workbooks (PLANNER_NOW): their first day's morning.
TEST_NOW = "2026-01-05T12:00:00Z"


@pytest.fixture
def app(tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'planner.db'}"})
    migrate(app.config["DATABASE_URL"])
    return app


@pytest.fixture
def at_test_now(app):
    """The app's clock fixed at TEST_NOW, for tests that publish the test workbooks."""
    app.config["NOW"] = instant(TEST_NOW)
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server URL: PG_URL / TEST_DATABASE_URL, else a throwaway cluster, else skip."""
    url = os.environ.get("PG_URL") or os.environ.get("TEST_DATABASE_URL")
    if url:
        yield url
        return
    from tests.servers import ThrowawayPostgres

    try:
        server = ThrowawayPostgres()
    except (RuntimeError, OSError) as error:
        pytest.skip(f"PostgreSQL not available: {error}")
    yield server.url
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """An empty, migrated database of each kind the API supports."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'planner.db'}"
        migrate(url)
        yield url
        return
    from tests.servers import drop_database, fresh_database

    server = request.getfixturevalue("pg_server")
    url = fresh_database(server)
    migrate(url)
    yield url
    drop_database(server, url)


@pytest.fixture
def tokens(app):
    """A bearer-token header per role, keyed by role."""
    from api.auth import ROLES, create_token

    with app.app_context():
        return {role: {"Authorization": "Bearer " + create_token(f"{role}-bot", role)}
                for role in ROLES}
