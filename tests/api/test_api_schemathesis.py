"""schemathesis against our OpenAPI document: no server error, no response the document forbids.

Runs in the WSGI app (no network) with a planner token and two published versions, so generated
requests reach the views rather than stopping at 401/404. ``max_examples`` keeps it short.
Whether data is accepted or rejected is left to the other tests: some rules are beyond what
the document can say (``from`` after ``to``, an upload that is not a workbook), and the
"negative" cases schemathesis builds here drop the Authorization header (which this test always
sends) or add valueless query keys (which the client never sends).
The app is built at import because schemathesis reads the document when the test is defined
(its fixture loader does not work with pytest 9); its database is migrated and published to by a
fixture, when the test runs.
"""
import tempfile

import pytest
import schemathesis
from schemathesis.checks import negative_data_rejection, positive_data_acceptance
from hypothesis import HealthCheck, settings

from api import create_app
from api.auth import create_token
from api.db import migrate
from tests.api_plans import document, publish, window

_DIR = tempfile.TemporaryDirectory(prefix="schemathesis-")  # removed when the run ends
_URL = f"sqlite:///{_DIR.name}/planner.db"
app = create_app({"TESTING": True, "DATABASE_URL": _URL})
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)


@pytest.fixture(scope="module")
def token():
    """A planner's token, with two versions published."""
    migrate(_URL)
    publish(app, document(window("swc-canary", "2026-01-05"), window("eus-big", "2026-01-06")))
    publish(app, document(window("swc-canary", "2026-01-05")))
    with app.app_context():
        return create_token("schemathesis", "planner")


@schema.parametrize()
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_the_api_honours_its_openapi_document(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                           excluded_checks=[positive_data_acceptance,
                                            negative_data_rejection])
