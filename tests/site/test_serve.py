"""`make serve` with data that breaks while it runs: it keeps running, says why, and recovers.

On a failed rebuild MkDocs keeps the process and the last good files, prints the error (the
check's `path:line:col` lines) and holds page requests until a rebuild succeeds; it does not
show the error in the browser. With broken data at start-up it exits at once, like `make site`.

The server runs on a free loopback port in a project copy, started as `make serve` starts it
(`macros export --all`, then `mkdocs serve --livereload`). Waits are bounded and poll the log;
nothing is timed. The server is always stopped, by its own process group.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from sandbox import child_env, copy_project, run_limited

pytestmark = pytest.mark.build

HOSTILE = Path(__file__).parents[1] / "hostile"
WAIT = 180  # seconds: an upper bound for one build, not a measurement


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, never a proxy
    with opener.open(url, timeout=WAIT) as response:
        return response.status, response.read().decode("utf-8", "replace")


class Server:
    def __init__(self, project: Path):
        self.project, self.port = project, free_port()
        self.log_path = project / "serve.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        exported = run_limited([sys.executable, "-m", "macros", "export", "--all"], self.project)
        assert exported.returncode == 0, exported.stdout + exported.stderr
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{self.port}"],
                cwd=self.project, env=child_env(self.project), stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, text: str, after: int = 0) -> int:
        """Poll the log until `text` appears after offset `after`; its offset. Fails if the server dies."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            log = self.log()
            found = log.find(text, after)
            if found >= 0:
                return found
            assert self.process.poll() is None, f"the server stopped:\n{log[-3000:]}"
            time.sleep(0.2)
        pytest.fail(f"no {text!r} in the server log within {WAIT} s:\n{self.log()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)


@pytest.fixture
def server(tmp_path):
    running = Server(copy_project(tmp_path / "project"))
    try:
        yield running
    finally:
        running.stop()


def test_serve_survives_broken_data_and_recovers(server):
    """A real server and its rebuilds: only `mkdocs serve` shows that a data error during a rebuild
    keeps it running, is reported, and heals once the data is fixed."""
    server.start()
    served = server.wait_for(f"Serving on {server.url}")
    assert fetch(server.url + "settings/")[0] == 200

    # Break the data while it serves: the rebuild fails with the check's message, in the log.
    extra = server.project / "data" / "settings" / "extra.yaml"
    extra.write_bytes((HOSTILE / "impossible-date.yaml").read_bytes())
    failed = server.wait_for("data/settings/extra.yaml:4:11: schema:", served)
    server.wait_for("An error happened during the rebuild", failed)
    assert "Traceback" not in server.log()[served:]
    # MkDocs holds page requests after a failed rebuild ("the server will appear stuck") rather
    # than serve a stale site; such a request is answered once the data is fixed.
    with ThreadPoolExecutor(max_workers=1) as pool:
        waiting = pool.submit(fetch, server.url + "settings/")
        assert server.process.poll() is None, "the server stopped"

        # Fix it (with a new option, to see the new data served): the next rebuild succeeds.
        extra.write_bytes((HOSTILE / "valid" / "settings-extra.yaml").read_bytes())
        server.wait_for("Reloading browsers", failed)
        status, page = waiting.result(timeout=WAIT)
    assert status == 200 and "hostile_option" in page
    assert fetch(server.url + "settings/")[0] == 200


def test_serve_does_not_start_on_broken_data(server):
    """Only `mkdocs serve` itself shows that broken data stops it at start-up (the check fails first,
    so no full build)."""
    # Nothing good to show yet: it stops at once with the check's message, like `make site`.
    (server.project / "data" / "settings" / "extra.yaml").write_bytes(
        (HOSTILE / "impossible-date.yaml").read_bytes())
    with server.log_path.open("wb") as log:
        result = subprocess.run([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{server.port}"],
                                cwd=server.project, env=child_env(server.project), stdout=log,
                                stderr=subprocess.STDOUT, timeout=WAIT)
    assert result.returncode != 0
    assert "data/settings/extra.yaml:4:11: schema:" in server.log()
    assert "Traceback" not in server.log()
