"""The session-wide guard (tests/network_guard.py, installed by conftest) refuses the network.

Addresses are from the documentation ranges (192.0.2.0/24, 2001:db8::/32): even without the
guard nothing would answer there, so a test that passes cannot have reached anything.
"""

from __future__ import annotations

import socket
import threading
import urllib.request

import pytest

from network_guard import NetworkBlocked, attempts


@pytest.fixture
def refused():
    """Expect refusals in this test and take them off the record the per-test check reads."""
    before = len(attempts)
    yield lambda: attempts[before:]
    del attempts[before:]


@pytest.mark.parametrize("address", [("192.0.2.1", 443), ("2001:db8::1", 443, 0, 0), ("example.org", 80),
                                     ("10.0.0.1", 5432), ("::ffff:192.0.2.1", 80, 0, 0)])
def test_connect_off_this_machine_is_refused(address, refused):
    family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        with pytest.raises(NetworkBlocked):
            sock.connect(address)
        with pytest.raises(NetworkBlocked):
            sock.connect_ex(address)
    assert len(refused()) == 2


def test_create_connection_and_urllib_are_refused(refused):
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with pytest.raises(NetworkBlocked):
        opener.open("http://192.0.2.1/", timeout=1)
    assert len(refused()) == 2


def test_a_swallowed_refusal_is_still_recorded(refused):
    try:
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    except Exception:  # code under test that hides errors
        pass
    assert refused() == [repr(("192.0.2.1", 80))]


def _echo_server(family, host):
    server = socket.socket(family, socket.SOCK_STREAM)
    server.bind((host, 0))
    server.listen(1)

    def answer():
        connection, _ = server.accept()
        with connection:
            connection.sendall(connection.recv(16))
    threading.Thread(target=answer, daemon=True).start()
    return server


@pytest.mark.parametrize("family,host", [(socket.AF_INET, "127.0.0.1"), (socket.AF_INET, "127.1.2.3")])
def test_loopback_stays_open(family, host):
    server = _echo_server(family, host)
    with server, socket.create_connection(server.getsockname()[:2], timeout=10) as client:
        client.sendall(b"ping")
        assert client.recv(16) == b"ping"


def test_ipv6_loopback_and_localhost_stay_open():
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    try:
        server = _echo_server(socket.AF_INET6, "::1")
    except OSError:
        pytest.skip("::1 is not configured here")
    with server, socket.socket(socket.AF_INET6) as client:
        client.settimeout(10)
        client.connect(("::1", server.getsockname()[1]))
        client.sendall(b"v6")
        assert client.recv(16) == b"v6"


def test_unix_sockets_stay_open(tmp_path):
    path = str(tmp_path / "s")
    with socket.socket(socket.AF_UNIX) as server, socket.socket(socket.AF_UNIX) as client:
        server.bind(path)
        server.listen(1)
        client.connect(path)
        connection, _ = server.accept()
        with connection:
            client.sendall(b"unix")
            assert connection.recv(16) == b"unix"
