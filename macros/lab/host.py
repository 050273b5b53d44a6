"""The machine side of a throwaway cluster: where the server programs are, which OS user runs them,
free ports, and running commands with a time limit."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
from pathlib import Path

SERVER_OS_USER_WHEN_ROOT = "postgres"


COMMAND_TIMEOUT = 60      # seconds, for any one helper command (openssl, initdb, psql)


class ClusterUnavailable(RuntimeError):
    """No usable PostgreSQL server programs (or openssl) on this machine; the message says why."""


class ClusterError(RuntimeError):
    """A server program failed; the message carries its output and the end of the server log."""


def find_bindir(bindir: str | os.PathLike | None = None) -> Path:
    """The directory with initdb/pg_ctl/postgres: argument, $PG_BINDIR, newest Debian dir, pg_config."""
    candidates = []
    if bindir:
        candidates.append(("argument", Path(bindir)))
    elif os.environ.get("PG_BINDIR"):
        candidates.append(("PG_BINDIR", Path(os.environ["PG_BINDIR"])))
    else:
        debian_dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_major_of_debian_dir)
        if debian_dirs:
            candidates.append(("/usr/lib/postgresql", Path(debian_dirs[-1])))
        pg_config_dir = _pg_config_bindir()
        if pg_config_dir:
            candidates.append(("pg_config --bindir", pg_config_dir))
    for origin, path in candidates:
        if all((path / program).is_file() for program in ("initdb", "pg_ctl", "postgres")):
            return path
    tried = ", ".join(f"{path} ({origin})" for origin, path in candidates) or "nothing found"
    raise ClusterUnavailable(f"no PostgreSQL server programs (initdb, pg_ctl, postgres); tried: {tried}")


def _major_of_debian_dir(path: str) -> tuple:
    # "/usr/lib/postgresql/9.6/bin" < ".../15/bin": compare numerically, not as text.
    name = Path(path).parent.name
    return tuple(int(part) if part.isdigit() else -1 for part in name.split("."))


def _pg_config_bindir() -> Path | None:
    pg_config = shutil.which("pg_config")
    if not pg_config:
        return None
    try:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True,
                             timeout=COMMAND_TIMEOUT, check=True).stdout.strip()
    except (subprocess.SubprocessError, OSError):
        return None
    return Path(out) if out else None


def unavailable_reason(bindir=None) -> str | None:
    """Why no throwaway cluster can run here (for test skips), or None when one can."""
    try:
        find_bindir(bindir)
        server_os_user()
    except ClusterUnavailable as exc:
        return str(exc)
    if not shutil.which("openssl"):
        return "the openssl command line program is not on PATH"
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(args: list[str], *, timeout: float = COMMAND_TIMEOUT, cwd=None, env=None,
        check: bool = True) -> subprocess.CompletedProcess:
    """Run a command with a bound on its time; ClusterError with its output when it fails."""
    try:
        result = subprocess.run(args, capture_output=True, text=True, timeout=timeout,
                                cwd=cwd, env=env, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        raise ClusterError(f"timed out after {timeout}s: {' '.join(args)}") from exc
    except FileNotFoundError as exc:
        raise ClusterUnavailable(f"program not found: {args[0]}") from exc
    if check and result.returncode != 0:
        raise ClusterError(f"exit {result.returncode}: {' '.join(args)}\n"
                           f"{result.stdout}{result.stderr}".rstrip())
    return result


def server_os_user() -> str | None:
    """The user the server programs run as: `postgres` when we are root, else None (ourselves)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVER_OS_USER_WHEN_ROOT)
    except KeyError:
        raise ClusterUnavailable("running as root, and there is no `postgres` user to run the "
                                 "server as (PostgreSQL refuses to run as root)") from None
    return SERVER_OS_USER_WHEN_ROOT


def as_server_user(args: list[str], os_user: str | None) -> list[str]:
    return ["runuser", "-u", os_user, "--", *args] if os_user else list(args)


def give_to(path: Path, os_user: str | None) -> None:
    if os_user:
        entry = pwd.getpwnam(os_user)
        os.chown(path, entry.pw_uid, entry.pw_gid)
