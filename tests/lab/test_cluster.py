"""macros/lab/cluster.py: helpers without a server, then a real throwaway cluster.

The real tests skip when no PostgreSQL server programs are installed, except under CI=true,
where a missing server is a broken CI image and must fail.
"""

import os
import selectors
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT, skip_unless_ci

from macros.lab.cluster import TemporaryCluster, conf_lines, conf_value
from macros.lab.host import (
    ClusterError,
    ClusterUnavailable,
    _major_of_debian_dir,
    as_server_user,
    find_bindir,
    free_port,
    unavailable_reason,
)


def require_postgresql():
    reason = unavailable_reason()
    if reason:
        skip_unless_ci(f"no throwaway PostgreSQL cluster can run here: {reason}")


# ---------------------------------------------------------------- no server needed

def fake_bindir(path: Path) -> Path:
    path.mkdir(parents=True)
    for program in ("initdb", "pg_ctl", "postgres"):
        (path / program).write_text("")
    return path


def test_find_bindir_takes_the_argument_first(tmp_path, monkeypatch):
    monkeypatch.setenv("PG_BINDIR", str(fake_bindir(tmp_path / "env")))
    assert find_bindir(fake_bindir(tmp_path / "arg")) == tmp_path / "arg"


def test_find_bindir_takes_pg_bindir_without_argument(tmp_path, monkeypatch):
    monkeypatch.setenv("PG_BINDIR", str(fake_bindir(tmp_path / "env")))
    assert find_bindir() == tmp_path / "env"


def test_find_bindir_says_what_it_tried(tmp_path):
    with pytest.raises(ClusterUnavailable, match="no PostgreSQL server programs.*nowhere"):
        find_bindir(tmp_path / "nowhere")


def test_debian_dirs_sort_by_number_not_text():
    dirs = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/9.6/bin", "/usr/lib/postgresql/10/bin"]
    assert sorted(dirs, key=_major_of_debian_dir)[-1] == "/usr/lib/postgresql/15/bin"


@pytest.mark.parametrize("value, literal", [
    (True, "on"), (False, "off"), (20, "20"), ("TLSv1", "'TLSv1'"),
    ("DEFAULT:@SECLEVEL=0", "'DEFAULT:@SECLEVEL=0'"), ("it's", "'it''s'"),
])
def test_conf_value(value, literal):
    assert conf_value(value) == literal


def test_conf_lines_keep_the_given_order():
    assert conf_lines({"ssl": True, "ssl_min_protocol_version": "TLSv1"}) == \
        "ssl = on\nssl_min_protocol_version = 'TLSv1'\n"


def test_as_server_user_uses_runuser_only_for_another_user():
    assert as_server_user(["initdb"], None) == ["initdb"]
    assert as_server_user(["initdb", "-D", "x"], "postgres") == ["runuser", "-u", "postgres", "--", "initdb", "-D", "x"]


def test_free_port_is_bindable():
    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


# ---------------------------------------------------------------- a real cluster

@pytest.mark.server
def test_real_cluster_verify_full_and_pg_stat_ssl():
    require_postgresql()
    with TemporaryCluster() as cluster:
        root = cluster.root
        conninfo = cluster.tls_conninfo(sslmode="verify-full", client_cert=True)
        row = cluster.psql("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                           conninfo=conninfo)
        ssl, version = row.split("|")
        assert ssl == "t"
        assert version.startswith("TLSv")
        assert "ready to accept connections" in cluster.log_text()
        port = cluster.port
    assert not root.exists()
    assert not port_is_open(port)


@pytest.mark.server
def test_real_cluster_settings_restart_and_reload():
    require_postgresql()
    with TemporaryCluster(settings={"ssl_min_protocol_version": "TLSv1.3"}) as cluster:
        assert cluster.show("ssl_min_protocol_version") == "TLSv1.3"
        cluster.apply_settings({"ssl_min_protocol_version": "TLSv1.2"})
        cluster.reload()
        assert cluster.show("ssl_min_protocol_version") == "TLSv1.2"
        cluster.apply_settings({"ssl_max_protocol_version": "TLSv1.2"})
        cluster.restart()
        assert cluster.show("ssl_max_protocol_version") == "TLSv1.2"


@pytest.mark.server
def test_real_cluster_is_removed_when_the_body_raises():
    require_postgresql()
    with pytest.raises(RuntimeError, match="boom"):
        with TemporaryCluster() as cluster:
            root, port = cluster.root, cluster.port
            raise RuntimeError("boom")
    assert not root.exists()
    assert not port_is_open(port)


@pytest.mark.server
def test_real_cluster_that_cannot_start_says_why_and_cleans_up():
    require_postgresql()
    base_dir = Path(tempfile.mkdtemp(prefix="pg-tls-probe-test-"))
    try:
        base_dir.chmod(0o755)            # the postgres user must be able to enter it
        with pytest.raises(ClusterError, match="end of server log") as raised:
            with TemporaryCluster(settings={"ssl_min_protocol_version": "TLSv9"}, base_dir=str(base_dir)):
                pass
        assert "ssl_min_protocol_version" in str(raised.value)
        assert list(base_dir.iterdir()) == []
    finally:
        shutil.rmtree(base_dir, ignore_errors=True)


@pytest.mark.server
def test_real_cluster_refuses_a_base_dir_the_server_user_cannot_enter(tmp_path):
    require_postgresql()
    if os.geteuid() != 0:
        pytest.skip("only as root does the server run as another user")
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    with pytest.raises(ClusterUnavailable, match="cannot reach"):
        with TemporaryCluster(base_dir=str(private)):
            pass


@pytest.mark.server
def test_real_cluster_is_removed_on_sigterm():
    require_postgresql()
    child_code = ("from macros.lab.cluster import TemporaryCluster\n"
                  "import time\n"
                  "with TemporaryCluster() as c:\n"
                  "    print(c.root, c.port, flush=True)\n"
                  "    time.sleep(600)\n")
    child = subprocess.Popen([sys.executable, "-c", child_code], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = read_line(child, timeout=120)
        root, port = Path(line.split()[0]), int(line.split()[1])
        assert root.exists()
        child.terminate()
        child.wait(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=30)
    assert not root.exists()
    assert not port_is_open(port)


def read_line(child: subprocess.Popen, timeout: float) -> str:
    """The child's first stdout line, waiting at most `timeout` seconds."""
    with selectors.DefaultSelector() as selector:
        selector.register(child.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            raise AssertionError(f"the child printed nothing within {timeout}s")
    line = child.stdout.readline()
    if not line:
        raise AssertionError(f"the child exited without output: {child.stderr.read()}")
    return line


def port_is_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(5)
        return sock.connect_ex(("127.0.0.1", port)) == 0
