"""Platform releases (debian-12, rhel-9, upstream, ...) and security-level rules: data/platforms.yaml.

What the resolver (macros/model/resolver.py) needs to know about a platform's default configuration:
the OpenSSL series it ships, the protocol floor and security level its configuration sets, what its
patches change in a level's meaning, and what refuses protocols beyond PostgreSQL's reach.
"""

from __future__ import annotations

from dataclasses import dataclass

from macros.core.versions import openssl_key
from macros.load.yamlfile import LoadedFile
from macros.model.common import Origin, Source, Text, sources_of, text_of


@dataclass(frozen=True)
class Step:
    """One system step: a command, or lines for a file."""

    command: str | None
    file: str | None
    lines: tuple[str, ...]
    note: Text | None


@dataclass(frozen=True)
class LevelRule:
    """These protocols work only at a security level at or below max_level."""

    protocols: tuple[str, ...]
    max_level: int
    openssl_from: str | None
    openssl_before: str | None
    known: bool
    inferred: bool
    note: Text | None
    sources: tuple[Source, ...]
    origin: Origin

    def applies_to(self, series: str) -> bool:
        key = openssl_key(series)
        if self.openssl_from and key < openssl_key(self.openssl_from):
            return False
        return not (self.openssl_before and key >= openssl_key(self.openssl_before))


@dataclass(frozen=True)
class Fact:
    """A value of the default configuration (floor, level), who sets it and how to relax it."""

    value: object
    set_by: str | None
    relax: tuple[Step, ...]
    relax_inferred: bool
    inferred: bool
    note: Text | None
    sources: tuple[Source, ...]
    origin: Origin


@dataclass(frozen=True)
class Block:
    """Something that refuses protocols and that no PostgreSQL setting reaches."""

    protocols: tuple[str, ...]
    by: str
    relax: tuple[Step, ...]
    known_after_relax: bool
    inferred: bool
    note: Text | None
    sources: tuple[Source, ...]
    origin: Origin


@dataclass(frozen=True)
class PlatformRelease:
    id: str
    name: str
    short_name: str | None  # what people type when `name` does not contain it: "RHEL 9"
    family: str
    openssl: str | None  # None: not known (openssl_fact.note says why) or any series (upstream)
    openssl_fact: Fact
    postgresql: tuple[str, ...]
    postgresql_fact: Fact | None
    min_protocol: Fact
    security_level: Fact | None
    level_rules: tuple[LevelRule, ...]
    blocks: tuple[Block, ...]
    origin: Origin


def _steps(raw) -> tuple[Step, ...]:
    return tuple(Step(s.get("command"), s.get("file"), tuple(s.get("lines", ())), text_of(s.get("note")))
                 for s in raw or ())


def _fact(loaded: LoadedFile, raw: dict | None, keys: tuple, value_key: str = "value") -> Fact | None:
    if raw is None:
        return None
    return Fact(raw.get(value_key), raw.get("set_by"), _steps(raw.get("relax")),
                bool(raw.get("relax_inferred", False)), bool(raw.get("inferred", False)),
                text_of(raw.get("note")), sources_of(raw["sources"]), Origin(loaded, keys))


def _level_rules(loaded: LoadedFile, raw, keys: tuple) -> tuple[LevelRule, ...]:
    return tuple(LevelRule(tuple(r["protocols"]), r["max_level"], r.get("openssl_from"),
                           r.get("openssl_before"), bool(r.get("known", True)),
                           bool(r.get("inferred", False)), text_of(r.get("note")),
                           sources_of(r["sources"]), Origin(loaded, keys + (i,)))
                 for i, r in enumerate(raw or ()))


def _release(loaded: LoadedFile, family: str, raw: dict, keys: tuple) -> PlatformRelease:
    pg = raw.get("postgresql")
    return PlatformRelease(
        id=raw["id"], name=raw["name"], short_name=raw.get("short_name"), family=family, openssl=raw["openssl"]["series"],
        openssl_fact=_fact(loaded, raw["openssl"], keys + ("openssl",), "series"),
        postgresql=tuple(pg["majors"]) if pg else (),
        postgresql_fact=_fact(loaded, pg, keys + ("postgresql",), "majors"),
        min_protocol=_fact(loaded, raw["min_protocol"], keys + ("min_protocol",)),
        security_level=_fact(loaded, raw.get("security_level"), keys + ("security_level",)),
        level_rules=_level_rules(loaded, raw.get("level_rules"), keys + ("level_rules",)),
        blocks=tuple(Block(tuple(b["protocols"]), b["by"], _steps(b.get("relax")), b["known_after_relax"],
                           bool(b.get("inferred", False)), text_of(b.get("note")), sources_of(b["sources"]),
                           Origin(loaded, keys + ("blocks", i)))
                     for i, b in enumerate(raw.get("blocks", ()))),
        origin=Origin(loaded, keys))


def read_releases(loaded: LoadedFile | None) -> tuple[PlatformRelease, ...]:
    if loaded is None:
        return ()
    return tuple(_release(loaded, family["id"], raw, ("platforms", i, "releases", j))
                 for i, family in enumerate(loaded.data["platforms"])
                 for j, raw in enumerate(family.get("releases", ())))


def read_level_rules(loaded: LoadedFile | None) -> tuple[LevelRule, ...]:
    if loaded is None:
        return ()
    return _level_rules(loaded, loaded.data.get("level_rules"), ("level_rules",))


@dataclass(frozen=True)
class Precedence:
    """Who wins between a PostgreSQL setting and OpenSSL's configuration (floor, level, no-setting)."""

    id: str
    text: Text
    sources: tuple[Source, ...]


def read_precedence(loaded: LoadedFile | None) -> dict[str, Precedence]:
    if loaded is None:
        return {}
    return {p["id"]: Precedence(p["id"], text_of(p["text"]), sources_of(p["sources"]))
            for p in loaded.data.get("precedence", ())}
