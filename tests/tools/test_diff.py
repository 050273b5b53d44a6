"""`python -m macros diff`: the data-level change between two commits, on a throwaway repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA_DIR, ROOT

from macros.tools.diff import DiffError, run

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, env=dict(os.environ, **GIT_ENV),
                            capture_output=True, text=True, check=True)
    return result.stdout.strip()


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


def edit(repo: Path, relative: str, old: str, new: str, count: int = 1) -> None:
    path = repo / "data" / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.fixture
def repo(tmp_path) -> Path:
    """A repository whose first commit holds a copy of data/, on branch main."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    shutil.copytree(DATA_DIR, root / "data")
    commit(root, "base")
    return root


def change_some_facts(repo: Path) -> None:
    edit(repo, "postgresql/18.yaml", 'eol: "2030-11-14"', 'eol: "2030-11-21"')
    # A cell's text changes: TLS 1.3 on OpenSSL 3.6 becomes an inferred fact.
    edit(repo, "openssl/3.6.yaml",
         '  TLSv1.3:\n    status: "on"\n',
         '  TLSv1.3:\n    status: "on"\n    inferred: true\n    note: Read from the code.\n')
    # A setting default with Markdown in it, which the summary must print literally.
    edit(repo, "settings/server.yaml", "default: HIGH:MEDIUM:+3DES:!aNULL", "default: HIGH:*x*|!aNULL")
    shutil.copyfile(repo / "data/openssl/3.6.yaml", repo / "data/openssl/3.7.yaml")
    edit(repo, "openssl/3.7.yaml", 'series: "3.6"', 'series: "3.7"')
    edit(repo, "openssl/3.7.yaml", 'version: "3.6.5"', 'version: "3.7.0"')
    (repo / "data/openssl/1.0.0.yaml").unlink()


def test_two_commits_are_described_cell_by_cell(repo):
    change_some_facts(repo)
    try:
        commit(repo, "change")
    except subprocess.CalledProcessError as error:
        pytest.fail(error.stderr)
    text, both_checked = run(repo, "HEAD~1", "HEAD")
    assert both_checked, text
    lines = text.splitlines()
    assert lines[0].startswith("## Data changes: `HEAD~1 (") and lines[0].endswith(")`")
    assert "- **PostgreSQL** `18`: `eol`: `2030-11-14` → `2030-11-21`" in lines
    assert "- `3.6` × `TLS 1.3 (TLSv1.3)`: `On by default` → `On by default (inferred)`" in lines
    assert any(line.startswith("- Added **OpenSSL** `3.7`: `released`: ") for line in lines)
    assert "- Removed **OpenSSL** `1.0.0`" in lines
    assert "- Removed row `1.0.0`" in lines
    assert any(line.startswith("- New row `3.7`: `SSL 2.0`: `Not supported`; ") for line in lines)
    assert any(line.startswith("- New column `3.7`: ") for line in lines)  # the build matrix
    # Data text goes into code spans: no emphasis, links or HTML from a data file.
    assert "- `ssl_ciphers` × `9.4`: `HIGH:MEDIUM:+3DES:!aNULL` → `HIGH:*x*|!aNULL`" in lines
    assert ("- server `ssl_ciphers`: `versions 9.4–9.6 default`: `'HIGH:MEDIUM:+3DES:!aNULL'` → "
            "`'HIGH:*x*|!aNULL'`") in lines
    assert "#### PostgreSQL majors × OpenSSL series they build with" in lines


def test_default_compares_the_working_tree_with_the_merge_base_with_main(repo):
    git(repo, "checkout", "-q", "-b", "feature")
    edit(repo, "postgresql/18.yaml", 'eol: "2030-11-14"', 'eol: "2030-11-21"')
    commit(repo, "on the branch")
    edit(repo, "postgresql/17.yaml", 'reviewed: "2026-12-05"', 'reviewed: "2026-12-06"')  # not committed
    text, both_checked = run(repo)
    assert both_checked
    assert text.startswith("## Data changes: `merge base with main (")
    assert text.splitlines()[0].endswith(" → `working tree`")
    assert "- **PostgreSQL** `18`: `eol`: `2030-11-14` → `2030-11-21`" in text
    assert "- **PostgreSQL** `17`: `reviewed`: `2026-12-05` → `2026-12-06`" in text


def test_no_change_says_so(repo):
    text, both_checked = run(repo, "HEAD")
    assert both_checked
    assert text.splitlines()[-1] == "No data-level changes."


def test_a_side_that_fails_the_check_is_named_with_its_errors(repo):
    edit(repo, "postgresql/17.yaml", 'status: "off"', 'status: "of"')
    text, both_checked = run(repo, "HEAD")
    assert not both_checked
    assert "**`working tree` fails the check** (1 error(s))" in text
    error_line = next(line for line in text.splitlines() if line.startswith("data/postgresql/17.yaml:"))
    assert "did you mean off?" in error_line
    assert "### " not in text  # nothing compared


def test_symlinks_in_a_commit_are_not_followed(repo, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("not: data\n", encoding="utf-8")
    (repo / "data/openssl/9.9.yaml").symlink_to(secret)
    commit(repo, "a symlink")
    text, both_checked = run(repo, "HEAD~1", "HEAD")
    assert both_checked, text
    assert "9.9" not in text and "No data-level changes." in text


def test_an_unknown_revision_is_a_clear_error(repo):
    with pytest.raises(DiffError, match="'nope' is not a commit"):
        run(repo, "nope")


def test_without_git_the_error_says_git_cannot_run(repo, monkeypatch):
    # Not "'HEAD' is not a commit": the revision is fine, git is what is missing.
    monkeypatch.setenv("PATH", str(repo / "no-such-bin"))
    with pytest.raises(DiffError, match="^cannot run git"):
        run(repo, "HEAD", "HEAD")


def test_without_main_the_base_must_be_named(repo):
    git(repo, "branch", "-m", "main", "trunk")
    with pytest.raises(DiffError, match="name the base"):
        run(repo)


@pytest.mark.slow  # three subprocesses, each a check of two git trees
def test_the_command_line_exit_codes(repo):
    def diff(*args):
        env = dict(os.environ, PYTHONPATH=str(ROOT), **GIT_ENV)
        return subprocess.run([sys.executable, "-m", "macros", "diff", *args], cwd=repo, env=env,
                              capture_output=True, text=True, timeout=120)

    same = diff("HEAD")
    assert (same.returncode, same.stdout.splitlines()[-1]) == (0, "No data-level changes.")
    bad = diff("nope")
    assert bad.returncode == 2 and bad.stdout == "" and bad.stderr.startswith("diff: 'nope' is not a commit")
    edit(repo, "postgresql/17.yaml", 'status: "off"', 'status: "of"')
    failing = diff("HEAD")
    assert failing.returncode == 1 and "fails the check" in failing.stdout
    assert "Traceback" not in same.stderr + bad.stderr + failing.stderr
