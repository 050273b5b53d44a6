"""A real browser on the built site: Debian's chromium driven by Playwright, served from loopback.

The site is the test run's one shared build (`make site` in a copy of the project, tests/conftest.py),
served by a http.server thread on 127.0.0.1, and opened in headless
chromium. Nothing is downloaded: the browser is the system's (/usr/bin/chromium, installed by
.ci/run), axe-core is vendored in tests/browser/vendor/. Outside CI a missing browser or
Playwright skips these tests with the reason; in CI it fails them (conftest.skip_unless_ci).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

from conftest import skip_unless_ci

# Every browser test file is in this pytest-xdist group (their pytestmark), so under `make test`
# they run on one worker: one server and one Playwright for all of them (the site build is the test
# run's shared one, tests/conftest.py).
BROWSER_GROUP = pytest.mark.xdist_group("browser")

CHROMIUM = os.environ.get("TLSKB_CHROMIUM", "/usr/bin/chromium")
# No first-run work, no background fetches: the browser stays on this machine.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VENDOR = Path(__file__).parent / "vendor"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


# Each test file imports these fixtures, which makes each a fixture of its own: without this
# cache a second file would build the site again and start a second sync_playwright(), which
# fails in the same process ("Sync API inside the asyncio loop"). One of each per worker.
_SHARED: dict = {}


def _shared(name: str, make):
    """The session's one instance: the first fixture to ask makes it and owns its teardown."""
    if name in _SHARED:
        yield _SHARED[name]
        return
    for value in make():
        _SHARED[name] = value
        yield value
    _SHARED.pop(name, None)


@pytest.fixture(scope="session")
def built_site(shared_site):
    """The test run's one site build (tests/conftest.py), without a site URL as a local build or a
    file share has it: the copy buttons must then make links absolute from the page's own address
    (test_embed_paste_in_browser.py)."""
    return shared_site / "site"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the standard library's name
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A test that opens the next page before the last one finished loading closes the
        # connection under the server's feet: that is the browser's choice, not a failure.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def site_url(built_site):
    yield from _shared("url", lambda: _serve(built_site))


@pytest.fixture
def other_origin(tmp_path):
    """(folder, url): a second server on another port, so another origin, for pasted snippets."""
    for url in _serve(tmp_path):
        yield tmp_path, url


def _serve(built_site):
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="session")
def browser():
    yield from _shared("browser", _launch)


def _launch():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).is_file():
        skip_unless_ci(f"no chromium at {CHROMIUM} (apt-get install chromium, or set TLSKB_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_unless_ci("Playwright for Python is not installed (make venv installs requirements.lock)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def open_page(browser, site_url):
    """open_page("postgresql/", "phone") -> a loaded Playwright page at that viewport."""
    contexts = []

    def opener(path: str, viewport: str = "desktop"):
        context = browser.new_context(viewport=VIEWPORTS[viewport])
        contexts.append(context)
        page = context.new_page()
        page.goto(site_url + path, wait_until="load")
        return page

    yield opener
    for context in contexts:
        context.close()


@functools.cache
def axe_source() -> str:
    return (VENDOR / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page, within: str | None = None) -> list[dict]:
    """axe-core's violations on the page as it stands, or only inside the first element that the CSS
    selector `within` matches: [{id, impact, help, nodes: [...]}, ...]."""
    page.add_script_tag(content=axe_source())
    return page.evaluate("""async (within) => {
        const result = await axe.run(within || document, {resultTypes: ["violations"]});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5), count: v.nodes.length}));
    }""", within)


def serious_or_worse(violations: list[dict]) -> list[dict]:
    """The violations that issue 15 allows none of."""
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['impact']}: {v['id']} ({v['count']} nodes): {v['help']}; e.g. {v['nodes'][:3]}"
                     for v in violations)
