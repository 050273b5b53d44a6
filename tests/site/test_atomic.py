"""`make site` swaps in a new site only when everything succeeded: a failed build leaves site/ as it was.

Each test starts from a project copy with a site built from good data, breaks something, runs
`make site` again, and compares every file of site/ (bytes and modification time) with before.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sandbox import run_make

pytestmark = [pytest.mark.build]

HOSTILE = Path(__file__).parents[1] / "hostile"


@pytest.fixture
def project(shared_site, tmp_path) -> Path:
    """A private copy of the session's built project (tests/conftest.py), site/ included."""
    copy = tmp_path / "project"
    shutil.copytree(shared_site, copy, symlinks=True)  # .venv is a link to the real one
    return copy


def snapshot(site: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(site).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(site.rglob("*")) if p.is_file()}


def assert_failed_and_untouched(project: Path, before: dict) -> str:
    result = run_make(project, "site")
    printed = result.stdout + result.stderr
    assert result.returncode != 0, printed[-3000:]
    after = snapshot(project / "site")
    assert sorted(after) == sorted(before), "files appeared in or vanished from site/"
    assert [n for n in before if before[n] != after[n]] == [], "files of site/ changed"
    assert not (project / "site.old").exists()
    return printed


def test_broken_data_leaves_the_site_untouched(project):
    """Only a real `make site` shows that the check stops it before the swap (no full build: the
    check fails first)."""
    before = snapshot(project / "site")
    assert len(before) > 50
    shutil.copy(HOSTILE / "impossible-date.yaml", project / "data" / "settings" / "extra.yaml")
    printed = assert_failed_and_untouched(project, before)
    assert "data/settings/extra.yaml:4:" in printed
    assert "Traceback" not in printed, printed[-3000:]


def test_failing_page_leaves_the_site_untouched(project):
    """Slow (MkDocs runs until the page fails): only this shows that a failure inside MkDocs itself,
    after the check and the exports passed, leaves site/ as it was."""
    # The data is fine, so the check and the exports pass; MkDocs itself fails half-way.
    before = snapshot(project / "site")
    page = project / "docs" / "settings.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n{{ tlskb_table("no-such-table") }}\n',
                    encoding="utf-8")
    printed = assert_failed_and_untouched(project, before)
    # The reason is printed (with --quiet it was not), in the project's one line, and the site is
    # untouched.
    assert "docs/settings.md:" in printed and "macro-call: tlskb_table('no-such-table'): unknown table" in printed
    assert "Traceback" not in printed, printed[-3000:]


def test_successful_build_replaces_the_site_and_leaves_nothing_behind(project):
    """A full build of its own: only a second successful `make site` over an existing site shows the
    swap (old files gone, no temporary folder left); the shared build started from nothing."""
    (project / "site" / "stale.html").write_text("from an older build", encoding="utf-8")
    result = run_make(project, "site")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert not (project / "site" / "stale.html").exists()
    assert (project / "site" / "index.html").is_file()
    assert not (project / ".site-build-tmp").exists() and not (project / "site.old").exists()
