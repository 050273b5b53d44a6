"""An OpenSSL series: data/openssl/<series>.yaml."""

from __future__ import annotations

from dataclasses import dataclass

from macros.core.versions import openssl_key
from macros.load.yamlfile import LoadedFile
from macros.model.common import (
    Origin,
    Release,
    Source,
    Text,
    release_of,
    sources_of,
    text_of,
)
from macros.model.protocols import Cell, cells_of


@dataclass(frozen=True)
class SecurityLevel:
    value: int | None
    blocks: Text | None
    note: Text | None
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class OpenSSLSeries:
    series: str
    released: str
    eol: str
    lts: bool
    latest: Release
    reviewed: str
    security_level: SecurityLevel
    note: Text | None
    lifecycle_sources: tuple[Source, ...]
    cells: dict[str, Cell]
    origin: Origin

    @property
    def version(self) -> str:
        return self.series

    @property
    def key(self):
        return openssl_key(self.series)


def read_openssl(loaded: LoadedFile) -> OpenSSLSeries:
    d = loaded.data
    level = d["default_security_level"]
    return OpenSSLSeries(
        series=d["series"], released=d["released"], eol=d["eol"], lts=d["lts"],
        latest=release_of(loaded, d["latest_release"], "latest_release"), reviewed=d["reviewed"],
        security_level=SecurityLevel(level.get("value"), text_of(level.get("blocks")),
                                     text_of(level.get("note")), sources_of(level["sources"])),
        note=text_of(d.get("note")), lifecycle_sources=sources_of(d["lifecycle_sources"]),
        cells=cells_of(loaded, d["protocols"]), origin=Origin(loaded, ()))
