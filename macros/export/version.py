"""The data version: the date the data speaks for plus a hash of data/, never a build time."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DataVersion:
    as_of: str  # macros.render.tables.as_of: the newest review date
    sha256: str  # of every file under data/

    @property
    def label(self) -> str:
        """Short and readable, e.g. 2026-11-29+3f2a9c1b7d4e (semver's build-metadata style)."""
        return f"{self.as_of}+{self.sha256[:12]}"


def data_sha256(data_dir: Path) -> str:
    """A hash of the data files' paths and contents, the same on every machine."""
    data_dir = Path(data_dir)
    digest = hashlib.sha256()
    for path in sorted(data_files(data_dir), key=lambda p: p.relative_to(data_dir).as_posix()):
        # Line endings are normalised: a Windows checkout of the same data gets the same version.
        content = path.read_bytes().replace(b"\r\n", b"\n")
        name = path.relative_to(data_dir).as_posix().encode("utf-8")
        digest.update(name + b"\0" + str(len(content)).encode("ascii") + b"\0" + content)
    return digest.hexdigest()


def data_files(data_dir: Path) -> list[Path]:
    # Hidden files (editor swap files, .DS_Store) are not data: the loader skips them too.
    return [p for p in data_dir.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(data_dir).parts)]
