"""No network in tests: connections to anything but this machine raise NetworkBlocked.

tests/conftest.py installs the guard for the whole session. Loopback (127.0.0.0/8, ::1,
"localhost") and unix sockets stay open: the serve test talks to its own server and the
PostgreSQL tests to their own cluster. A host name other than localhost is refused without
being resolved. Every refused attempt is also recorded, so a test that swallows the exception
still fails (see the per-test check in conftest).
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket

attempts: list[str] = []


class NetworkBlocked(RuntimeError):
    """Not an OSError on purpose: retry loops and `except OSError` would hide it."""


def is_local(family: int, address) -> bool:
    if family == getattr(socket, "AF_UNIX", None):
        return True
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(str(host).split("%", 1)[0])  # "fe80::1%eth0" has a zone
    except ValueError:
        return False  # a name: reaching it would take a DNS query and the network
    mapped = getattr(ip, "ipv4_mapped", None)  # ::ffff:127.0.0.1
    return ip.is_loopback or bool(mapped and mapped.is_loopback)


def _refuse(address) -> None:
    attempts.append(repr(address))
    raise NetworkBlocked(f"tests may not use the network: connection to {address!r} refused")


@contextlib.contextmanager
def guard_network():
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_create_connection = socket.create_connection

    def connect(self, address):
        if not is_local(self.family, address):
            _refuse(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        if not is_local(self.family, address):
            _refuse(address)
        return real_connect_ex(self, address)

    def create_connection(address, *args, **kwargs):
        if not is_local(socket.AF_INET, address):
            _refuse(address)
        return real_create_connection(address, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
    socket.create_connection = create_connection
    try:
        yield
    finally:
        socket.socket.connect, socket.socket.connect_ex = real_connect, real_connect_ex
        socket.create_connection = real_create_connection
