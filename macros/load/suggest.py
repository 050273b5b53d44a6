"""'Did you mean ...?': the valid spellings closest to a misspelt value, for the check's messages.

Known misspellings come first (data/protocols.yaml lists `aliases:` such as TLSv1.0 -> TLSv1),
then a case-insensitive match, then difflib's similar strings.
"""

from __future__ import annotations

import difflib
import functools
import json
from pathlib import Path

from macros.core.problems import DataError
from macros.core.versions import (
    openssl_key,
    openssl_series_of,
    pg_major_key,
    pg_minor_parts,
)
from macros.load.yamlfile import load_file

MAX_SUGGESTIONS = 3


def closest(value: str, choices, aliases: dict[str, str] | None = None) -> list[str]:
    """Up to three of `choices` that `value` was probably meant to be, best first."""
    choices = list(dict.fromkeys(choices))
    found = []
    folded_aliases = {alias.casefold(): target for alias, target in (aliases or {}).items()}
    target = folded_aliases.get(value.casefold())
    if target in choices:
        found.append(target)
    found += [c for c in choices if c.casefold() == value.casefold()]
    if not found:  # a known misspelling or a case slip is certain; similarity only a guess
        found = difflib.get_close_matches(value, choices, n=MAX_SUGGESTIONS, cutoff=0.6)
    return list(dict.fromkeys(found))[:MAX_SUGGESTIONS]


def did_you_mean(value, choices, aliases: dict[str, str] | None = None) -> str:
    """'; did you mean TLSv1?' or '' when nothing is close."""
    if not isinstance(value, str):
        return ""
    found = closest(value, choices, aliases)
    return f"; did you mean {' or '.join(found)}?" if found else ""


def protocol_aliases(protocols: list[dict]) -> dict[str, str]:
    """alias -> protocol id, from the `protocols:` list of data/protocols.yaml."""
    return {alias: p["id"] for p in protocols for alias in p.get("aliases", ())}


@functools.cache
def _registry(path: Path, stamp: tuple) -> tuple[tuple[str, ...], dict[str, str]]:
    # `stamp` (mtime, size) keys the cache, so `make serve` sees an edited registry.
    try:
        protocols = load_file(path).data["protocols"]
        return tuple(p["id"] for p in protocols), protocol_aliases(protocols)
    except (DataError, KeyError, TypeError):
        return (), {}  # the registry's own problems are reported where it is checked


def protocol_spellings(data_dir: Path) -> tuple[tuple[str, ...], dict[str, str]]:
    """The protocol ids and their aliases, read from data_dir/protocols.yaml if it can be."""
    path = Path(data_dir) / "protocols.yaml"
    try:
        stat = path.stat()
    except OSError:
        return (), {}
    return _registry(path, (stat.st_mtime_ns, stat.st_size))


def known_versions(data_dir: Path, folder: str) -> list[str]:
    """The versions that have a data file (data/postgresql/*.yaml), in version order."""
    key = pg_major_key if folder == "postgresql" else openssl_key
    stems = [p.stem for p in sorted((Path(data_dir) / folder).glob("*.yaml"))]
    valid = []
    for stem in stems:
        try:
            valid.append((key(stem), stem))
        except ValueError:
            continue
    return [stem for _, stem in sorted(valid)]


@functools.cache
def common_definitions(schema_dir: Path) -> dict:
    try:
        return json.loads((Path(schema_dir) / "common.schema.json").read_text(encoding="utf-8"))["definitions"]
    except (OSError, ValueError, KeyError):
        return {}


def expected_text(definition: dict) -> str:
    """'a PostgreSQL major version: "9.4" to ...' from a schema definition's description."""
    description = definition.get("description", "").strip()
    description = description if description.endswith("...") else description.rstrip(".")
    if description.startswith(("A ", "An ")):
        return description[0].lower() + description[1:]
    return ""


def choices_for(definition: dict, schema_dir: Path) -> tuple[str, list[str], dict[str, str]]:
    """What a value checked against `definition` should be: (what, choices, aliases).

    Protocols come from data/protocols.yaml; versions from the data files that exist.
    """
    data_dir = Path(schema_dir).parent
    definitions = common_definitions(schema_dir)
    if definition == definitions.get("protocol"):
        ids, aliases = protocol_spellings(data_dir)
        return "a protocol version", list(ids), aliases
    for name, folder in (("pg_major", "postgresql"), ("openssl_series", "openssl")):
        if definition == definitions.get(name):
            return expected_text(definition), known_versions(data_dir, folder), {}
    return expected_text(definition), [], {}


def _versions_holding(value) -> list[str]:
    """A release written where its series or major belongs: '3.0.19' -> 3.0, '13.5' -> 13."""
    found = []
    for parse in (openssl_series_of, lambda v: pg_minor_parts(v)[0]):
        try:
            found.append(parse(value))
        except (ValueError, TypeError):
            continue
    return found


def explain(error, schema_dir: Path) -> str | None:
    """A readable message for a wrong value (enum, pattern, date), with the closest valid ones.

    None when jsonschema's own message is as good as it gets.
    """
    value = error.instance
    if error.validator == "enum":
        choices = [str(c) for c in error.validator_value]
        return f"{value!r} is not one of: {', '.join(choices)}" + did_you_mean(value, choices)
    if error.validator == "format" and error.validator_value == "date":
        return f"{value!r} is not a calendar date; write it as \"YYYY-MM-DD\""
    if error.validator == "pattern":
        what, choices, aliases = choices_for(error.schema, schema_dir)
        if not what:
            return None
        parent = next((v for v in _versions_holding(value) if v in choices), None)
        if parent:
            aliases = {**aliases, value: parent}
        hint = did_you_mean(value, choices, aliases)
        if not hint and choices:
            hint = f" (known: {', '.join(choices)})"
        return f"{value!r} is not {what}{hint}"
    return None
