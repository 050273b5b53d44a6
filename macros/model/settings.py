"""Server settings, libpq parameters and pg_hba.conf options: data/settings/*.yaml."""

from __future__ import annotations

from dataclasses import dataclass

from macros.core.versions import pg_major_key
from macros.load.yamlfile import LoadedFile
from macros.model.common import Origin, Source, Text, sources_of, text_of


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


def read_settings(loaded: LoadedFile):
    kind = loaded.data["kind"]
    for i, s in enumerate(loaded.data["settings"]):
        keys = ("settings", i)
        ranges = tuple(
            SettingRange(start=r["from"], end=r.get("to"), default=r.get("default"),
                         has_default="default" in r, default_note=text_of(r.get("default_note")),
                         values=tuple(r["values"]) if "values" in r else None,
                         values_note=text_of(r.get("values_note")), apply=r.get("apply"),
                         note=text_of(r.get("note")), sources=sources_of(r.get("sources")),
                         origin=Origin(loaded, keys + ("versions", j)))
            for j, r in enumerate(s["versions"]))
        yield Setting(kind=kind, name=s["name"], description=text_of(s["description"]),
                      env=s.get("env"), added=s["added"], removed=s.get("removed"),
                      renamed_to=s.get("renamed_to"), note=text_of(s.get("note")), ranges=ranges,
                      sources=sources_of(s["sources"]), origin=Origin(loaded, keys))
