"""The facts as typed, read-only objects: what rules check and what tables render.

Built from schema-valid files only. Nothing here judges the data (that is the rules' job):
references that do not resolve come back as None.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from macros.core.versions import openssl_key
from macros.load.tree import DataTree
from macros.model.common import Origin, sources_of, text_of
from macros.model.observations import Observation, read_observation
from macros.model.openssl import OpenSSLSeries, read_openssl
from macros.model.platform_releases import (
    LevelRule,
    PlatformRelease,
    Precedence,
    read_level_rules,
    read_precedence,
    read_releases,
)
from macros.model.postgresql import BuildSupport, PostgresMajor, read_postgres
from macros.model.protocols import Protocol
from macros.model.registries import (
    CliFeature,
    Feature,
    Message,
    Platforms,
    Profile,
    read_cli_features,
    read_features,
    read_messages,
    read_platforms,
    read_profiles,
)
from macros.model.settings import Setting, read_settings


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
    releases: tuple[PlatformRelease, ...] = ()  # platform releases (debian-12, upstream, ...)
    level_rules: tuple[LevelRule, ...] = ()  # upstream OpenSSL: security level vs protocol
    precedence: dict[str, Precedence] = field(default_factory=dict)  # who wins, by id

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

    @property
    def as_of(self) -> str:
        """The date the data speaks for: the newest review date (never the build date)."""
        dates = [v.reviewed for v in self.openssl + self.postgresql]
        return max(dates) if dates else ""

    def release(self, release_id: str) -> PlatformRelease | None:
        return next((r for r in self.releases if r.id == release_id), None)

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
                 sources=sources_of(p["sources"]), origin=Origin(tree.protocols, ("protocols", i)))
        for i, p in enumerate(tree.protocols.data["protocols"])) if tree.protocols else ()
    openssl = tuple(sorted((read_openssl(f) for f in tree.openssl.values()), key=lambda s: s.key))
    postgresql = tuple(sorted((read_postgres(f) for f in tree.postgresql.values()), key=lambda m: m.key))
    settings: dict[str, tuple[Setting, ...]] = {}
    for loaded in tree.settings.values():
        kind = loaded.data["kind"]
        settings[kind] = settings.get(kind, ()) + tuple(read_settings(loaded))
    return Dataset(protocols, openssl, postgresql, settings,
                   cli_features=read_cli_features(tree.openssl_cli), platforms=read_platforms(tree.platforms),
                   profiles=read_profiles(tree.profiles), features=read_features(tree.features),
                   messages=read_messages(tree.messages),
                   observations=tuple(read_observation(name, tree.observations[name])
                                      for name in sorted(tree.observations)),
                   message_placeholders=dict(tree.messages.data["placeholders"]) if tree.messages else {},
                   releases=read_releases(tree.platforms), level_rules=read_level_rules(tree.platforms),
                   precedence=read_precedence(tree.platforms))
