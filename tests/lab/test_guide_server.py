"""The setup guide, executed for real against the PostgreSQL installed here (Debian 12: 15).

Everything comes from the guide's own snippet objects (macros/model/guide.py): the certificates are
made by running its commands, the server gets its postgresql.conf and pg_hba.conf lines, and the
client connects with its connection strings. The only changes are the ones a throwaway cluster
needs: the guide's host (db.example.com, port 5432) is reached at 127.0.0.1 on a free port
(`hostaddr`/`port` appended to the connection string, `-connect` rewritten for s_client).
Then every troubleshooting message the guide quotes for this major is provoked and compared,
word for word, with what the server or client prints.

Outside CI these tests skip when no server can run here; under CI=true they fail instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import skip_unless_ci

from macros.core.versions import openssl_series_of
from macros.lab.cluster import TemporaryCluster
from macros.lab.host import ClusterError, give_to, run, unavailable_reason
from macros.model.guide import conf_text, guide_snippets
from macros.model.guide_values import (
    CERT_USER,
    DATABASE,
    MESSAGE_VALUES,
    OTHER_CERT_USER,
    OTHER_NAME,
    PASSWORD_USER,
    PORT,
    SERVER_NAME,
    SSLINFO_SETUP,
)

PASSWORD = "guide-test-password"
TIMEOUT = 60
pytestmark = pytest.mark.server


# ---------------------------------------------------------------- the cluster, set up by the guide

def bash(commands, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the guide's shell lines exactly as printed, stopping at the first failure."""
    script = "set -euo pipefail\n" + "\n".join(commands) + "\n"
    return subprocess.run(["bash", "-c", script], cwd=cwd, env=dict(os.environ, **(env or {})),
                          capture_output=True, text=True, timeout=TIMEOUT, check=True,
                          stdin=subprocess.DEVNULL)


def openssl_series() -> str:
    """The series of the OpenSSL here (the server's library on Debian is the same package)."""
    version = run(["openssl", "version"]).stdout.split()[1]        # "OpenSSL 3.0.19 27 Jan 2026"
    return openssl_series_of(re.match(r"[0-9.]+[a-z]*", version).group(0))


def make_certificates(tab, directory: Path) -> Path:
    """A CA, a server and a client certificate, made by the guide's commands for this tab."""
    directory.mkdir(parents=True)
    bash(tab.content.ca_commands + tab.content.server_commands + tab.content.client_commands, directory)
    return directory


def make_client_certificate(tab, ca_directory: Path, directory: Path, user: str) -> Path:
    """Another client certificate from the same CA, for `user` (the guide's CN swapped)."""
    directory.mkdir(parents=True)
    for name in ("root.crt", "root.key"):
        shutil.copy(ca_directory / name, directory / name)
    bash([line.replace(f"/CN={CERT_USER}", f"/CN={user}") for line in tab.content.client_commands], directory)
    return directory


@pytest.fixture(scope="module")
def guide(dataset, tmp_path_factory):
    reason = unavailable_reason()
    if reason:
        skip_unless_ci(f"no throwaway PostgreSQL cluster can run here: {reason}")
    if os.geteuid() != 0:
        skip_unless_ci("the guide installs server.key for the postgres user: needs root")
    work = tmp_path_factory.mktemp("guide")
    with TemporaryCluster(hba_lines=()) as cluster:
        major = cluster.show("server_version").split()[0].rsplit(".", 1)[0]
        g = guide_snippets(dataset, major)
        series = openssl_series()
        tab = g.tab_for(series)
        assert tab is not None, f"the guide for {major} has no tab for OpenSSL {series}"
        certs = make_certificates(tab, work / "certs")
        bash(g.install_commands, certs, {"PGDATA": str(cluster.data_dir)})
        env = SimpleNamespace(cluster=cluster, g=g, tab=tab, major=major, certs=certs, work=work)
        configure(env, tab.content.postgresql_conf, g.hba_lines)
        cluster.psql(f"CREATE ROLE {PASSWORD_USER} LOGIN PASSWORD '{PASSWORD}'")
        cluster.psql(f"CREATE ROLE {CERT_USER} LOGIN")
        cluster.psql(f"CREATE DATABASE {DATABASE}")
        yield env


def configure(env, conf: dict, hba_lines) -> None:
    """The guide's postgresql.conf lines and pg_hba.conf lines, applied as the guide says."""
    cluster = env.cluster
    cluster.extra_conf.write_text(conf_text(conf), encoding="utf-8")
    give_to(cluster.extra_conf, cluster.os_user)
    # The harness's own socket line first, so that it can still administer the cluster.
    (cluster.data_dir / "pg_hba.conf").write_text(
        "local all all trust\n" + "".join(line + "\n" for line in hba_lines), encoding="utf-8")
    if env.g.apply == "reload":
        cluster.reload()
    else:
        cluster.restart()


def local(env, conninfo: str) -> str:
    """The guide's connection string, reaching db.example.com:5432 at this cluster's address."""
    assert f"host={SERVER_NAME}" in conninfo or "host=" not in conninfo
    return f"{conninfo} hostaddr=127.0.0.1 port={env.cluster.port}"


def psql(env, conninfo: str, sql: str = "SELECT 1", *, cwd: Path | None = None, extra_env=None,
         aligned: bool = False) -> subprocess.CompletedProcess:
    args = [env.cluster.program("psql"), "-X", "-v", "ON_ERROR_STOP=1", "-d", conninfo, "-c", sql]
    if not aligned:
        args[1:1] = ["-A", "-t"]
    # Only what the test gives: no PG* variable of the caller's shell may change the outcome.
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    environment.update(PGPASSWORD=PASSWORD, PGCONNECT_TIMEOUT="20")
    environment.update(extra_env or {})
    return subprocess.run(args, cwd=cwd or env.certs, env=environment, capture_output=True, text=True,
                          timeout=TIMEOUT, stdin=subprocess.DEVNULL)


def s_client(env, command: str) -> subprocess.CompletedProcess:
    command = command.replace(f"{SERVER_NAME}:{PORT}", f"127.0.0.1:{env.cluster.port}")
    return subprocess.run(["bash", "-c", command], cwd=env.certs, capture_output=True, text=True,
                          timeout=TIMEOUT)


def wait_for_log(env, since: int, text: str) -> str:
    """The server log after `since`, once it contains `text` (a refused handshake logs late)."""
    deadline = time.monotonic() + 10
    while text not in env.cluster.log_text(since) and time.monotonic() < deadline:
        time.sleep(0.05)
    return env.cluster.log_text(since)


# ---------------------------------------------------------------- the happy path

def test_verify_full_connects_and_pg_stat_ssl_shows_the_expected_output(guide):
    if guide.g.verify_setup:  # sslinfo (9.4): the guide has a superuser create it first
        guide.cluster.psql(SSLINFO_SETUP, conninfo=guide.cluster.socket_conninfo().replace(
            "dbname=postgres", f"dbname={DATABASE}"))
    result = psql(guide, local(guide, guide.g.connection("verify-full").conninfo),
                  "\n".join(guide.g.verify_sql), aligned=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip("\n") == guide.tab.content.expected_output.strip("\n")


# Connection strings that need nothing beyond sections 2 and 3 (mutual: section 7; system: a
# public CA; below-floor: must fail).
PLAIN_CONNECTIONS = ("verify-full", "floor", "direct")


def test_every_plain_connection_string_connects_over_tls(guide):
    tried = 0
    for connection in guide.g.connections:
        if connection.id in PLAIN_CONNECTIONS:
            result = psql(guide, local(guide, connection.conninfo),
                          "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            assert (result.returncode, result.stdout.strip()) == (0, "t"), (connection.id, result.stderr)
            tried += 1
    assert tried >= 1


def test_environment_variables_connect_the_same_way(guide):
    result = psql(guide, local(guide, guide.g.connection("environment").conninfo), "SHOW ssl",
                  extra_env=dict(guide.g.env))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "on"


def test_the_server_reports_its_ssl_library(guide):
    assert guide.cluster.show("ssl_library") == "OpenSSL"


def test_s_client_verifies_the_certificate(guide):
    command = guide.tab.content.verify_command
    assert command, f"OpenSSL {guide.tab.first} has s_client -starttls postgres"
    result = s_client(guide, command)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    for line in guide.tab.content.verify_expected:
        assert line in output


def test_a_client_capped_below_the_floor_is_refused(guide):
    connection = guide.g.connection("below-floor")
    command = guide.tab.content.below_floor_command
    assert connection or command, f"the guide for {guide.major} shows how to check the floor"
    since = guide.cluster.log_size()
    if connection:    # libpq 13 and later can cap its own protocol
        result = psql(guide, local(guide, connection.conninfo))
    else:
        result = s_client(guide, command)
    assert result.returncode != 0
    assert "Protocol version:" not in result.stdout + result.stderr
    trouble = quoted(guide, "below-floor")
    log = wait_for_log(guide, since, trouble.server[0])
    for line in trouble.server:
        assert line in log


def test_mutual_tls_with_cert_authentication(guide):
    configure(guide, guide.tab.content.postgresql_conf, guide.g.mtls_hba_lines + guide.g.hba_lines)
    try:
        result = psql(guide, local(guide, guide.g.connection("mutual").conninfo),
                      "SELECT ssl, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                      extra_env={"PGPASSWORD": ""})  # the certificate alone must do
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"t|/CN={CERT_USER}"
    finally:
        configure(guide, guide.tab.content.postgresql_conf, guide.g.hba_lines)


def handshake(env, flag: str) -> str:
    """s_client forcing one protocol, at security level 0 so that only the server decides."""
    result = s_client(env, f"openssl s_client -starttls postgres -connect {SERVER_NAME}:{PORT} "
                           f"{flag} -cipher DEFAULT@SECLEVEL=0 -brief < /dev/null")
    return result.stdout + result.stderr


def test_every_hardening_profile_accepts_its_floor_and_refuses_below_it(guide, dataset):
    assert guide.tab.content.profiles, f"no profile offered for OpenSSL {guide.tab.first}"
    try:
        for snippet in guide.tab.content.profiles:
            configure(guide, snippet.postgresql_conf, guide.g.hba_lines)
            floor = dataset.protocol(snippet.profile.min_protocol)
            output = handshake(guide, floor.s_client_flag)
            assert f"Protocol version: {floor.id}" in output, (snippet.profile.id, output)
            below = dataset.protocols[dataset.protocol_index(floor.id) - 1]
            if below.pg_value:  # SSL 3.0 and older: no client here can even offer them
                output = handshake(guide, below.s_client_flag)
                assert "Protocol version:" not in output, (snippet.profile.id, output)
    finally:
        configure(guide, guide.tab.content.postgresql_conf, guide.g.hba_lines)


def test_the_intermediate_cipher_list_alone_shuts_out_tls_1_0_and_1_1(guide, dataset):
    # What the guides for majors without ssl_min_protocol_version rely on. Here the floor is
    # lowered and the security level too, so that only the cipher list can refuse.
    intermediate = next(p for p in guide.tab.content.profiles if p.profile.id == "intermediate")
    conf = dict(intermediate.postgresql_conf, ssl_min_protocol_version="TLSv1",
                ssl_ciphers=intermediate.postgresql_conf["ssl_ciphers"] + ":@SECLEVEL=0")
    configure(guide, conf, guide.g.hba_lines)
    try:
        for protocol_id, connects in (("TLSv1", False), ("TLSv1.1", False), ("TLSv1.2", True)):
            output = handshake(guide, dataset.protocol(protocol_id).s_client_flag)
            assert (f"Protocol version: {protocol_id}" in output) == connects, (protocol_id, output)
    finally:
        configure(guide, guide.tab.content.postgresql_conf, guide.g.hba_lines)


# ---------------------------------------------------------------- troubleshooting, word for word

def quoted(env, message_id: str):
    trouble = next((t for t in env.g.troubles if t.message.id == message_id), None)
    if trouble is None:
        # The guide for the major CI runs must quote every message: a silent skip would hide a
        # guide that stopped quoting one.
        skip_unless_ci(f"the guide for {env.major} does not quote {message_id}")
    return trouble


def provoke_key_permissions(env, trouble):
    key = env.cluster.data_dir / "server.key"
    key.chmod(0o644)
    try:
        with pytest.raises(ClusterError):
            env.cluster.restart()
        return "", env.cluster.log_text()
    finally:
        key.chmod(0o600)
        env.cluster.start()


def provoke_hostname_mismatch(env, trouble):
    conninfo = env.g.connection("verify-full").conninfo.replace(f"host={SERVER_NAME}", f"host={OTHER_NAME}")
    return psql(env, f"{conninfo} hostaddr=127.0.0.1 port={env.cluster.port}").stderr, ""


def provoke_unknown_ca(env, trouble):
    other = make_certificates(env.tab, env.work / "other-ca")
    conninfo = env.g.connection("verify-full").conninfo.replace("sslrootcert=root.crt",
                                                                f"sslrootcert={other / 'root.crt'}")
    since = env.cluster.log_size()
    stderr = psql(env, local(env, conninfo)).stderr
    return stderr, wait_for_log(env, since, trouble.server[0] if trouble.server else "")


def provoke_root_missing(env, trouble):
    home = env.work / "home"
    home.mkdir(exist_ok=True)
    conninfo = env.g.connection("verify-full").conninfo.replace(" sslrootcert=root.crt", "")
    stderr = psql(env, local(env, conninfo), extra_env={"HOME": str(home)}).stderr
    # libpq prints the real path of the default file, not the guide's example path.
    return stderr.replace(f"{home}/.postgresql/root.crt", MESSAGE_VALUES["root_file"]), ""


def provoke_below_floor(env, trouble):
    since = env.cluster.log_size()
    stderr = psql(env, local(env, env.g.connection("below-floor").conninfo)).stderr
    return stderr, wait_for_log(env, since, trouble.server[0])


def provoke_tls10_openssl3(env, trouble):
    # The situation the entry describes: the floor lowered to TLS 1.0, the security level not.
    configure(env, dict(env.tab.content.postgresql_conf, ssl_min_protocol_version="TLSv1",
                        ssl_ciphers="HIGH:MEDIUM:+3DES:!aNULL"), env.g.hba_lines)
    try:
        since = env.cluster.log_size()
        result = s_client(env, f"openssl s_client -starttls postgres -connect {SERVER_NAME}:{PORT} "
                               "-tls1 -cipher DEFAULT@SECLEVEL=0 -brief < /dev/null")
        return result.stdout + result.stderr, wait_for_log(env, since, trouble.server[0])
    finally:
        configure(env, env.tab.content.postgresql_conf, env.g.hba_lines)


def provoke_ssl_required(env, trouble):
    configure(env, dict(env.tab.content.postgresql_conf, ssl="off"), env.g.hba_lines)
    try:
        conninfo = env.g.connection("verify-full").conninfo.replace("sslmode=verify-full", "sslmode=require")
        return psql(env, local(env, conninfo)).stderr, ""
    finally:
        configure(env, env.tab.content.postgresql_conf, env.g.hba_lines)


def provoke_client_cert_required(env, trouble):
    configure(env, env.tab.content.postgresql_conf, env.g.mtls_hba_lines + env.g.hba_lines)
    try:
        since = env.cluster.log_size()
        stderr = psql(env, local(env, env.g.connection("verify-full").conninfo)).stderr
        return stderr, wait_for_log(env, since, trouble.server[0])
    finally:
        configure(env, env.tab.content.postgresql_conf, env.g.hba_lines)


def provoke_cert_auth_failed(env, trouble):
    other = make_client_certificate(env.tab, env.certs, env.work / "bob", OTHER_CERT_USER)
    configure(env, env.tab.content.postgresql_conf, env.g.mtls_hba_lines + env.g.hba_lines)
    try:
        conninfo = (env.g.connection("mutual").conninfo
                    .replace("sslcert=client.crt", f"sslcert={other / 'client.crt'}")
                    .replace("sslkey=client.key", f"sslkey={other / 'client.key'}"))
        since = env.cluster.log_size()
        stderr = psql(env, local(env, conninfo)).stderr
        return stderr, wait_for_log(env, since, trouble.server[0])
    finally:
        configure(env, env.tab.content.postgresql_conf, env.g.hba_lines)


SCENARIOS = {
    "key-permissions": provoke_key_permissions,
    "hostname-mismatch": provoke_hostname_mismatch,
    "unknown-ca": provoke_unknown_ca,
    "root-missing": provoke_root_missing,
    "below-floor": provoke_below_floor,
    "tls10-openssl3": provoke_tls10_openssl3,
    "ssl-required": provoke_ssl_required,
    "client-cert-required": provoke_client_cert_required,
    "cert-auth-failed": provoke_cert_auth_failed,
}


def test_every_quoted_message_has_a_scenario(guide):
    assert sorted(t.message.id for t in guide.g.troubles if t.message.id not in SCENARIOS) == []


@pytest.mark.parametrize("message_id", sorted(SCENARIOS))
def test_troubleshooting_message_is_what_postgresql_prints(guide, message_id):
    trouble = quoted(guide, message_id)
    client, server = SCENARIOS[message_id](guide, trouble)
    for line in trouble.client:
        assert line in client, f"client printed:\n{client}"
    for line in trouble.server:
        assert line in server, f"server log:\n{server[-3000:]}"
