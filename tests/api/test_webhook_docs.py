"""The receiver example in docs/api.md works as printed: served for real, it verifies a
delivery from the worker."""
import threading
from pathlib import Path

from werkzeug.serving import make_server

from tests.api_plans import document, publish, window
from tests.receiver import FAST, deliver_until, subscribe
from tests.servers import free_port

DOC = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
EXAMPLE = DOC.split("### Signatures")[1].split("```python\n")[1].split("```")[0]


def test_the_receiver_example_is_about_ten_lines():
    assert len([line for line in EXAMPLE.splitlines() if line.strip()]) <= 12


def test_the_receiver_example_verifies_a_real_delivery_and_refuses_a_forged_one(app, client,
                                                                               tokens):
    app.config.update(FAST)
    port = free_port()
    sub = subscribe(client, tokens["reader"], f"http://127.0.0.1:{port}/hooks/maintenance",
                    events=["version.published"])
    namespace = {"__name__": "receiver"}
    exec(EXAMPLE.replace("whsec_...", sub["secret"]), namespace)
    server = make_server("127.0.0.1", port, namespace["app"], threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        publish(app, document(window("swc-canary", "2026-01-05")))

        def attempts():
            return client.get(f"/api/v1/subscriptions/{sub['id']}/deliveries",
                              headers=tokens["reader"]).get_json()

        deliver_until(app, lambda: attempts())
        assert [a["status_code"] for a in attempts()] == [204]
        forged = namespace["app"].test_client().post(
            "/hooks/maintenance", data=b'{"type":"version.published"}',
            headers={"webhook-id": "msg_1", "webhook-timestamp": "1",
                     "webhook-signature": "v1,AAAA"})
        assert forged.status_code == 400
    finally:
        server.shutdown()
