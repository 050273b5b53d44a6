"""$refs between the data schemas replaced by what they point to, once, before any validation.

jsonschema looks a $ref up again on every use: about 5,500 lookups in one check of the real data,
a third of the validation time. Replacing each resolvable `{"$ref": ...}` by the schema it names
(the same object, not a copy) gives the same errors: in draft 7 a $ref's sibling keywords are
ignored, and an error's message, validator, instance and subschema do not depend on how the
validator got there. A $ref that does not resolve, or that would nest a schema in itself, stays
as it is (with its target made absolute), so jsonschema still resolves it or reports it as before.
"""

from __future__ import annotations


def inline_refs(schemas: dict[str, dict]) -> dict[str, dict]:
    """The schemas by file name, with their refs inlined (the input is not changed)."""
    done: dict[str, object] = {}
    return {name: _inline(schema, name, schemas, done, ()) for name, schema in schemas.items()}


def _inline(node, file: str, schemas: dict, done: dict, active: tuple):
    if isinstance(node, list):
        return [_inline(item, file, schemas, done, active) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        target = _absolute(ref, file)
        if target in done:
            return done[target]
        found = _lookup(target, schemas)
        if found is None or target in active:
            return {**node, "$ref": target}
        done[target] = _inline(found, target.split("#")[0], schemas, done, active + (target,))
        return done[target]
    return {key: _inline(value, file, schemas, done, active) for key, value in node.items()}


def _absolute(ref: str, file: str) -> str:
    document, _, pointer = ref.partition("#")
    return f"{document or file}#{pointer}"


def _lookup(target: str, schemas: dict):
    document, _, pointer = target.partition("#")
    node = schemas.get(document)
    for part in pointer.split("/")[1:] if pointer else ():
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node
