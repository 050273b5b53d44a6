"""A throwaway PostgreSQL cluster with TLS, for probes and tests.

    with TemporaryCluster(settings={"ssl_min_protocol_version": "TLSv1"}) as cluster:
        cluster.psql("SHOW ssl")                 # as the superuser, over the private socket
        cluster.tls_conninfo(sslmode="verify-full")   # host=localhost ... sslrootcert=ca.crt
        cluster.apply_settings({...}); cluster.restart()
        cluster.log_text()                       # the server log

Everything lives in one temporary directory that is removed on exit, also on exceptions,
KeyboardInterrupt and SIGTERM. PostgreSQL refuses to run as root, so as root the server
programs run as the `postgres` user (runuser) in a directory that user owns; as any other
user they run directly. Never touches the system cluster: own data directory, a free port on
127.0.0.1 and a private unix socket directory.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from macros.lab.host import (
    ClusterError,
    ClusterUnavailable,
    as_server_user,
    find_bindir,
    free_port,
    give_to,
    run,
    server_os_user,
)
from macros.lab.tls_files import TlsFiles, make_tls_files

DEFAULT_USER = "tlsprobe"
START_TIMEOUT = 60        # seconds pg_ctl waits for the server to accept connections

# `hostssl` only: a TCP client without TLS is refused, so a test cannot pass in clear text.
DEFAULT_HBA_LINES = (
    "hostssl all all 127.0.0.1/32 trust",
    "hostssl all all ::1/128 trust",
)


# ---------------------------------------------------------------- finding the programs


# ---------------------------------------------------------------- running commands


# ---------------------------------------------------------------- certificates


# ---------------------------------------------------------------- postgresql.conf

def conf_value(value) -> str:
    """A postgresql.conf literal: booleans as on/off, numbers bare, everything else quoted."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, (int, float)):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def conf_lines(settings: dict) -> str:
    return "".join(f"{name} = {conf_value(value)}\n" for name, value in settings.items())


# ---------------------------------------------------------------- the cluster

class TemporaryCluster:
    """A PostgreSQL cluster with TLS in a temporary directory; use it as a context manager."""

    def __init__(self, bindir=None, settings: dict | None = None, *, user: str = DEFAULT_USER,
                 hba_lines: tuple[str, ...] | list[str] = DEFAULT_HBA_LINES,
                 base_dir: str | None = None, start_timeout: int = START_TIMEOUT,
                 server_env: dict | None = None):
        self.bindir = find_bindir(bindir)
        # None: the server inherits our environment. A dict: OPENSSL_CONF is dropped and these
        # variables set, so that only the build's own configuration counts (the lab).
        self.server_env = None if server_env is None else dict(server_env)
        self.psql_program = find_psql(self.bindir)
        if not shutil.which("openssl"):
            raise ClusterUnavailable("the openssl command line program is not on PATH")
        self.os_user = server_os_user()
        self.user = user                  # database superuser; also the client certificate CN
        self.settings = dict(settings or {})
        self.hba_lines = list(hba_lines)
        self.base_dir = base_dir
        self.start_timeout = start_timeout
        self.root: Path | None = None
        self.port: int | None = None
        self.tls: TlsFiles | None = None
        self.commands: list[list[str]] = []   # setup and server commands, in order, for the record
        self._previous_sigterm = None

    # -- paths
    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "postmaster.pid"     # present while a postmaster runs

    @property
    def extra_conf(self) -> Path:
        # Caller settings live in their own file, included from postgresql.conf, so each
        # apply_settings() replaces the previous set instead of piling up.
        return self.data_dir / "probe.conf"

    def program(self, name: str) -> str:
        return str(self.bindir / name)

    def environment_prefix(self) -> list[str]:
        if self.server_env is None:
            return []
        return ["env", "-u", "OPENSSL_CONF", *(f"{k}={v}" for k, v in sorted(self.server_env.items()))]

    # -- context manager
    def __enter__(self) -> "TemporaryCluster":
        self._catch_sigterm()
        try:
            self.create()
            self.start()
        except BaseException:
            self.destroy()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.destroy()

    def _catch_sigterm(self) -> None:
        # SIGTERM would kill Python without running __exit__; turn it into SystemExit instead.
        try:
            self._previous_sigterm = signal.signal(signal.SIGTERM, _exit_on_sigterm)
        except ValueError:            # not the main thread: signals cannot be set here
            self._previous_sigterm = None

    def _restore_sigterm(self) -> None:
        if self._previous_sigterm is not None:
            signal.signal(signal.SIGTERM, self._previous_sigterm)
            self._previous_sigterm = None

    # -- lifecycle
    def create(self) -> None:
        """Temporary directory, certificates, initdb, pg_hba.conf and postgresql.conf."""
        self.root = Path(tempfile.mkdtemp(prefix="pg-tls-probe-", dir=self.base_dir))
        self.root.chmod(0o755)        # the client (maybe another user) reads the CA file here
        give_to(self.root, self.os_user)
        self._check_server_user_can_write(self.root)
        self.socket_dir.mkdir(mode=0o755)
        give_to(self.socket_dir, self.os_user)
        self.tls = make_tls_files(self.root / "tls", self.user, self.os_user, runner=self._run)
        give_to(self.root / "tls", self.os_user)
        self.server(["initdb", "-D", str(self.data_dir), "-U", self.user, "-A", "trust",
                     "-E", "UTF8", "--no-locale", "--no-sync"])
        hba = "local all all trust\n" + "".join(line + "\n" for line in self.hba_lines)
        (self.data_dir / "pg_hba.conf").write_text(hba, encoding="utf-8")
        with open(self.data_dir / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write("\n# added by macros/lab/cluster.py\n" + conf_lines(self.base_settings())
                       + "include_if_exists = 'probe.conf'\n")
        self.apply_settings(self.settings)

    def _check_server_user_can_write(self, directory: Path) -> None:
        # A base_dir under a private parent (0700, e.g. pytest's tmp_path as root) would
        # otherwise fail later inside initdb with a less obvious message.
        if self.os_user and run(as_server_user(["test", "-w", str(directory), "-a", "-x", str(directory)],
                                               self.os_user), check=False).returncode != 0:
            raise ClusterUnavailable(f"the {self.os_user} user cannot reach {directory}: "
                                     "choose a base_dir whose parents it may enter")

    def base_settings(self) -> dict:
        """What create() appends to postgresql.conf before the caller's settings."""
        return {
            "listen_addresses": "127.0.0.1",
            "unix_socket_directories": str(self.socket_dir),
            "ssl": True,
            "ssl_ca_file": str(self.tls.ca_cert),
            "ssl_cert_file": str(self.tls.server_cert),
            "ssl_key_file": str(self.tls.server_key),
            "logging_collector": False,
            "max_connections": 20,
            "shared_buffers": "16MB",
            "fsync": False,
        }

    def apply_settings(self, settings: dict) -> None:
        """Replace the caller settings; takes effect on reload() or restart()."""
        self.settings = dict(settings)
        self.extra_conf.write_text(conf_lines(self.settings), encoding="utf-8")
        give_to(self.extra_conf, self.os_user)

    def start(self) -> None:
        """Start on a free port and wait until it accepts connections."""
        for attempt in range(3):
            self.port = free_port()
            try:
                self._pg_ctl("start")
                return
            except ClusterError:
                # Someone may have taken the port between free_port() and the bind: try another.
                if "could not bind" not in self.log_text() or attempt == 2:
                    raise

    def _pg_ctl(self, action: str) -> None:
        args = ["pg_ctl", action, "-D", str(self.data_dir), "-l", str(self.log_file),
                "-w", "-t", str(self.start_timeout), "-o", f"-p {self.port}"]
        if action == "restart":
            args += ["-m", "fast"]
        try:
            self.server(args, timeout=self.start_timeout + 30)
        except ClusterError as exc:
            raise ClusterError(f"{exc}\n--- end of server log ---\n{self.log_tail()}") from None

    def restart(self) -> None:
        self._pg_ctl("restart")

    def reload(self, timeout: float = 30) -> None:
        """Make the server reread its configuration, and wait until it has."""
        # pg_ctl reload only sends SIGHUP; pg_conf_load_time() moves once the postmaster reloaded,
        # and every connection opened after that sees the new values.
        before = self.psql("SELECT pg_conf_load_time()")
        self.server(["pg_ctl", "reload", "-D", str(self.data_dir)])
        deadline = time.monotonic() + timeout
        while self.psql("SELECT pg_conf_load_time()") == before:
            if time.monotonic() > deadline:
                raise ClusterError(f"the server did not reload its configuration within {timeout}s\n"
                                   f"--- end of server log ---\n{self.log_tail()}")
            time.sleep(0.05)

    def stop(self) -> None:
        if not self.pid_file.exists():
            return
        try:
            self.server(["pg_ctl", "stop", "-D", str(self.data_dir), "-m", "fast", "-w",
                         "-t", str(self.start_timeout)], timeout=self.start_timeout + 30)
        except ClusterError:
            self._kill_postmaster()       # a stuck server must not outlive its directory

    def _kill_postmaster(self) -> None:
        try:
            pid = int(self.pid_file.read_text().split()[0])
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError, IndexError):
            pass

    def destroy(self) -> None:
        """Stop the server and remove the directory; safe to call more than once."""
        try:
            if self.root is not None:
                self.stop()
        finally:
            if self.root is not None:
                shutil.rmtree(self.root, ignore_errors=True)
                self.root = None
            self._restore_sigterm()

    # -- talking to it
    def server(self, args: list[str], **kwargs) -> subprocess.CompletedProcess:
        """Run a server program from bindir as the server OS user, in our directory."""
        # cwd: the postgres user may not be allowed into the caller's working directory.
        kwargs.setdefault("cwd", self.root)
        command = [*self.environment_prefix(), self.program(args[0]), *args[1:]]
        return self._run(as_server_user(command, self.os_user), **kwargs)

    def _run(self, args: list[str], **kwargs) -> subprocess.CompletedProcess:
        self.commands.append(list(args))
        return run(args, **kwargs)

    def psql(self, sql: str, *, conninfo: str | None = None) -> str:
        """Run one statement with psql (default: superuser over the unix socket); returns its rows."""
        conninfo = conninfo or self.socket_conninfo()
        result = run([self.psql_program, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                      "-d", conninfo, "-c", sql])
        return result.stdout.strip()

    def show(self, setting: str) -> str:
        return self.psql(f"SHOW {setting}")

    def has_setting(self, name: str) -> bool:
        """Whether this server has the setting at all (ssl_library appeared in PostgreSQL 12)."""
        quoted = name.replace("'", "''")
        return self.psql(f"SELECT count(*) FROM pg_settings WHERE name = '{quoted}'") == "1"

    def socket_conninfo(self) -> str:
        return f"host={self.socket_dir} port={self.port} user={self.user} dbname=postgres"

    def tls_conninfo(self, sslmode: str = "verify-full", client_cert: bool = False, **extra) -> str:
        """A libpq connection string over TCP with TLS, verifying the server against our CA."""
        # host=localhost checks the DNS name in the certificate; hostaddr avoids trying ::1.
        params = {"host": "localhost", "hostaddr": "127.0.0.1", "port": self.port,
                  "user": self.user, "dbname": "postgres", "sslmode": sslmode,
                  "sslrootcert": self.tls.ca_cert}
        if client_cert:
            params.update(sslcert=self.tls.client_cert, sslkey=self.tls.client_key)
        params.update(extra)
        return " ".join(f"{key}={value}" for key, value in params.items())

    def log_text(self, since: int = 0) -> str:
        """The server log, from byte offset `since` (see log_size())."""
        try:
            with open(self.log_file, "rb") as log:
                log.seek(since)
                return log.read().decode("utf-8", errors="replace")
        except (OSError, TypeError):
            return ""

    def log_size(self) -> int:
        try:
            return self.log_file.stat().st_size
        except (OSError, TypeError, AttributeError):
            return 0

    def log_tail(self, lines: int = 20) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])


def find_psql(bindir: Path) -> str:
    """psql beside the server, else the one on PATH: any recent psql talks to older servers,
    and some builds ship only initdb, pg_ctl and postgres."""
    beside = bindir / "psql"
    if beside.is_file():
        return str(beside)
    found = shutil.which("psql") or ("/usr/bin/psql" if Path("/usr/bin/psql").is_file() else None)
    if not found:
        raise ClusterUnavailable(f"no psql in {bindir} nor on PATH (install postgresql-client)")
    return found


def _exit_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)
