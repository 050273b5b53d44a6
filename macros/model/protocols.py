"""Protocol versions, and one protocol cell of a version file: a status, maybe a condition."""

from __future__ import annotations

from dataclasses import dataclass

from macros.core.versions import openssl_key
from macros.load.yamlfile import LoadedFile
from macros.model.common import Origin, Source, Text, sources_of, text_of


@dataclass(frozen=True)
class Condition:
    openssl: str | None = None
    openssl_before: str | None = None
    from_release: str | None = None
    otherwise: str | None = None  # off | unsupported: the status where the condition fails

    def admits_series(self, series: str) -> bool:
        """Whether a build with this OpenSSL series satisfies the OpenSSL part of the condition."""
        key = openssl_key(series)
        if self.openssl and key < openssl_key(self.openssl):
            return False
        if self.openssl_before and key >= openssl_key(self.openssl_before):
            return False
        return True


@dataclass(frozen=True)
class Cell:
    protocol: str
    status: str
    condition: Condition | None
    enable: Text | None
    note: Text | None
    inferred: bool
    sources: tuple[Source, ...]
    origin: Origin

    @property
    def available(self) -> bool:
        """Implemented in some form (on, off by default, or under a condition)."""
        return self.status in ("on", "off", "conditional")


def cells_of(loaded: LoadedFile, raw: dict) -> dict[str, Cell]:
    cells = {}
    for protocol, cell in raw.items():
        condition = cell.get("condition")
        cells[protocol] = Cell(
            protocol=protocol, status=cell["status"],
            condition=Condition(condition.get("openssl"), condition.get("openssl_before"),
                                condition.get("from"), condition.get("otherwise")) if condition else None,
            enable=text_of(cell.get("enable")), note=text_of(cell.get("note")),
            inferred=bool(cell.get("inferred", False)), sources=sources_of(cell.get("sources")),
            origin=Origin(loaded, ("protocols", protocol)))
    return cells


@dataclass(frozen=True)
class Protocol:
    id: str
    name: str
    pg_value: str | None
    s_client_flag: str | None
    specification: str
    published: str | None
    deprecated_by: str | None
    deprecated: str | None
    note: Text | None
    sources: tuple[Source, ...]
    origin: Origin
