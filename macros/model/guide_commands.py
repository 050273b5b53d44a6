"""The shell commands of the setup guides: certificates, installing them, applying settings, verifying."""

from __future__ import annotations

import shlex

from macros.model.guide_values import (
    CA_DAYS,
    CA_SUBJECT,
    CERT_DAYS,
    CLIENT_EXTENSIONS,
    FILES,
    KEY,
    PORT,
    SERVER_EXTENSIONS,
    SERVER_NAME,
    SERVER_OS_USER,
)

COMMAND_WIDTH = 72  # longer commands continue on the next line: readable on a phone, same for bash


def command(*args: str) -> str:
    """A shell command, continued on the next line (backslash) when it gets long.

    It breaks before a word, but never between an option and its value.
    """
    lines, current, previous = [], "", ""
    for word in (shlex.quote(a) for a in args):
        keeps_with_option = previous.startswith("-") and not word.startswith("-")
        if current and not keeps_with_option and len(current) + 1 + len(word) > COMMAND_WIDTH:
            lines.append(current)
            current = "  " + word
        else:
            current = f"{current} {word}" if current else word
        previous = word
    return " \\\n".join(lines + [current])


def ca_commands(key_option: str) -> tuple[str, ...]:
    return (command("openssl", "req", "-x509", "-newkey", KEY, key_option, "-sha256",
                     "-days", str(CA_DAYS), "-subj", CA_SUBJECT,
                     "-keyout", FILES["ca_key"], "-out", FILES["ca_cert"]),)


def extension_file(lines: tuple[str, ...], name: str) -> str:
    return command("printf", "%s\\n", *lines) + f" > {name}"


def sign(csr: str, extensions: str, cert: str) -> str:
    return command("openssl", "x509", "-req", "-in", csr, "-CA", FILES["ca_cert"],
                    "-CAkey", FILES["ca_key"], "-CAcreateserial", "-days", str(CERT_DAYS), "-sha256",
                    "-extfile", extensions, "-out", cert)


def server_commands(key_option: str, addext: bool) -> tuple[str, ...]:
    request = ["openssl", "req", "-new", "-newkey", KEY, key_option, "-sha256",
               "-subj", f"/CN={SERVER_NAME}"]
    if addext:
        # The request names what it asks for; the extension file decides what is signed
        # (`x509 -req` does not copy extensions from a request).
        request += ["-addext", f"subjectAltName=DNS:{SERVER_NAME}"]
    request += ["-keyout", FILES["server_key"], "-out", "server.csr"]
    return (command(*request), extension_file(SERVER_EXTENSIONS, "server.ext"),
            sign("server.csr", "server.ext", FILES["server_cert"]))


def client_commands(key_option: str, user: str) -> tuple[str, ...]:
    return (command("openssl", "req", "-new", "-newkey", KEY, key_option, "-sha256", "-subj", f"/CN={user}",
                     "-keyout", FILES["client_key"], "-out", "client.csr"),
            extension_file(CLIENT_EXTENSIONS, "client.ext"),
            sign("client.csr", "client.ext", FILES["client_cert"]),
            command("chmod", "0600", FILES["client_key"]))


def install_commands() -> tuple[str, ...]:
    owner = f"-o {SERVER_OS_USER} -g {SERVER_OS_USER}"
    return (f"install {owner} -m 0600 {FILES['server_key']} \"$PGDATA/\"",
            f"install {owner} -m 0644 {FILES['server_cert']} {FILES['ca_cert']} \"$PGDATA/\"")


def root_owned_command() -> str:
    return f"install -o root -g {SERVER_OS_USER} -m 0640 {FILES['server_key']} \"$PGDATA/\""


def apply_commands(apply: str) -> tuple[str, ...]:
    if apply == "reload":
        return ("pg_ctl reload -D \"$PGDATA\"", "psql -c 'SELECT pg_reload_conf();'")
    return ("pg_ctl restart -D \"$PGDATA\"",)


def verify_command() -> str:
    return command("openssl", "s_client", "-starttls", "postgres", "-connect", f"{SERVER_NAME}:{PORT}",
                    "-CAfile", FILES["ca_cert"], "-verify_hostname", SERVER_NAME,
                    "-verify_return_error", "-brief") + " < /dev/null"


def psql_table(columns: tuple[str, ...], row: tuple[str, ...]) -> str:
    """What psql prints (aligned format) for a one-row result."""
    widths = [max(len(c), len(v)) for c, v in zip(columns, row)]
    header = " | ".join(c.center(w) for c, w in zip(columns, widths)) + " "  # psql pads every header
    rule = "-+-".join("-" * w for w in widths)
    line = " | ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip()
    return f" {header}\n-{rule}-\n {line}\n(1 row)\n"
