"""Strict YAML loading: the data files are plain, YAML-1.2-like documents.

PyYAML speaks YAML 1.1, where `3.10` is a float, `yes` is true, `2026-09-07` is a date and a
repeated key silently wins. Data files come from strangers' pull requests, so this loader also
refuses tags, anchors and aliases (alias bombs), deep nesting and huge files, and reports every
problem with the file, line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from macros.core.problems import DataError, Problem

try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML without its libyaml extension
    CParser = None

MAX_FILE_BYTES = 512 * 1024
MAX_DEPTH = 32

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "seq", "map")
}


# YAML 1.1 readings that surprise people: yes/no/on/off booleans, bare dates, the `=` value key.
_DROPPED_RESOLVERS = {"tag:yaml.org,2002:" + name for name in ("bool", "timestamp", "value")}

# Control characters (C0, DEL, C1) and the Unicode line/paragraph separators: invisible in an
# editor, and PyYAML counts U+0085/U+2028/U+2029 as line breaks, which would shift every line
# number after them. Surrogates (only reachable through "\ud800" escapes) cannot be written out.
_BAD_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_STR_TAG = "tag:yaml.org,2002:str"
_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
# Python refuses to turn integers of more than 4300 digits into int; no fact needs 100.
MAX_NUMBER_CHARS = 100


class _StrictComposing:
    """The project's composer rules (no aliases, no tags, bounded depth), whatever parser feeds it."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers
                if tag not in _DROPPED_RESOLVERS]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _LoadFailure("yaml-alias", "anchors and aliases (& and *) are not allowed; "
                               "write the value out", event.start_mark)
        # Explicit tags (`!!int abc`, `!!bool maybe`, `!foo`) would bypass the plain-value rules
        # or crash the constructor; "!" alone only means "not resolved", i.e. a string.
        if getattr(event, "tag", None) not in (None, "!"):
            raise _LoadFailure("yaml-tag", f"YAML tags like '{event.tag}' are not allowed",
                               event.start_mark)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _LoadFailure("yaml-depth", f"nesting deeper than {MAX_DEPTH} levels",
                               event.start_mark)
        try:
            return Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 1


class _StrictLoader(_StrictComposing, yaml.SafeLoader):
    """SafeLoader without the YAML 1.1 surprises, with alias, tag and depth limits: the reference."""


_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))
_StrictComposing.yaml_implicit_resolvers = _StrictLoader.yaml_implicit_resolvers


if CParser is not None:
    class _FastStrictLoader(_StrictComposing, Composer, CParser, SafeConstructor, Resolver):
        """The same composer and constructor, fed by libyaml's C event parser (about 5x faster).

        Composer comes before CParser, so nodes are built by the Python code above (same checks, same
        marks: libyaml counts lines and columns in characters, as PyYAML does); only the scanning and
        parsing into events runs in C. CSafeLoader would compose in C and skip those checks.
        """

        def __init__(self, stream):
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
else:  # PyYAML built without libyaml: the pure-Python parser does everything
    _FastStrictLoader = None


class _LoadFailure(Exception):
    def __init__(self, rule: str, message: str, mark):
        super().__init__(message)
        self.rule, self.message, self.mark = rule, message, mark


@dataclass
class LoadedFile:
    """A data file: its parsed content plus the node tree that knows every line."""

    path: Path
    display: str
    data: Any
    root: Node
    text: str

    def node_at(self, keys: tuple) -> Node:
        """The deepest node along `keys` (mapping keys and sequence indexes)."""
        node = self.root
        for key in keys:
            child = _child(node, key)
            if child is None:
                break
            node = child
        return node

    def key_node(self, keys: tuple) -> Node:
        """The node of the last key itself (its name), for errors about a key."""
        parent = self.node_at(keys[:-1])
        if isinstance(parent, MappingNode) and keys:
            for key_node, _ in parent.value:
                if isinstance(key_node, ScalarNode) and key_node.value == str(keys[-1]):
                    return key_node
        return self.node_at(keys)

    def problem(self, keys: tuple, rule: str, message: str, severity: str = "error",
                at_key: bool = False) -> Problem:
        node = self.key_node(keys) if at_key else self.node_at(keys)
        mark = node.start_mark
        return Problem(self.display, mark.line + 1, mark.column + 1, rule, message, severity)

    def scalar_text(self, keys: tuple) -> str | None:
        """The value exactly as written in the file (before YAML typed it)."""
        node = self.node_at(keys)
        return node.value if isinstance(node, ScalarNode) else None


def _child(node: Node, key) -> Node | None:
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == str(key):
                return value_node
    if isinstance(node, SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
        return node.value[key]
    return None


def load_file(path: Path, display: str | None = None) -> LoadedFile:
    """Load one data file or raise DataError naming the file, line and rule."""
    display = display or str(path)
    raw = _read_bytes(path, display)
    text = _decode(raw, display)
    # libyaml treats U+FEFF inside a document as a byte-order mark, not as text; the check must
    # see it where it stands (rule invisible-characters), so such a file takes the reference parser.
    if _FastStrictLoader is not None and "\ufeff" not in text:
        try:
            return _load_text(path, display, text, _FastStrictLoader)
        except DataError:
            pass  # say it in the reference parser's words (libyaml words syntax errors differently)
    return _load_text(path, display, text, _StrictLoader)


def _load_text(path: Path, display: str, text: str, loader_class) -> LoadedFile:
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        if root is None or (isinstance(root, ScalarNode) and root.value == ""
                            and root.tag == "tag:yaml.org,2002:null"):  # a lone `---`
            raise DataError([Problem(display, 1, 1, "yaml-empty", "the file is empty")])
        _check_tree(root, display)
        data = loader.construct_document(root)
    except _LoadFailure as failure:
        raise DataError([_problem_at(display, failure.mark, failure.rule, failure.message)])
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        context = error.context
        if context and error.context_mark and mark and error.context_mark.line != mark.line:
            # "while scanning a quoted scalar" found at the end of the file: say where it began.
            context += f" (from line {error.context_mark.line + 1})"
        message = " ".join(part for part in (context, error.problem) if part)
        raise DataError([_problem_at(display, mark, "yaml-syntax", message)])
    except yaml.YAMLError as error:
        raise DataError([Problem(display, 1, 1, "yaml-syntax", str(error).splitlines()[0])])
    finally:
        loader.dispose()
    return LoadedFile(path, display, data, root, text)


def _read_bytes(path: Path, display: str) -> bytes:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise DataError([Problem(display, 1, 1, "file-unreadable", error.strerror or str(error))])
    if len(raw) > MAX_FILE_BYTES:
        raise DataError([Problem(display, 1, 1, "file-too-large",
                                 f"larger than {MAX_FILE_BYTES // 1024} KiB; split it or trim it")])
    return raw


def _decode(raw: bytes, display: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raise DataError([Problem(display, 1, 1, "yaml-encoding",
                                 "the file starts with a byte-order mark; save it as UTF-8 without BOM")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        # Columns count characters, as PyYAML's do; the bytes before the bad one are valid.
        col = len(raw[line_start:error.start].decode("utf-8")) + 1
        raise DataError([Problem(display, line, col, "yaml-encoding",
                                 f"not valid UTF-8 (byte 0x{raw[error.start]:02x})")])
    bad = _BAD_CHARACTERS.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise DataError([Problem(display, line, col, "yaml-encoding", _bad_character(bad.group()))])
    return text


def _bad_character(character: str) -> str:
    return f"control character U+{ord(character):04X} is not allowed"


def _check_tree(node: Node, display: str) -> None:
    """Refuse explicit tags, merge keys and duplicate keys anywhere in the tree."""
    if node.tag not in _STANDARD_TAGS:
        raise _LoadFailure("yaml-tag", f"YAML tags like '{node.tag}' are not allowed",
                           node.start_mark)
    if isinstance(node, ScalarNode):
        _check_scalar(node)
    if isinstance(node, MappingNode):
        seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise _LoadFailure("yaml-syntax", "mapping keys must be plain words",
                                   key_node.start_mark)
            if key_node.tag != _STR_TAG and key_node.value != "<<":
                # `1:` or `~:` would make a number or None key that no schema can name.
                raise _LoadFailure("yaml-syntax", f"mapping keys must be text; put it in quotes: "
                                   f"\"{key_node.value}\"", key_node.start_mark)
            if key_node.tag == "tag:yaml.org,2002:merge" or key_node.value == "<<":
                raise _LoadFailure("yaml-alias", "merge keys (<<) are not allowed",
                                   key_node.start_mark)
            if key_node.value in seen:
                first = seen[key_node.value].start_mark.line + 1
                raise _LoadFailure("yaml-duplicate-key",
                                   f"duplicate key '{key_node.value}' (first at line {first})",
                                   key_node.start_mark)
            seen[key_node.value] = key_node
            _check_tree(key_node, display)
            _check_tree(value_node, display)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            _check_tree(item, display)


def _check_scalar(node: ScalarNode) -> None:
    # Escapes in double quotes ("\0", "\x07", "\ud800") reach the value without passing _decode.
    bad = _BAD_CHARACTERS.search(node.value)
    if bad:
        raise _LoadFailure("yaml-encoding", _bad_character(bad.group()) + " (written as an escape)",
                           node.start_mark)
    if node.tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_CHARS:
        raise _LoadFailure("yaml-syntax", f"a number longer than {MAX_NUMBER_CHARS} characters; "
                           "put it in quotes if it is text", node.start_mark)


def _problem_at(display: str, mark, rule: str, message: str) -> Problem:
    if mark is None:
        return Problem(display, 1, 1, rule, message)
    return Problem(display, mark.line + 1, mark.column + 1, rule, message)
