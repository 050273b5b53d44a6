"""The registries behind the setup guides: openssl-cli, platforms, profiles, features, messages."""

from __future__ import annotations

from dataclasses import dataclass

from macros.core.versions import openssl_key, pg_major_key
from macros.load.yamlfile import LoadedFile
from macros.model.common import Origin, Source, Text, sources_of, text_of


@dataclass(frozen=True)
class CliFeature:
    """An option of the openssl program and the first OpenSSL series that has it."""

    id: str
    command: str
    option: str
    since: str
    replaces: str | None
    description: Text
    inferred: bool
    note: Text | None
    sources: tuple[Source, ...]
    origin: Origin

    def available_in(self, series: str) -> bool:
        return openssl_key(series) >= openssl_key(self.since)


@dataclass(frozen=True)
class Command:
    command: str
    description: Text


@dataclass(frozen=True)
class PlatformOverride:
    releases: str
    effect: Text
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Platform:
    id: str
    name: str
    openssl_command: str
    openssldir: str
    config_file: str
    note: Text | None
    extra_commands: tuple[Command, ...]
    overrides: tuple[PlatformOverride, ...]
    sources: tuple[Source, ...]
    origin: Origin


@dataclass(frozen=True)
class Platforms:
    openssldir_command: str
    openssldir_description: Text
    openssldir_sources: tuple[Source, ...]
    platforms: tuple[Platform, ...]


@dataclass(frozen=True)
class Profile:
    """A hardening profile (Mozilla's modern / intermediate, our legacy)."""

    id: str
    name: str
    min_protocol: str
    ciphers: tuple[str, ...]
    security_level: int | None
    description: Text
    note: Text | None
    sources: tuple[Source, ...]
    origin: Origin


@dataclass(frozen=True)
class Feature:
    """PostgreSQL behaviour that is not a setting, from the major that added it."""

    id: str
    name: str
    added: str
    description: Text
    note: Text | None
    sources: tuple[Source, ...]
    origin: Origin

    def exists_in(self, major: str) -> bool:
        return pg_major_key(major) >= pg_major_key(self.added)


@dataclass(frozen=True)
class MessageVersion:
    start: str
    end: str | None
    openssl: str | None
    client: tuple[str, ...]
    server: tuple[str, ...]
    inferred: bool
    note: Text | None
    sources: tuple[Source, ...]
    origin: Origin

    def covers(self, major: str) -> bool:
        key = pg_major_key(major)
        return key >= pg_major_key(self.start) and (self.end is None or key <= pg_major_key(self.end))


@dataclass(frozen=True)
class Message:
    """An error message the guides quote, word for word per range of majors."""

    id: str
    versions: tuple[MessageVersion, ...]
    origin: Origin

    def for_major(self, major: str) -> MessageVersion | None:
        return next((v for v in self.versions if v.covers(major)), None)


def read_cli_features(loaded: LoadedFile | None) -> tuple[CliFeature, ...]:
    if loaded is None:
        return ()
    return tuple(CliFeature(f["id"], f["command"], f["option"], f["since"], f.get("replaces"),
                            text_of(f["description"]), bool(f.get("inferred", False)),
                            text_of(f.get("note")), sources_of(f["sources"]),
                            Origin(loaded, ("features", i)))
                 for i, f in enumerate(loaded.data["features"]))


def read_platforms(loaded: LoadedFile | None) -> Platforms | None:
    if loaded is None:
        return None
    d = loaded.data
    return Platforms(
        d["openssldir"]["command"], text_of(d["openssldir"]["description"]),
        sources_of(d["openssldir"]["sources"]),
        tuple(Platform(p["id"], p["name"], p["openssl_command"], p["openssldir"], p["config_file"],
                       text_of(p.get("note")),
                       tuple(Command(c["command"], text_of(c["description"]))
                             for c in p.get("extra_commands", ())),
                       tuple(PlatformOverride(o["releases"], text_of(o["effect"]), sources_of(o["sources"]))
                             for o in p.get("overrides", ())),
                       sources_of(p["sources"]), Origin(loaded, ("platforms", i)))
              for i, p in enumerate(d["platforms"])))


def read_profiles(loaded: LoadedFile | None) -> tuple[Profile, ...]:
    if loaded is None:
        return ()
    return tuple(Profile(p["id"], p["name"], p["min_protocol"], tuple(p["ciphers"]),
                         p.get("security_level"), text_of(p["description"]), text_of(p.get("note")),
                         sources_of(p["sources"]), Origin(loaded, ("profiles", i)))
                 for i, p in enumerate(loaded.data["profiles"]))


def read_features(loaded: LoadedFile | None) -> tuple[Feature, ...]:
    if loaded is None:
        return ()
    return tuple(Feature(f["id"], f["name"], f["added"], text_of(f["description"]),
                         text_of(f.get("note")), sources_of(f["sources"]), Origin(loaded, ("features", i)))
                 for i, f in enumerate(loaded.data["features"]))


def read_messages(loaded: LoadedFile | None) -> tuple[Message, ...]:
    if loaded is None:
        return ()
    return tuple(
        Message(m["id"], tuple(
            MessageVersion(v["from"], v.get("to"), v.get("openssl"), tuple(v.get("client", ())),
                           tuple(v.get("server", ())), bool(v.get("inferred", False)),
                           text_of(v.get("note")), sources_of(v["sources"]),
                           Origin(loaded, ("messages", i, "versions", j)))
            for j, v in enumerate(m["versions"])), Origin(loaded, ("messages", i)))
        for i, m in enumerate(loaded.data["messages"]))
