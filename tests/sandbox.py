"""Run the project's commands in a throw-away copy, as a contributor would, with hard limits.

Used by the hostile-data, atomic-build, reproducibility and serve tests. A child process gets a
memory ceiling (RLIMIT_AS) and the caller a timeout, so a file that makes the loader hang or
balloon fails a test instead of taking the machine down.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, skip_unless_ci

PROJECT_PARTS = ("mkdocs.yml", "docs", "macros", "data", "overrides")
MEMORY_LIMIT = 1 << 30  # 1 GiB of address space: the real check needs about 100 MiB
TIMEOUT = 300  # seconds; a normal check takes 1, a build 5
# `path:line:col: rule: message`, the only shape of line the check prints on stdout.
PROBLEM_LINE = re.compile(r"(?P<path>[^:\s][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<rule>[a-z][a-z0-9-]*): \S.*")
# Subprocesses cannot be patched like the tests' own sockets (tests/conftest.py); a proxy that
# points at a closed loopback port makes any HTTP(S) fetch through urllib/requests fail loudly.
NO_NETWORK_ENV = {name: "http://127.0.0.1:9" for name in
                  ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")}


def copy_project(target: Path, origin: Path = ROOT) -> Path:
    """The parts of the project a build reads, copied from `origin` to `target` (created)."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = origin / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / part)
    return target


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def child_env(code_dir: Path, **extra: str) -> dict:
    """The environment of a child: our code from `code_dir`, no MkDocs 2 banner, no network."""
    return dict(os.environ, PYTHONPATH=str(code_dir), NO_MKDOCS_2_WARNING="1", **NO_NETWORK_ENV) | extra


def run_limited(command: list[str], cwd: Path, code_dir: Path | None = None, timeout: int = TIMEOUT,
                **env: str) -> subprocess.CompletedProcess:
    """Run with the memory ceiling; TimeoutExpired (a test failure) if it outlives `timeout`."""
    return subprocess.run(command, cwd=cwd, env=child_env(code_dir or cwd, **env), capture_output=True,
                          text=True, errors="replace", timeout=timeout, preexec_fn=_limit_memory)


def run_check(workdir: Path, code_dir: Path = ROOT) -> subprocess.CompletedProcess:
    """`python -m macros check data` in `workdir`, so messages say `data/...` as they do for users."""
    return run_limited([sys.executable, "-m", "macros", "check", "data"], workdir, code_dir)


def mkdocs_build(project: Path, site_dir: Path, **env: str) -> subprocess.CompletedProcess:
    return run_limited([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                        "--site-dir", str(site_dir)], project, **env)


def bare_zensical_build(project: Path) -> subprocess.CompletedProcess:
    """`zensical build` as a user runs it: no Makefile, no PYTHONPATH (it must find `macros` itself)."""
    zensical = ROOT / ".venv" / "bin" / "zensical"
    if not zensical.exists():
        skip_unless_ci("zensical is not installed in .venv (requirements.lock pins it)")
    return run_limited([str(zensical), "build"], project, PYTHONPATH="")


def run_make(project: Path, target: str, **env: str) -> subprocess.CompletedProcess:
    """`make <target>` in a project copy that borrows the real virtualenv (no install, no network)."""
    if not (project / ".venv").exists():
        (project / ".venv").symlink_to(ROOT / ".venv")
        for name in ("Makefile", "requirements.lock"):
            shutil.copy2(ROOT / name, project / name)  # copy2 keeps the lock older than .venv/.installed
    return run_limited(["make", "--no-print-directory", target], project, **env)
