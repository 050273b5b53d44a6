"""Which shared libraries a server binary really loads, asked of its own ELF interpreter.

`ldd` runs the host's loader; a build prepared with another distribution's loader
(patchelf --set-interpreter) must be asked through that loader (`<PT_INTERP> --list`).
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

from macros.lab.host import ClusterError, ClusterUnavailable, run

PT_INTERP = 3
# OpenSSL's version text inside libcrypto: "OpenSSL 3.0.19 27 Jan 2026",
# "OpenSSL 1.1.1w  11 Sep 2023", "OpenSSL 1.1.1k  FIPS 25 Mar 2021".
OPENSSL_VERSION_TEXT = re.compile(
    rb"OpenSSL \d+\.\d+\.\d+[a-z]{0,2}(?:-[\w.]+)?(?: +FIPS)? +\d{1,2} [A-Z][a-z]{2} \d{4}")


def interpreter(binary: Path) -> str | None:
    """The PT_INTERP of a 64-bit little-endian ELF file, or None (not such a file, or static)."""
    with open(binary, "rb") as handle:
        header = handle.read(64)
        if header[:4] != b"\x7fELF" or header[4] != 2 or header[5] != 1:
            return None
        phoff, = struct.unpack_from("<Q", header, 32)
        phentsize, phnum = struct.unpack_from("<HH", header, 54)
        for index in range(phnum):
            handle.seek(phoff + index * phentsize)
            p_type, _flags, p_offset, _vaddr, _paddr, p_filesz = struct.unpack("<IIQQQQ", handle.read(40))
            if p_type == PT_INTERP:
                handle.seek(p_offset)
                return handle.read(p_filesz).rstrip(b"\0").decode()
    return None


def loaded_libraries(binary: Path) -> dict[str, str]:
    """soname -> the file the loader resolves for `binary` (missing ones map to "not found")."""
    loader = interpreter(binary)
    args = [loader, "--list", str(binary)] if loader else ["ldd", str(binary)]
    try:
        output = run(args, check=False).stdout
    except (ClusterUnavailable, ClusterError):
        return {}
    libraries = {}
    for line in output.splitlines():
        match = re.match(r"\s*(\S+) => (.*?)(?: \(0x[0-9a-f]+\))?$", line)
        if match:
            libraries[match.group(1)] = match.group(2).strip()
    return libraries


def libcrypto_path(binary: Path) -> Path | None:
    found = next((path for name, path in loaded_libraries(binary).items()
                  if name.startswith("libcrypto") and path.startswith("/")), None)
    return Path(found) if found else None


def openssl_version_text(library: Path) -> str | None:
    """The version text compiled into a libcrypto file."""
    found = OPENSSL_VERSION_TEXT.search(library.read_bytes())
    return found.group(0).decode() if found else None


def openssl_dir(library: Path) -> str | None:
    """OPENSSLDIR compiled into a libcrypto file: where it looks for openssl.cnf by default."""
    found = re.search(rb'OPENSSLDIR: "([^"]*)"', library.read_bytes())
    return found.group(1).decode() if found else None
