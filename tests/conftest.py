"""Shared test plumbing: the real dataset, golden files, and the CI rule for skips."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from pathlib import Path

import pytest
from network_guard import attempts as network_attempts
from network_guard import guard_network

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
GOLDEN_DIR = Path(__file__).parent / "golden"
# The warnings about ageing data depend on today's date (macros/core/clock.py): every test, and every
# command a test starts, sees this one day, so results do not change with the calendar.
TEST_TODAY = "2026-11-29"
os.environ["TLSKB_TODAY"] = TEST_TODAY


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/* from the current output instead of comparing")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def skip_unless_ci(reason: str):
    """Skip here with a reason; in CI (CI=true) the missing piece is a failure, never a skip."""
    if in_ci():
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True, scope="session")
def no_network():
    """Tests never reach past this machine (tests/network_guard.py): loopback and unix sockets only."""
    with guard_network():
        yield


@pytest.fixture(autouse=True)
def no_network_attempt():
    # A test that caught NetworkBlocked and carried on still fails here.
    before = len(network_attempts)
    yield
    assert network_attempts[before:] == [], f"tried to connect off this machine: {network_attempts[before:]}"


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items):
    # Every test file is its own group unless it names one: it stays on one worker, so its
    # module-scoped fixtures (a site build, a real cluster) still run once, as with --dist loadfile.
    for item in items:
        if not any(item.iter_markers("xdist_group")):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


def session_root(tmp_path_factory) -> Path:
    """A folder every worker of this test run sees (pytest-xdist gives each worker its own basetemp,
    inside one folder per run); without xdist, the session's own basetemp."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextlib.contextmanager
def exclusive(lock_path: Path):
    """Held by one process of the test run at a time (the workers wait for each other)."""
    with lock_path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def shared_site(tmp_path_factory) -> Path:
    """`make site` in a copy of the project, once per test run whichever worker asks first: the
    project folder, with site/ in it. The other workers wait for it and read the same folder.

    Read-only for every test that takes it (copy it to change it). Built with a time zone and a hash
    seed of its own and SOURCE_DATE_EPOCH unset, so tests/site/test_reproducible.py can take it as
    the first of its two builds; without a site URL, as a local build or a file share has it (the
    browser tests' copy buttons must then work out absolute links from the page's address).
    """
    from sandbox import copy_project, run_make
    folder = session_root(tmp_path_factory) / "shared-site"
    project, built = folder / "project", folder / "built"
    with exclusive(session_root(tmp_path_factory) / "shared-site.lock"):
        if not built.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a worker's failed attempt
            copy_project(project)
            result = run_make(project, "site", **SHARED_SITE_ENV)
            assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
            assert "Traceback" not in result.stderr
            built.touch()
    return project


SHARED_SITE_ENV = dict(SOURCE_DATE_EPOCH="", TZ="Etc/GMT+12", PYTHONHASHSEED="1", TLSKB_SITE_URL="")


@pytest.fixture(scope="session")
def dataset():
    from macros.check.runner import load_dataset
    return load_dataset(DATA_DIR)


@pytest.fixture
def golden(request):
    """golden("name.html", text): compare with tests/golden/name.html (or rewrite it)."""
    update = request.config.getoption("--update-golden") or os.environ.get("UPDATE_GOLDEN") == "1"
    if update and in_ci():
        pytest.fail("golden files are compared in CI, never rewritten (unset UPDATE_GOLDEN)")

    def compare(name: str, actual: str) -> None:
        path = GOLDEN_DIR / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"{path} is missing; run `make test-update-golden` to create it"
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, (f"{name} differs from its golden file; if the change is intended, "
                                    "run `make test-update-golden` and review the diff")
    return compare


@pytest.fixture
def data_copy(tmp_path):
    """A private copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target
