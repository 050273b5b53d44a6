"""A PostgreSQL major: data/postgresql/<major>.yaml, and which OpenSSL series it builds with."""

from __future__ import annotations

from dataclasses import dataclass

from macros.core.versions import pg_major_key
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
class Milestone:
    openssl: str
    status: str  # supported | unsupported | unknown
    since: str | None
    note: Text | None
    inferred: bool
    sources: tuple[Source, ...]
    origin: Origin


@dataclass(frozen=True)
class MinOpenSSL:
    series: str
    documented: bool
    note: Text | None
    sources: tuple[Source, ...]
    origin: Origin


@dataclass(frozen=True)
class LibreSSL:
    min_version: str | None
    note: Text | None
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class PostgresMajor:
    major: str
    status: str  # released | beta
    released: str | None
    eol: str | None
    latest: Release | None
    reviewed: str
    lifecycle_sources: tuple[Source, ...]
    note: Text | None
    min_openssl: MinOpenSSL
    milestones: tuple[Milestone, ...]
    libressl: LibreSSL | None
    cells: dict[str, Cell]
    origin: Origin

    @property
    def version(self) -> str:
        return self.major

    @property
    def key(self):
        return pg_major_key(self.major)


@dataclass(frozen=True)
class BuildSupport:
    """Whether a PostgreSQL major builds with an OpenSSL series, and from which minor."""

    status: str  # supported | unsupported | unknown
    since: str | None
    reason: str  # below-minimum | minimum | milestone | inherited
    milestone: Milestone | None


def read_postgres(loaded: LoadedFile) -> PostgresMajor:
    d = loaded.data
    build = d["build"]
    minimum = build["min_openssl"]
    libressl = build.get("libressl")
    return PostgresMajor(
        major=d["major"], status=d["status"], released=d.get("released"), eol=d.get("eol"),
        latest=release_of(loaded, d.get("latest_minor"), "latest_minor"), reviewed=d["reviewed"],
        lifecycle_sources=sources_of(d["lifecycle_sources"]), note=text_of(d.get("note")),
        min_openssl=MinOpenSSL(minimum["series"], minimum["documented"], text_of(minimum.get("note")),
                               sources_of(minimum["sources"]),
                               Origin(loaded, ("build", "min_openssl"))),
        milestones=tuple(
            Milestone(m["openssl"], m["status"], m.get("since"), text_of(m.get("note")),
                      bool(m.get("inferred", False)), sources_of(m["sources"]),
                      Origin(loaded, ("build", "openssl_support", i)))
            for i, m in enumerate(build["openssl_support"])),
        libressl=LibreSSL(libressl.get("min_version"), text_of(libressl.get("note")),
                          sources_of(libressl["sources"])) if libressl else None,
        cells=cells_of(loaded, d["protocols"]), origin=Origin(loaded, ()))
