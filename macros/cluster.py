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

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

DEFAULT_USER = "tlsprobe"
SERVER_OS_USER_WHEN_ROOT = "postgres"
COMMAND_TIMEOUT = 60      # seconds, for any one helper command (openssl, initdb, psql)
START_TIMEOUT = 60        # seconds pg_ctl waits for the server to accept connections
CERT_DAYS = 7

# `hostssl` only: a TCP client without TLS is refused, so a test cannot pass in clear text.
DEFAULT_HBA_LINES = (
    "hostssl all all 127.0.0.1/32 trust",
    "hostssl all all ::1/128 trust",
)

# Our own openssl config, so the certificates do not depend on the system openssl.cnf.
OPENSSL_CNF = """\
[req]
distinguished_name = dn
prompt = no
[dn]
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
authorityKeyIdentifier = keyid
[client_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
"""


class ClusterUnavailable(RuntimeError):
    """No usable PostgreSQL server programs (or openssl) on this machine; the message says why."""


class ClusterError(RuntimeError):
    """A server program failed; the message carries its output and the end of the server log."""


# ---------------------------------------------------------------- finding the programs

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


# ---------------------------------------------------------------- running commands

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


# ---------------------------------------------------------------- certificates

@dataclass(frozen=True)
class TlsFiles:
    ca_cert: Path
    ca_key: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path


def make_tls_files(directory: Path, client_cn: str, os_user: str | None = None, runner=run) -> TlsFiles:
    """A private CA, a server certificate for localhost/127.0.0.1 and a client certificate."""
    directory.mkdir(parents=True, exist_ok=True)
    cnf = directory / "openssl.cnf"
    cnf.write_text(OPENSSL_CNF, encoding="utf-8")
    files = TlsFiles(*(directory / name for name in (
        "ca.crt", "ca.key", "server.crt", "server.key", "client.crt", "client.key")))
    runner(["openssl", "req", "-x509", "-new", "-newkey", "rsa:2048", "-nodes", "-sha256",
         "-days", str(CERT_DAYS), "-subj", "/CN=tls-probe test CA", "-config", str(cnf),
         "-extensions", "ca_ext", "-keyout", str(files.ca_key), "-out", str(files.ca_cert)])
    _issue(runner, files, cnf, "/CN=localhost", "server_ext", files.server_cert, files.server_key, 2)
    _issue(runner, files, cnf, f"/CN={client_cn}", "client_ext", files.client_cert, files.client_key, 3)
    for path in directory.iterdir():
        # The server refuses a key readable by others; libpq refuses it for the client key too.
        path.chmod(0o600 if path.suffix == ".key" else 0o644)
        give_to(path, os_user)
    return files


def _issue(runner, files: TlsFiles, cnf: Path, subject: str, extensions: str,
           cert: Path, key: Path, serial: int) -> None:
    csr = cert.with_suffix(".csr")
    runner(["openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-sha256", "-subj", subject,
         "-config", str(cnf), "-keyout", str(key), "-out", str(csr)])
    runner(["openssl", "x509", "-req", "-sha256", "-days", str(CERT_DAYS), "-in", str(csr),
         "-CA", str(files.ca_cert), "-CAkey", str(files.ca_key), "-set_serial", str(serial),
         "-extfile", str(cnf), "-extensions", extensions, "-out", str(cert)])
    csr.unlink()


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
                 base_dir: str | None = None, start_timeout: int = START_TIMEOUT):
        self.bindir = find_bindir(bindir)
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
            conf.write("\n# added by macros/cluster.py\n" + conf_lines(self.base_settings())
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
        return self._run(as_server_user([self.program(args[0]), *args[1:]], self.os_user), **kwargs)

    def _run(self, args: list[str], **kwargs) -> subprocess.CompletedProcess:
        self.commands.append(list(args))
        return run(args, **kwargs)

    def psql(self, sql: str, *, conninfo: str | None = None) -> str:
        """Run one statement with psql (default: superuser over the unix socket); returns its rows."""
        conninfo = conninfo or self.socket_conninfo()
        result = run([self.program("psql"), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                      "-d", conninfo, "-c", sql])
        return result.stdout.strip()

    def show(self, setting: str) -> str:
        return self.psql(f"SHOW {setting}")

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


def _exit_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)
