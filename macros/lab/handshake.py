"""One forced handshake with openssl s_client -starttls postgres, and what the server logged about it."""

from __future__ import annotations

import re
import subprocess
import sys
import time

from macros.lab.cluster import TemporaryCluster
from macros.lab.legacy_hello import LEGACY_OFFERS

HANDSHAKE_TIMEOUT = 20     # seconds for one s_client run


SERVER_LOG_WAIT = 10       # seconds to wait for the server's log line after a refusal


# Every protocol a probe tries, oldest first.
PROTOCOLS = ("SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3")

# Protocol id (PostgreSQL spelling, as in data/protocols.yaml) -> the s_client option forcing it.
# SSL 2.0 and 3.0 are offered by macros/lab/legacy_hello.py instead: OpenSSL 3.x's s_client
# has no -ssl3 (nor -ssl2) any more.
PROTOCOL_FLAGS = {
    "TLSv1": "-tls1",
    "TLSv1.1": "-tls1_1",
    "TLSv1.2": "-tls1_2",
    "TLSv1.3": "-tls1_3",
}


# The client always runs at security level 0, so that the server alone decides: at level 1 and
# above an OpenSSL 3 client aborts TLS 1.0/1.1 handshakes with OpenSSL 1.1.1 servers on its own
# ("legacy sigalg disallowed or unsupported": SHA-1 signatures). It only touches the TLS <= 1.2
# cipher list; TLS 1.3 suites (-ciphersuites) stay as they are.
LOW_CLIENT_CIPHERS = "DEFAULT@SECLEVEL=0"


# s_client reasons that mean the client never sent a ClientHello for this version.
CLIENT_CANNOT_OFFER = ("Unknown option", "no protocols available", "no ciphers available")


# Errors where the server hung up on the client rather than the client giving up.
SERVER_HUNG_UP = ("unexpected eof while reading", "errno=104", "Connection reset by peer")


class ProbeError(RuntimeError):
    """The probe ran but could not establish a fact it must record."""


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def s_client_args(port, protocol: str) -> list[str]:
    return ["openssl", "s_client", "-starttls", "postgres", "-connect", f"127.0.0.1:{port}",
            PROTOCOL_FLAGS[protocol], "-brief", "-cipher", LOW_CLIENT_CIPHERS]


def command_template() -> str:
    """The s_client command of every scenario, with {port} and {flag} left open."""
    args = s_client_args("{port}", "TLSv1.2")
    args[args.index(PROTOCOL_FLAGS["TLSv1.2"])] = "{flag}"
    return " ".join(args) + " < /dev/null"


def parse_s_client(returncode: int, output: str) -> dict:
    """Outcome of one s_client run from its exit code and its (stdout + stderr) text."""
    negotiated = _field(output, "Protocol version")
    if returncode == 0 and "CONNECTION ESTABLISHED" in output and negotiated:
        result = {"outcome": "accepted", "negotiated": negotiated}
        cipher = _field(output, "Ciphersuite")
        if cipher:
            result["cipher"] = cipher
        return result
    error_line = first_error_line(output)
    reason = error_reason(error_line)
    result = {"outcome": failure_outcome(error_line, output), "error": reason}
    if error_line != reason:
        result["error_line"] = error_line
    return result


def failure_outcome(error_line: str, output: str) -> str:
    """Who ended a failed handshake, from the client's side: the server with an alert or by
    hanging up (refused), the client before sending a hello (client-cannot-offer), or the client
    later on its own (client-aborted: no evidence about the server)."""
    if any(marker in error_line for marker in CLIENT_CANNOT_OFFER):
        return "client-cannot-offer"
    if "SSL alert number" in error_line or any(marker in output for marker in SERVER_HUNG_UP):
        return "refused"
    return "client-aborted"


def received_client_alert(server_log: list[str]) -> bool:
    """The server logged an alert it *received* ("tlsv1 alert ...", "sslv3 alert ..."): the
    client ended the handshake, whatever the client's own output suggests."""
    return any(re.search(r"\b(?:sslv3|tlsv1) alert\b", line) for line in server_log)


def _field(output: str, name: str) -> str | None:
    match = re.search(rf"^{re.escape(name)}: *(\S+)", output, re.MULTILINE)
    return match.group(1) if match else None


def first_error_line(output: str) -> str:
    """The first OpenSSL error line without its thread-id prefix, or s_client's own complaint."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in lines:
        # "40F74C01627F0000:error:0A000438:SSL routines:..." - the hex prefix changes every run.
        match = re.match(r"^[0-9A-F]+:(error:.*)$", line)
        if match:
            return match.group(1)
    for line in lines:
        if line.startswith("s_client:") or "errno=" in line:
            return line
    return "no error line in the s_client output"


def error_reason(error_line: str) -> str:
    """`tlsv1 alert internal error` out of `error:0A000438:SSL routines:func:REASON:file:line:...`."""
    parts = error_line.split(":")
    if parts[0] == "error" and len(parts) >= 5:
        return parts[4]
    return error_line


def try_handshake(cluster: TemporaryCluster, protocol: str) -> dict:
    log_start = cluster.log_size()
    if protocol in LEGACY_OFFERS:
        try:
            result = LEGACY_OFFERS[protocol](cluster.port)
        except OSError as exc:
            raise ProbeError(f"{protocol} offer to port {cluster.port} failed: {exc}") from exc
        return with_server_log(cluster, log_start, result)
    args = s_client_args(cluster.port, protocol)
    try:
        done = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=HANDSHAKE_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise ProbeError(f"s_client did not finish within {HANDSHAKE_TIMEOUT}s: {' '.join(args)}") from exc
    output = done.stdout + "\n" + done.stderr
    if "connect:errno=" in output:
        # No TCP connection at all: the server is gone, which says nothing about TLS.
        raise ProbeError(f"s_client could not connect: {' '.join(args)}\n{output.strip()}")
    return with_server_log(cluster, log_start, parse_s_client(done.returncode, output))


def with_server_log(cluster: TemporaryCluster, log_start: int, result: dict) -> dict:
    """A failed handshake gets the server's log lines; one where the server only received the
    client's alert becomes client-aborted."""
    if result["outcome"] not in ("refused", "client-aborted"):
        return result
    messages = wait_for_ssl_log_messages(cluster, log_start)
    if messages:
        result["server_log"] = messages
        if received_client_alert(messages):
            result["outcome"] = "client-aborted"
    return result


def wait_for_ssl_log_messages(cluster: TemporaryCluster, since: int) -> list[str]:
    """The server's own words about a refused handshake, e.g. `no suitable signature algorithm`."""
    # The backend logs just after sending its alert, so the line may trail s_client's exit.
    deadline = time.monotonic() + SERVER_LOG_WAIT
    while True:
        messages = ssl_log_messages(cluster.log_text(since))
        if messages or time.monotonic() > deadline:
            if not messages:
                progress(f"  (no server log line within {SERVER_LOG_WAIT}s)")
            return messages
        time.sleep(0.05)


def ssl_log_messages(log_text: str) -> list[str]:
    """Log messages about SSL connections, without the time/pid prefix."""
    messages = []
    for line in log_text.splitlines():
        match = re.search(r"\b(?:LOG|FATAL|ERROR|WARNING|DETAIL):\s+(.*)$", line)
        if match and "SSL" in match.group(1):
            messages.append(match.group(1).strip())
    return messages
