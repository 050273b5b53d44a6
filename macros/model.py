"""The facts as typed, read-only objects: what rules check and what tables render.

Built from schema-valid files only. Nothing here judges the data (that is the rules' job):
references that do not resolve come back as None.
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class Dataset:
    protocols: tuple[Protocol, ...]
    openssl: tuple[OpenSSLSeries, ...]  # oldest first
    postgresql: tuple[PostgresMajor, ...]  # oldest first
    settings: dict[str, tuple[Setting, ...]]  # by kind
    observations: tuple = ()

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
    return Dataset(protocols, openssl, postgresql, settings)


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
