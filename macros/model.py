"""The facts as typed, read-only objects: what rules check and what tables render.

Built from schema-valid files only. Nothing here judges the data (that is the rules' job):
references that do not resolve come back as None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from macros.problems import Problem
from macros.tree import DataTree
from macros.versions import openssl_key, pg_major_key, pg_release_key
from macros.yamlload import LoadedFile

Text = dict  # language code -> string; "en" always present


def text_of(value: Any) -> Text | None:
    """Free text is a string today; a {en: ..., es: ...} mapping when translated."""
    if value is None:
        return None
    return {"en": value} if isinstance(value, str) else dict(value)


@dataclass(frozen=True)
class Origin:
    """Where a fact was written, so that any rule can point at its line."""

    file: LoadedFile = field(compare=False, repr=False)
    keys: tuple = ()

    def problem(self, rule: str, message: str, *more_keys, severity: str = "error",
                at_key: bool = False) -> Problem:
        return self.file.problem(self.keys + tuple(more_keys), rule, message, severity, at_key)

    @property
    def path(self) -> str:
        return self.file.display

    def where(self, *more_keys) -> str:
        """`path:line` of this fact (or of a key inside it), for messages that name two files."""
        return f"{self.path}:{self.file.node_at(self.keys + tuple(more_keys)).start_mark.line + 1}"


@dataclass(frozen=True)
class Source:
    url: str | None = None
    repo: str | None = None
    path: str | None = None
    ref: str | None = None
    title: Text | None = None
    quote: Text | None = None

    @property
    def href(self) -> str:
        if self.url:
            return self.url
        return f"https://github.com/{self.repo}/blob/{self.ref}/{self.path}"

    @property
    def reference(self) -> str:
        """A plain citation: the URL, or 'owner/repo path @ ref'."""
        return self.url or f"{self.repo} {self.path} @ {self.ref}"


def _sources(raw: list | None) -> tuple[Source, ...]:
    return tuple(Source(url=s.get("url"), repo=s.get("repo"), path=s.get("path"), ref=s.get("ref"),
                        title=text_of(s.get("title")), quote=text_of(s.get("quote")))
                 for s in raw or ())


@dataclass(frozen=True)
class Condition:
    openssl: str | None = None
    openssl_before: str | None = None
    from_release: str | None = None

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


def _cells(loaded: LoadedFile, raw: dict) -> dict[str, Cell]:
    cells = {}
    for protocol, cell in raw.items():
        condition = cell.get("condition")
        cells[protocol] = Cell(
            protocol=protocol, status=cell["status"],
            condition=Condition(condition.get("openssl"), condition.get("openssl_before"),
                                condition.get("from")) if condition else None,
            enable=text_of(cell.get("enable")), note=text_of(cell.get("note")),
            inferred=bool(cell.get("inferred", False)), sources=_sources(cell.get("sources")),
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


@dataclass(frozen=True)
class Release:
    version: str
    date: str
    note: Text | None
    sources: tuple[Source, ...]
    origin: Origin


def _release(loaded: LoadedFile, raw: dict | None, key: str) -> Release | None:
    if raw is None:
        return None
    return Release(raw["version"], raw["date"], text_of(raw.get("note")), _sources(raw["sources"]),
                   Origin(loaded, (key,)))


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
class SettingRange:
    start: str
    end: str | None  # None: up to the newest major
    default: str | None
    has_default: bool
    default_note: Text | None
    values: tuple[str, ...] | None
    values_note: Text | None
    apply: str | None
    note: Text | None
    sources: tuple[Source, ...]
    origin: Origin

    def covers(self, major: str) -> bool:
        key = pg_major_key(major)
        if key < pg_major_key(self.start):
            return False
        return self.end is None or key <= pg_major_key(self.end)


@dataclass(frozen=True)
class Setting:
    kind: str  # server | libpq | hba
    name: str
    description: Text
    env: str | None
    added: str
    removed: str | None
    renamed_to: str | None
    note: Text | None
    ranges: tuple[SettingRange, ...]
    sources: tuple[Source, ...]
    origin: Origin

    def exists_in(self, major: str) -> bool:
        key = pg_major_key(major)
        if key < pg_major_key(self.added):
            return False
        return self.removed is None or key < pg_major_key(self.removed)

    def range_for(self, major: str) -> SettingRange | None:
        if not self.exists_in(major):
            return None
        return next((r for r in self.ranges if r.covers(major)), None)


@dataclass(frozen=True)
class BuildSupport:
    """Whether a PostgreSQL major builds with an OpenSSL series, and from which minor."""

    status: str  # supported | unsupported | unknown
    since: str | None
    reason: str  # below-minimum | minimum | milestone | inherited
    milestone: Milestone | None


# ---------------------------------------------------------------- registries behind the setup guides

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


# ---------------------------------------------------------------- observations (python -m macros probe)

@dataclass(frozen=True)
class HandshakeResult:
    """What happened when the client forced one protocol version."""

    protocol: str
    outcome: str  # accepted | refused | client-cannot-offer
    negotiated: str | None
    cipher: str | None
    error: str | None
    server_log: tuple[str, ...]
    origin: Origin

    @property
    def is_evidence(self) -> bool:
        """client-cannot-offer: no hello was sent, so it says nothing about the server."""
        return self.outcome in ("accepted", "refused")


_SECLEVEL = re.compile(r"@SECLEVEL=(\d)")


@dataclass(frozen=True)
class ObservedScenario:
    id: str
    description: Text
    settings: dict  # postgresql.conf settings of the scenario; {} = server defaults
    in_effect: dict  # ssl_* values the running server reported
    command: str
    results: dict[str, HandshakeResult]  # by protocol id
    origin: Origin

    @property
    def server_defaults(self) -> bool:
        return not self.settings

    @property
    def security_level(self) -> int | None:
        """The OpenSSL security level the scenario sets in ssl_ciphers (@SECLEVEL=N), if any."""
        match = _SECLEVEL.search(str(self.settings.get("ssl_ciphers", "")))
        return int(match.group(1)) if match else None


@dataclass(frozen=True)
class Observation:
    """One probe of a real server build: data/observations/<name>.yaml."""

    name: str
    pg_major: str
    pg_version: str
    pg_version_string: str | None  # SELECT version()
    openssl_series: str  # of the library the server loads
    openssl_release: str | None
    openssl_library: str
    openssl_client: str
    platform: str
    date: str
    scenarios: tuple[ObservedScenario, ...]
    origin: Origin

    @property
    def data_path(self) -> str:
        return f"data/observations/{self.name}.yaml"

    @property
    def protocols(self) -> tuple[str, ...]:
        """The protocols tried, in the order of the first scenario."""
        return tuple(self.scenarios[0].results) if self.scenarios else ()

    def covers(self, protocol: str) -> bool:
        """Whether some scenario got an answer from the server for this protocol."""
        return any(s.results[protocol].is_evidence for s in self.scenarios if protocol in s.results)


@dataclass(frozen=True)
class Dataset:
    protocols: tuple[Protocol, ...]
    openssl: tuple[OpenSSLSeries, ...]  # oldest first
    postgresql: tuple[PostgresMajor, ...]  # oldest first
    settings: dict[str, tuple[Setting, ...]]  # by kind
    observations: tuple[Observation, ...] = ()  # by file name
    cli_features: tuple[CliFeature, ...] = ()
    platforms: Platforms | None = None
    profiles: tuple[Profile, ...] = ()
    features: tuple[Feature, ...] = ()
    messages: tuple[Message, ...] = ()
    message_placeholders: dict = field(default_factory=dict)  # name -> what it stands for

    def protocol(self, protocol_id: str) -> Protocol | None:
        return next((p for p in self.protocols if p.id == protocol_id), None)

    def openssl_series(self, series: str) -> OpenSSLSeries | None:
        return next((s for s in self.openssl if s.series == series), None)

    def pg(self, major: str) -> PostgresMajor | None:
        return next((m for m in self.postgresql if m.major == major), None)

    def setting(self, kind: str, name: str) -> Setting | None:
        return next((s for s in self.settings.get(kind, ()) if s.name == name), None)

    def settings_in(self, kind: str, major: str) -> list[Setting]:
        return [s for s in self.settings.get(kind, ()) if s.exists_in(major)]

    def build_support(self, pg: PostgresMajor, series: str) -> BuildSupport:
        key = openssl_key(series)
        if key < openssl_key(pg.min_openssl.series):
            return BuildSupport("unsupported", None, "below-minimum", None)
        older = [m for m in pg.milestones if openssl_key(m.openssl) <= key]
        if older:
            milestone = max(older, key=lambda m: openssl_key(m.openssl))
            if openssl_key(milestone.openssl) >= openssl_key(pg.min_openssl.series):
                reason = "milestone" if milestone.openssl == series else "inherited"
                return BuildSupport(milestone.status, milestone.since, reason, milestone)
        return BuildSupport("supported", f"{pg.major}.0", "minimum", None)

    def buildable_series(self, pg: PostgresMajor) -> list[OpenSSLSeries]:
        return [s for s in self.openssl if self.build_support(pg, s.series).status == "supported"]

    def default_min_protocol(self, pg: PostgresMajor) -> str | None:
        setting = self.setting("server", "ssl_min_protocol_version")
        found = setting.range_for(pg.major) if setting else None
        return found.default if found else None

    def cli_feature(self, feature_id: str) -> CliFeature | None:
        return next((f for f in self.cli_features if f.id == feature_id), None)

    def profile(self, profile_id: str) -> Profile | None:
        return next((p for p in self.profiles if p.id == profile_id), None)

    def feature(self, feature_id: str) -> Feature | None:
        return next((f for f in self.features if f.id == feature_id), None)

    def message(self, message_id: str) -> Message | None:
        return next((m for m in self.messages if m.id == message_id), None)

    def observations_of_pg(self, major: str) -> list[Observation]:
        return [o for o in self.observations if o.pg_major == major]

    def observations_of_openssl(self, series: str) -> list[Observation]:
        return [o for o in self.observations if o.openssl_series == series]

    def protocol_index(self, protocol_id: str) -> int:
        ids = [p.id for p in self.protocols]
        return ids.index(protocol_id) if protocol_id in ids else -1


def build_dataset(tree: DataTree) -> Dataset:
    protocols = tuple(
        Protocol(id=p["id"], name=p["name"], pg_value=p.get("pg_value"),
                 s_client_flag=p.get("s_client_flag"), specification=p["specification"],
                 published=p.get("published"), deprecated_by=p.get("deprecated_by"),
                 deprecated=p.get("deprecated"), note=text_of(p.get("note")),
                 sources=_sources(p["sources"]), origin=Origin(tree.protocols, ("protocols", i)))
        for i, p in enumerate(tree.protocols.data["protocols"])) if tree.protocols else ()
    openssl = tuple(sorted((_openssl(f) for f in tree.openssl.values()), key=lambda s: s.key))
    postgresql = tuple(sorted((_postgres(f) for f in tree.postgresql.values()), key=lambda m: m.key))
    settings: dict[str, tuple[Setting, ...]] = {}
    for loaded in tree.settings.values():
        kind = loaded.data["kind"]
        settings[kind] = settings.get(kind, ()) + tuple(_settings(loaded))
    return Dataset(protocols, openssl, postgresql, settings,
                   cli_features=_cli_features(tree.openssl_cli), platforms=_platforms(tree.platforms),
                   profiles=_profiles(tree.profiles), features=_features(tree.features),
                   messages=_messages(tree.messages),
                   observations=tuple(_observation(name, tree.observations[name])
                                      for name in sorted(tree.observations)),
                   message_placeholders=dict(tree.messages.data["placeholders"]) if tree.messages else {})


def _cli_features(loaded: LoadedFile | None) -> tuple[CliFeature, ...]:
    if loaded is None:
        return ()
    return tuple(CliFeature(f["id"], f["command"], f["option"], f["since"], f.get("replaces"),
                            text_of(f["description"]), bool(f.get("inferred", False)),
                            text_of(f.get("note")), _sources(f["sources"]),
                            Origin(loaded, ("features", i)))
                 for i, f in enumerate(loaded.data["features"]))


def _platforms(loaded: LoadedFile | None) -> Platforms | None:
    if loaded is None:
        return None
    d = loaded.data
    return Platforms(
        d["openssldir"]["command"], text_of(d["openssldir"]["description"]),
        _sources(d["openssldir"]["sources"]),
        tuple(Platform(p["id"], p["name"], p["openssl_command"], p["openssldir"], p["config_file"],
                       text_of(p.get("note")),
                       tuple(Command(c["command"], text_of(c["description"]))
                             for c in p.get("extra_commands", ())),
                       tuple(PlatformOverride(o["releases"], text_of(o["effect"]), _sources(o["sources"]))
                             for o in p.get("overrides", ())),
                       _sources(p["sources"]), Origin(loaded, ("platforms", i)))
              for i, p in enumerate(d["platforms"])))


def _profiles(loaded: LoadedFile | None) -> tuple[Profile, ...]:
    if loaded is None:
        return ()
    return tuple(Profile(p["id"], p["name"], p["min_protocol"], tuple(p["ciphers"]),
                         p.get("security_level"), text_of(p["description"]), text_of(p.get("note")),
                         _sources(p["sources"]), Origin(loaded, ("profiles", i)))
                 for i, p in enumerate(loaded.data["profiles"]))


def _features(loaded: LoadedFile | None) -> tuple[Feature, ...]:
    if loaded is None:
        return ()
    return tuple(Feature(f["id"], f["name"], f["added"], text_of(f["description"]),
                         text_of(f.get("note")), _sources(f["sources"]), Origin(loaded, ("features", i)))
                 for i, f in enumerate(loaded.data["features"]))


def _messages(loaded: LoadedFile | None) -> tuple[Message, ...]:
    if loaded is None:
        return ()
    return tuple(
        Message(m["id"], tuple(
            MessageVersion(v["from"], v.get("to"), v.get("openssl"), tuple(v.get("client", ())),
                           tuple(v.get("server", ())), bool(v.get("inferred", False)),
                           text_of(v.get("note")), _sources(v["sources"]),
                           Origin(loaded, ("messages", i, "versions", j)))
            for j, v in enumerate(m["versions"])), Origin(loaded, ("messages", i)))
        for i, m in enumerate(loaded.data["messages"]))


def _observation(name: str, loaded: LoadedFile) -> Observation:
    d = loaded.data
    scenarios = tuple(
        ObservedScenario(
            s["id"], text_of(s["description"]), dict(s["settings"]), dict(s.get("in_effect", {})),
            s["command"],
            {protocol: HandshakeResult(protocol, r["outcome"], r.get("negotiated"), r.get("cipher"),
                                       r.get("error"), tuple(r.get("server_log", ())),
                                       Origin(loaded, ("scenarios", i, "results", protocol)))
             for protocol, r in s["results"].items()},
            Origin(loaded, ("scenarios", i)))
        for i, s in enumerate(d["scenarios"]))
    return Observation(
        name=name, pg_major=d["postgresql"]["major"], pg_version=d["postgresql"]["version"],
        pg_version_string=d["postgresql"].get("version_string"),
        openssl_series=d["openssl"]["server_series"], openssl_release=d["openssl"].get("server_release"),
        openssl_library=d["openssl"]["server_library"], openssl_client=d["openssl"]["client"],
        platform=d["platform"]["pretty_name"], date=d["date"], scenarios=scenarios,
        origin=Origin(loaded, ()))


def _openssl(loaded: LoadedFile) -> OpenSSLSeries:
    d = loaded.data
    level = d["default_security_level"]
    return OpenSSLSeries(
        series=d["series"], released=d["released"], eol=d["eol"], lts=d["lts"],
        latest=_release(loaded, d["latest_release"], "latest_release"), reviewed=d["reviewed"],
        security_level=SecurityLevel(level.get("value"), text_of(level.get("blocks")),
                                     text_of(level.get("note")), _sources(level["sources"])),
        note=text_of(d.get("note")), lifecycle_sources=_sources(d["lifecycle_sources"]),
        cells=_cells(loaded, d["protocols"]), origin=Origin(loaded, ()))


def _postgres(loaded: LoadedFile) -> PostgresMajor:
    d = loaded.data
    build = d["build"]
    minimum = build["min_openssl"]
    libressl = build.get("libressl")
    return PostgresMajor(
        major=d["major"], status=d["status"], released=d.get("released"), eol=d.get("eol"),
        latest=_release(loaded, d.get("latest_minor"), "latest_minor"), reviewed=d["reviewed"],
        lifecycle_sources=_sources(d["lifecycle_sources"]), note=text_of(d.get("note")),
        min_openssl=MinOpenSSL(minimum["series"], minimum["documented"], text_of(minimum.get("note")),
                               _sources(minimum["sources"]),
                               Origin(loaded, ("build", "min_openssl"))),
        milestones=tuple(
            Milestone(m["openssl"], m["status"], m.get("since"), text_of(m.get("note")),
                      bool(m.get("inferred", False)), _sources(m["sources"]),
                      Origin(loaded, ("build", "openssl_support", i)))
            for i, m in enumerate(build["openssl_support"])),
        libressl=LibreSSL(libressl.get("min_version"), text_of(libressl.get("note")),
                          _sources(libressl["sources"])) if libressl else None,
        cells=_cells(loaded, d["protocols"]), origin=Origin(loaded, ()))


def _settings(loaded: LoadedFile):
    kind = loaded.data["kind"]
    for i, s in enumerate(loaded.data["settings"]):
        keys = ("settings", i)
        ranges = tuple(
            SettingRange(start=r["from"], end=r.get("to"), default=r.get("default"),
                         has_default="default" in r, default_note=text_of(r.get("default_note")),
                         values=tuple(r["values"]) if "values" in r else None,
                         values_note=text_of(r.get("values_note")), apply=r.get("apply"),
                         note=text_of(r.get("note")), sources=_sources(r.get("sources")),
                         origin=Origin(loaded, keys + ("versions", j)))
            for j, r in enumerate(s["versions"]))
        yield Setting(kind=kind, name=s["name"], description=text_of(s["description"]),
                      env=s.get("env"), added=s["added"], removed=s.get("removed"),
                      renamed_to=s.get("renamed_to"), note=text_of(s.get("note")), ranges=ranges,
                      sources=_sources(s["sources"]), origin=Origin(loaded, keys))


def release_key(version: str):
    """Order a minor or patch release of either product."""
    try:
        return (0,) + pg_release_key(version)
    except ValueError:
        return (1,) + openssl_key(version)
