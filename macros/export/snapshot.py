"""The data snapshot: data/ and the JSON API in one .tar.gz, named by data version, for offline use.

Deterministic, so that the same data gives the same bytes on every machine: entries sorted, every
time stamp the data's as_of date, owner 0 and no names, fixed permissions, no gzip time stamp or
file name, line ends of the data files normalised as for the data version's hash.
"""

from __future__ import annotations

import calendar
import gzip
import io
import tarfile
import time
from pathlib import Path

from macros.export.version import DataVersion, data_files


def snapshot_name(version: DataVersion) -> str:
    return f"tlskb-snapshot-{version.as_of}-{version.sha256[:12]}.tar.gz"


def snapshot_entries(data_dir: Path, api: dict[str, str]) -> dict[str, bytes]:
    """{path inside the archive: content}: data/... as in the repository, api/v1/... as published."""
    data_dir = Path(data_dir)
    entries = {f"data/{p.relative_to(data_dir).as_posix()}": p.read_bytes().replace(b"\r\n", b"\n")
               for p in data_files(data_dir)}
    entries.update({f"api/v1/{name}": text.encode("utf-8") for name, text in api.items()})
    return entries


def snapshot_bytes(version: DataVersion, entries: dict[str, bytes]) -> bytes:
    folder = snapshot_name(version)[:-len(".tar.gz")]
    mtime = calendar.timegm(time.strptime(version.as_of, "%Y-%m-%d"))
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as compressed:
        with tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT) as archive:
            for name in sorted(entries):
                info = tarfile.TarInfo(f"{folder}/{name}")
                info.size, info.mtime, info.mode = len(entries[name]), mtime, 0o644
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                archive.addfile(info, io.BytesIO(entries[name]))
    return buffer.getvalue()
