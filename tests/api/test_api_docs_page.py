"""The docs page (/api/docs) in a real headless Chromium against gunicorn, with no internet.

Chromium runs with every host name but 127.0.0.1 unresolvable, so an asset fetched from a CDN
would fail and the page would not render; its net log lists what the page itself requested.
Needs Debian's chromium (.ci/run installs it); skips without it.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from api.db import migrate
from tests.servers import Gunicorn

CHROMIUM = "/usr/bin/chromium"
# The background-networking flags stop Chromium's own calls home, which this network refuses.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
         "--virtual-time-budget=10000"]

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}

pytestmark = pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK),
                                reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('docs') / 'planner.db'}"
    migrate(url)
    gunicorn = Gunicorn(url)
    yield gunicorn.url
    gunicorn.stop()


@pytest.fixture(scope="module")
def rendered(server):
    """The page's DOM after its scripts ran, and the URLs the page itself requested."""
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        net_log = Path(profile) / "net.json"
        result = subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}/data", f"--log-net-log={net_log}",
             "--dump-dom", server + "/api/docs"],
            capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout, page_requests(json.loads(net_log.read_text()), server)


def page_requests(log: dict, origin: str) -> list[str]:
    """URLs of the requests the page started (the browser's own housekeeping has no initiator)."""
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    # A job's end event carries no params, hence .get.
    return sorted({event["params"]["url"] for event in log["events"]
                   if event["type"] == start
                   and event.get("params", {}).get("initiator") == origin})


class AssetLinks(HTMLParser):
    """The src of every script and the href of every stylesheet link in an HTML page."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])


def test_the_docs_page_renders_the_api_title_and_every_operation_in_chromium(server, rendered):
    dom, _ = rendered
    spec = requests.get(server + "/api/openapi.json", timeout=10).json()
    assert f"<title>{spec['info']['title']}</title>" in dom
    assert "Failed to load API definition" not in dom
    for path in ("/api/v1/schedule", "/api/v1/publications", "/api/v1/windows/{window_id}/state"):
        assert path in spec["paths"]
    for path in spec["paths"]:
        assert f'data-path="{path}"' in dom, f"{path} is not rendered"
    operations = sorted(key for item in spec["paths"].values() for key in item if key in METHODS)
    assert sorted(re.findall(r'class="opblock opblock-([a-z]+)', dom)) == operations


def test_everything_the_docs_page_loads_comes_from_the_server_itself(server, rendered):
    _, requested = rendered
    assert server + "/api/openapi.json" in requested
    assert server + "/api/docs/assets/swagger-ui-bundle.js" in requested
    assert [url for url in requested if not url.startswith(server + "/")] == []


def test_the_served_html_links_its_scripts_and_styles_on_the_same_origin(server):
    page = server + "/api/docs"
    links = AssetLinks()
    links.feed(requests.get(page, timeout=10).text)
    assert links.urls, "the docs page links no script or stylesheet"
    for url in links.urls:
        absolute = urljoin(page, url)
        assert urlsplit(absolute).netloc == urlsplit(server).netloc, url
        assert requests.get(absolute, timeout=10).status_code == 200, url
