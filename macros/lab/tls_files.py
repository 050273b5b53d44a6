"""A private CA, a server certificate and a client certificate for a throwaway cluster."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from macros.lab.host import give_to, run

CERT_DAYS = 7


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
