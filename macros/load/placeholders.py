"""Placeholders left by `python -m macros new`: a half-filled file must not pass the check.

The new-file templates put `FILL-IN: <what goes here>` wherever a fact is needed. Any scalar that
still contains the marker is an error, reported with the schema problems of its file so that
every placeholder shows up in the first run of the check (not only after the schema passes).
"""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from macros.core.problems import Problem
from macros.load.yamlfile import LoadedFile

MARKER = "FILL-IN"
RULE = "placeholder"


def is_placeholder(value) -> bool:
    return isinstance(value, str) and MARKER in value


def _scalars(node: Node):
    if isinstance(node, ScalarNode):
        yield node
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            yield from _scalars(key)
            yield from _scalars(value)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            yield from _scalars(item)


def placeholder_problems(loaded: LoadedFile) -> list[Problem]:
    """One error per value that still holds a placeholder (comments may mention the marker)."""
    return [Problem(loaded.display, node.start_mark.line + 1, node.start_mark.column + 1, RULE,
                    f"replace the placeholder \"{node.value}\" with the real value")
            for node in _scalars(loaded.root) if MARKER in node.value]


def contains_placeholder(value) -> bool:
    if isinstance(value, dict):
        return any(contains_placeholder(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_placeholder(v) for v in value)
    return is_placeholder(value)


def explains(error) -> bool:
    """Whether a schema error is only the consequence of a placeholder, already reported."""
    if error.validator in ("oneOf", "anyOf"):
        return contains_placeholder(error.instance)
    return is_placeholder(error.instance)
