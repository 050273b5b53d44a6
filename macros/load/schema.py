"""JSON Schema validation of one loaded file, with errors placed on the file's own lines."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
from pathlib import Path

from jsonschema import Draft7Validator, validators
from jsonschema.exceptions import SchemaError, ValidationError, best_match
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable

from macros.core.problems import Problem
from macros.load import placeholders
from macros.load.placeholders import placeholder_problems
from macros.load.schema_refs import inline_refs
from macros.load.suggest import explain
from macros.load.yamlfile import LoadedFile


def _whole_string_pattern(validator, pattern, instance, schema):
    """`pattern` with a final `$` meaning the end of the string.

    jsonschema applies patterns with re.search, where `$` also matches before a final newline:
    `^[a-z_]+$` would pass "ssl\\n", and a one-line field would print on two lines. Every schema
    pattern ends in `$` to mean "nothing after this", so `$` is read as `\\Z` here, once for all.
    """
    if not validator.is_type(instance, "string"):
        return
    anchored = pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") else pattern
    if not re.search(anchored, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = validators.extend(Draft7Validator, {"pattern": _whole_string_pattern})


@dataclasses.dataclass(frozen=True)
class _Schemas:
    validators: dict[str, Draft7Validator]  # _Validator instances
    digests: dict[str, str]  # of each schema with its $refs inlined: what a verdict depends on
    problems: tuple[Problem, ...]  # schema-invalid: while there are any, no file is validated


@functools.cache
def _schemas(schema_dir: Path) -> _Schemas:
    schemas, problems = {}, []
    for path in sorted(schema_dir.glob("*.schema.json")):
        try:
            schema = json.loads(path.read_text(encoding="utf-8"))
            Draft7Validator.check_schema(schema)
        except (OSError, ValueError, SchemaError) as error:
            problems.append(_invalid(path, error))
            continue
        schemas[path.name] = schema
    # Schemas refer to each other by file name, as editors resolve them next to the file.
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema)) for name, schema in schemas.items())
    inlined = inline_refs(schemas)
    return _Schemas({name: _Validator(schema, registry=registry,
                                      format_checker=Draft7Validator.FORMAT_CHECKER)
                     for name, schema in inlined.items()},
                    {name: _digest(json.dumps(schema, sort_keys=True)) for name, schema in inlined.items()},
                    tuple(problems))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _invalid(path: Path, error: Exception) -> Problem:
    """A schema file that cannot be used, as `path:line:col: schema-invalid: ...`."""
    if isinstance(error, json.JSONDecodeError):
        return Problem(str(path), error.lineno, error.colno, "schema-invalid", f"not valid JSON: {error.msg}")
    if isinstance(error, SchemaError):
        where = "/".join(str(key) for key in error.absolute_path)
        message = f"not a draft-07 JSON Schema: {where + ': ' if where else ''}{error.message}"
    elif isinstance(error, OSError):
        message = f"cannot be read: {error.strerror or error}"
    else:
        message = f"cannot be read: {error}"  # UnicodeDecodeError and the like
    return _bounded(Problem(str(path), 1, 1, "schema-invalid", message))


def invalid_schemas(schema_dir: Path) -> list[Problem]:
    """The schema files that are not valid JSON or not valid draft-07 schemas."""
    return list(_schemas(schema_dir).problems)


def schema_problems(loaded: LoadedFile, schema_dir: Path, schema_name: str) -> list[Problem]:
    schemas = _schemas(schema_dir)
    if schemas.problems:
        return []  # invalid_schemas() reports them; validating against half the schemas would mislead
    validator = schemas.validators.get(schema_name)
    if validator is None:
        return [Problem(loaded.display, 1, 1, "schema-missing",
                        f"no schema {schema_name} in {schema_dir}")]
    try:
        return _validation_problems(loaded, validator, schema_dir, schemas.digests[schema_name])
    except Unresolvable as error:  # a $ref to a file or definition that is not there
        return [Problem(str(schema_dir / schema_name), 1, 1, "schema-invalid",
                        f"$ref {getattr(error, 'ref', '')!r} cannot be resolved")]


# Texts that passed their schema, by digest of (schema, text). Validation is half the time of a
# check, and one process often checks the same files again: the tests that check many copies of
# data/ with one file changed, `mkdocs serve` after each edit. Only passes are remembered (a
# failure is cheap next to printing it); the bound keeps a long session's memory flat.
_PASSED: set[str] = set()
_PASSED_LIMIT = 10_000


def _validation_problems(loaded: LoadedFile, validator: Draft7Validator, schema_dir: Path,
                         schema_digest: str) -> list[Problem]:
    problems = placeholder_problems(loaded)
    verdict_key = _digest(schema_digest + "\0" + loaded.text)
    if verdict_key in _PASSED:
        return problems
    failed = False
    for error in validator.iter_errors(loaded.data):  # lazily: a file may hold 350,000 errors
        failed = True
        if not placeholders.explains(error):
            problems.append(_bounded(_to_problem(loaded, _most_specific(error), schema_dir)))
            if len(problems) > MAX_PROBLEMS_PER_FILE:
                # 500 KiB of `- {}` would otherwise print 300,000 lines: show the first ones.
                return sorted(set(problems[:MAX_PROBLEMS_PER_FILE])) + [Problem(
                    loaded.display, 1, 1, "schema", f"more than {MAX_PROBLEMS_PER_FILE} problems; "
                    "fix these first, the rest are not listed")]
    if not failed:
        if len(_PASSED) >= _PASSED_LIMIT:
            _PASSED.clear()
        _PASSED.add(verdict_key)
    return sorted(set(problems))


MAX_PROBLEMS_PER_FILE = 50


def _most_specific(error: ValidationError) -> ValidationError:
    # For oneOf/anyOf (text, source) show the branch that came closest, not the whole union.
    while error.validator in ("oneOf", "anyOf") and error.context:
        error = best_match(_closest_branch(error.context))
    return error


_SHAPE = {"required", "additionalProperties", "type"}


def _closest_branch(errors: list[ValidationError]) -> list[ValidationError]:
    # `url: javascript:...` fails both source branches; the url branch fits its shape (no key
    # missing or extra), so its "must be https" says more than the repo branch's "repo missing".
    branches: dict = {}
    for error in errors:
        branches.setdefault(error.relative_schema_path[0], []).append(error)
    fitting = [error for branch in branches.values()
               if not any(e.validator in _SHAPE and not e.relative_path for e in branch)
               for error in branch]
    return fitting or errors


MAX_MESSAGE = 300


def _bounded(problem: Problem) -> Problem:
    # jsonschema repeats the value in its message: a 3000-character note or a huge list must not
    # come back whole. Keep both ends; the end says what is wrong ("is too long").
    if len(problem.message) <= MAX_MESSAGE:
        return problem
    return dataclasses.replace(problem, message=problem.message[:200] + " … " + problem.message[-90:])


def _to_problem(loaded: LoadedFile, error: ValidationError, schema_dir: Path) -> Problem:
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
    if error.validator == "type" and "string" in _as_list(error.validator_value) and not isinstance(error.instance, (dict, list)):
        written = loaded.scalar_text(keys)
        hint = f'; put it in quotes: "{written}"' if written is not None else ""
        return loaded.problem(keys, "schema", f"{where}expected a string, got {written!r}{hint}")
    if "propertyNames" in error.relative_schema_path:
        return loaded.problem(keys + (error.instance,), "schema",
                              explain(error, schema_dir) or f"'{error.instance}' is not a valid key here",
                              at_key=True)
    return loaded.problem(keys, "schema", f"{where}{explain(error, schema_dir) or error.message}")


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _field_name(keys: tuple) -> str:
    if not keys:
        return ""
    return ".".join(str(k) if not isinstance(k, int) else f"[{k}]" for k in keys).replace(".[", "[") + ": "
