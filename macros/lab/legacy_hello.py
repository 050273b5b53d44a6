"""SSL 2.0 and SSL 3.0 offers, which OpenSSL 3's s_client can no longer make.

PostgreSQL's STARTTLS: the client sends SSLRequest (00 00 00 08 04 d2 16 2f), the server answers
one byte, 'S', and the TLS handshake runs on the same socket. SSL 3.0 goes through tlslite-ng
(requirements-lab.lock), a pure-Python TLS library that can still build SSL 3.0 ClientHellos;
SSL 2.0 is a CLIENT-HELLO written here by hand (RFC-less: draft-hickman-netscape-ssl-00), since
no installable client offers it, and only the first reply byte pair is read: a SERVER-HELLO
means accepted, anything else (an alert, a closed connection) refused.
"""

from __future__ import annotations

import os
import socket

SSL_REQUEST = bytes.fromhex("0000000804d2162f")
TIMEOUT = 10  # seconds for one connection
SSL2_CLIENT = "SSL 2.0 CLIENT-HELLO (macros/lab/legacy_hello.py)"
# SSL 2.0 cipher kinds: RC4_128_WITH_MD5, RC4_128_EXPORT40, RC2_128_CBC, DES_192_EDE3_CBC, DES_64_CBC.
SSL2_CIPHERS = bytes.fromhex("010080" "020080" "030080" "0700c0" "060040")
TLS_ALERT_RECORD = 0x15
SSL2_SERVER_HELLO = 4


def tlslite_client() -> str | None:
    """"tlslite-ng 0.8.2" when it can be imported, else None."""
    try:
        import tlslite
    except ImportError:
        return None
    return f"tlslite-ng {tlslite.__version__}"


def starttls(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    sock.sendall(SSL_REQUEST)
    answer = sock.recv(1)
    if answer != b"S":
        sock.close()
        raise ConnectionError(f"the server answered {answer!r} to SSLRequest, not 'S'")
    return sock


def offer_ssl3(port: int) -> dict:
    client = tlslite_client()
    if client is None:
        return {"outcome": "client-cannot-offer", "error": "tlslite-ng is not installed "
                "(pip install --require-hashes -r requirements-lab.lock)"}
    from tlslite.api import HandshakeSettings, TLSConnection
    from tlslite.errors import TLSAbruptCloseError, TLSLocalAlert, TLSRemoteAlert
    settings = HandshakeSettings()
    settings.minVersion = settings.maxVersion = (3, 0)
    # What an SSL 3.0 client offered: tlslite's defaults are TLS 1.2-era.
    settings.cipherNames = ["aes256", "aes128", "3des", "rc4"]
    settings.macNames = ["sha", "md5"]
    with starttls(port) as sock:
        connection = TLSConnection(sock)
        try:
            connection.handshakeClientCert(settings=settings)
        except TLSRemoteAlert as exc:
            return {"outcome": "refused", "error": f"server alert {exc}", "client": client}
        except TLSAbruptCloseError:
            return {"outcome": "refused", "error": "the server closed the connection", "client": client}
        except TLSLocalAlert as exc:
            return {"outcome": "client-aborted", "error": f"client alert {exc}", "client": client}
        result = {"outcome": "accepted", "negotiated": "SSLv3", "client": client}
        cipher = connection.getCipherName()
        if cipher:
            result["cipher"] = cipher.replace(" ", "_")
        connection.close()
        return result


def ssl2_client_hello() -> bytes:
    challenge = os.urandom(16)
    body = (bytes([1]) + (2).to_bytes(2, "big") + len(SSL2_CIPHERS).to_bytes(2, "big")
            + (0).to_bytes(2, "big") + len(challenge).to_bytes(2, "big") + SSL2_CIPHERS + challenge)
    return (0x8000 | len(body)).to_bytes(2, "big") + body


def ssl2_outcome(reply: bytes) -> dict:
    """What the first bytes of the server's reply to an SSL 2.0 CLIENT-HELLO say."""
    if len(reply) >= 3 and reply[0] & 0x80 and reply[2] == SSL2_SERVER_HELLO:
        return {"outcome": "accepted", "negotiated": "SSLv2", "client": SSL2_CLIENT}
    if reply[:1] == bytes([TLS_ALERT_RECORD]):
        detail = f" (alert {reply[6]})" if len(reply) >= 7 else ""
        return {"outcome": "refused", "error": f"server alert{detail}", "client": SSL2_CLIENT}
    if not reply:
        return {"outcome": "refused", "error": "the server closed the connection", "client": SSL2_CLIENT}
    return {"outcome": "refused", "error": f"no SERVER-HELLO (reply starts {reply[:3].hex()})",
            "client": SSL2_CLIENT}


def offer_ssl2(port: int) -> dict:
    with starttls(port) as sock:
        sock.sendall(ssl2_client_hello())
        try:
            reply = sock.recv(16)
        except (ConnectionResetError, socket.timeout):
            reply = b""
    return ssl2_outcome(reply)


LEGACY_OFFERS = {"SSLv2": offer_ssl2, "SSLv3": offer_ssl3}
