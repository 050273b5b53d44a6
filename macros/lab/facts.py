"""What an observation records about the build it probed: PostgreSQL and OpenSSL as the server
reports them, the openssl.cnf in effect, the client, and platforms."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from macros.lab.cluster import TemporaryCluster
from macros.lab.elf import libcrypto_path, openssl_dir, openssl_version_text
from macros.lab.handshake import ProbeError
from macros.lab.host import run

# openssl.cnf lines that change what a TLS server accepts (the rest is CA and request plumbing).
# `.include` pulls in other files (RHEL's crypto policies), so it counts too.
RELEVANT_CONF_LINE = re.compile(
    r"^\s*(?:(?:MinProtocol|MaxProtocol|CipherString|Ciphersuites|Options|SignatureAlgorithms|"
    r"Groups|Curves|Protocol)\s*=|\.include\b)", re.IGNORECASE)
COMPILED_IN = "compiled-in default"


def postgresql_facts(cluster: TemporaryCluster) -> dict:
    version = cluster.show("server_version").split()[0]    # "15.18 (Debian 15.18-0+deb12u1)"
    return {"major": pg_major(version), "version": version,
            "version_string": cluster.psql("SELECT version()")}


def pg_major(version: str) -> str:
    """"15" for 15.18; "9.6" for 9.6.24 (before 10 the major had two numbers)."""
    parts = version.split(".")
    return ".".join(parts[:2]) if parts[0] == "9" else parts[0]


def server_libcrypto(cluster: TemporaryCluster) -> Path:
    library = libcrypto_path(cluster.bindir / "postgres")
    if library is None:
        raise ProbeError(f"cannot tell which libcrypto {cluster.bindir / 'postgres'} loads")
    return library


def openssl_facts(cluster: TemporaryCluster, library: Path) -> dict:
    text = openssl_version_text(library)
    if not text:
        # SHOW ssl_library says only "OpenSSL": not enough to file the data under.
        raise ProbeError(f"no OpenSSL version text in {library}, the libcrypto the server loads")
    release = re.match(r"OpenSSL (\S+)", text).group(1)
    facts = {"server_library": text, "server_release": release, "server_series": openssl_series(release),
             "client": client_openssl_version()}
    if cluster.has_setting("ssl_library"):      # PostgreSQL 12 and later
        facts["server_ssl_library"] = cluster.show("ssl_library")
    level = compiled_security_level()
    if level is not None:
        facts["client_compiled_security_level"] = level
    return facts


def openssl_series(release: str) -> str:
    """"3.0" for 3.0.19, "1.1.1" for 1.1.1w: before 3.0 the third number belongs to the series."""
    numbers = re.match(r"(\d+)\.(\d+)\.(\d+)", release).groups()
    return ".".join(numbers[:2]) if int(numbers[0]) >= 3 else ".".join(numbers)


def client_openssl_version() -> str:
    return run(["openssl", "version"]).stdout.strip()


def compiled_security_level() -> int | None:
    """-DOPENSSL_TLS_SECURITY_LEVEL=N from `openssl version -a` (Debian builds with 2)."""
    match = re.search(r"-DOPENSSL_TLS_SECURITY_LEVEL=(\d+)", run(["openssl", "version", "-a"]).stdout)
    return int(match.group(1)) if match else None


def conf_facts(path: Path | None, how: str, shown_path: str | None = None, origin: str | None = None) -> dict:
    """The openssl.cnf in effect: none (compiled-in defaults) or a file, with its relevant lines."""
    if path is None or str(path) == os.devnull or not path.is_file():
        return {"in_effect": COMPILED_IN, "how": how}
    text = path.read_text(encoding="utf-8", errors="replace")
    facts = {"in_effect": "file", "how": how, "path": shown_path or str(path),
             "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
             "relevant_lines": [" ".join(line.split()) for line in text.splitlines()
                                if RELEVANT_CONF_LINE.match(line)]}
    if origin:
        facts["origin"] = origin
    return facts


def host_conf_facts(library: Path, environment: dict) -> dict:
    """The file a server started with `environment` reads: $OPENSSL_CONF, else OPENSSLDIR's."""
    if environment.get("OPENSSL_CONF"):
        return conf_facts(Path(environment["OPENSSL_CONF"]), "OPENSSL_CONF")
    directory = openssl_dir(library)
    if not directory:
        return conf_facts(None, "no OPENSSLDIR in the library")
    return conf_facts(Path(directory) / "openssl.cnf", f"OPENSSLDIR {directory}")


def os_release(path: Path = Path("/etc/os-release")) -> dict:
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, _, value = line.partition("=")
        values[name.strip()] = value.strip().strip('"')
    return {"id": values.get("ID", "unknown"), "version_id": values.get("VERSION_ID", "unknown"),
            "pretty_name": values.get("PRETTY_NAME", "unknown")}
