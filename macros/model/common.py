"""What every fact carries: free text, where it was written, its sources, a release."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from macros.core.problems import Problem
from macros.core.versions import openssl_key, pg_release_key
from macros.load.yamlfile import LoadedFile

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


def sources_of(raw: list | None) -> tuple[Source, ...]:
    return tuple(Source(url=s.get("url"), repo=s.get("repo"), path=s.get("path"), ref=s.get("ref"),
                        title=text_of(s.get("title")), quote=text_of(s.get("quote")))
                 for s in raw or ())


@dataclass(frozen=True)
class Release:
    version: str
    date: str
    note: Text | None
    sources: tuple[Source, ...]
    origin: Origin


def release_of(loaded: LoadedFile, raw: dict | None, key: str) -> Release | None:
    if raw is None:
        return None
    return Release(raw["version"], raw["date"], text_of(raw.get("note")), sources_of(raw["sources"]),
                   Origin(loaded, (key,)))


def release_key(version: str):
    """Order a minor or patch release of either product."""
    try:
        return (0,) + pg_release_key(version)
    except ValueError:
        return (1,) + openssl_key(version)
