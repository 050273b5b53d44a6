"""JSON Schema validation of one loaded file, with errors placed on the file's own lines."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource

from macros.problems import Problem
from macros.yamlload import LoadedFile


@functools.cache
def _validators(schema_dir: Path) -> dict[str, Draft7Validator]:
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8"))
               for p in sorted(schema_dir.glob("*.schema.json"))}
    # Schemas refer to each other by file name, as editors resolve them next to the file.
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema)) for name, schema in schemas.items())
    return {name: Draft7Validator(schema, registry=registry,
                                  format_checker=Draft7Validator.FORMAT_CHECKER)
            for name, schema in schemas.items()}


def schema_problems(loaded: LoadedFile, schema_dir: Path, schema_name: str) -> list[Problem]:
    validator = _validators(schema_dir).get(schema_name)
    if validator is None:
        return [Problem(loaded.display, 1, 1, "schema-missing",
                        f"no schema {schema_name} in {schema_dir}")]
    problems = []
    for error in validator.iter_errors(loaded.data):
        problems.append(_to_problem(loaded, _most_specific(error)))
    return sorted(set(problems))


def _most_specific(error: ValidationError) -> ValidationError:
    # For oneOf/anyOf (text, source) show the branch that came closest, not the whole union.
    while error.validator in ("oneOf", "anyOf") and error.context:
        error = best_match(error.context)
    return error


def _to_problem(loaded: LoadedFile, error: ValidationError) -> Problem:
    keys = tuple(error.absolute_path)
    where = _field_name(keys)
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        patterns = error.schema.get("patternProperties", {})
        extra = [k for k in extra if not any(re.search(p, k) for p in patterns)]
        if extra:
            allowed = ", ".join(sorted(error.schema.get("properties", {})))
            return loaded.problem(keys + (extra[0],), "schema",
                                  f"unknown key '{extra[0]}'" + (f"; allowed here: {allowed}" if allowed else ""),
                                  at_key=True)
    if error.validator == "required":
        return loaded.problem(keys, "schema", f"{where}missing required key: {error.message.split(' is a ')[0]}")
    if error.validator == "type" and error.validator_value == "string" and not isinstance(error.instance, (dict, list)):
        written = loaded.scalar_text(keys)
        hint = f'; put it in quotes: "{written}"' if written is not None else ""
        return loaded.problem(keys, "schema", f"{where}expected a string, got {written!r}{hint}")
    if "propertyNames" in error.relative_schema_path:
        return loaded.problem(keys + (error.instance,), "schema",
                              f"'{error.instance}' is not a valid key here", at_key=True)
    return loaded.problem(keys, "schema", f"{where}{error.message}")


def _field_name(keys: tuple) -> str:
    if not keys:
        return ""
    return ".".join(str(k) if not isinstance(k, int) else f"[{k}]" for k in keys).replace(".[", "[") + ": "
