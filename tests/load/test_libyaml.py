"""libyaml's C parser under the project's composer gives what the pure-Python parser gives.

macros/load/yamlfile.py parses with libyaml when PyYAML has it, and falls back to the pure-Python
parser (the reference) when libyaml is missing or a file fails. Compared here on every YAML file
the project has: the real data, the hostile corpus and the rules' fixtures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA_DIR, ROOT

from macros.core.problems import DataError
from macros.load import yamlfile
from macros.load.yamlfile import load_file
from yaml.nodes import MappingNode, Node, SequenceNode

CORPUS = sorted(path for path in [*DATA_DIR.rglob("*.yaml"), *(ROOT / "tests" / "hostile").rglob("*.yaml"),
                                  *(ROOT / "tests" / "check" / "rules").rglob("*.yaml")] if path.is_file())

needs_libyaml = pytest.mark.skipif(yamlfile._FastStrictLoader is None, reason="PyYAML has no libyaml here")


def tree(node: Node) -> tuple:
    """Everything a node tells: tag, value, style and both marks, recursively."""
    marks = (node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
    if isinstance(node, (MappingNode, SequenceNode)):
        children = node.value if isinstance(node, SequenceNode) else [part for pair in node.value for part in pair]
        # An indentless block sequence (`key:` then `- item` at the key's indent) has flow_style None
        # from PyYAML's parser and False from libyaml; both mean block style.
        return (node.tag, marks, bool(node.flow_style), tuple(tree(child) for child in children))
    # A plain scalar's style is None from PyYAML's parser and "" from libyaml; nothing here reads it.
    return (node.tag, marks, node.style or None, node.value)


def outcome(path: Path, loader_class) -> tuple:
    raw = path.read_bytes()
    try:
        text = yamlfile._decode(raw, "f")
        loaded = yamlfile._load_text(path, "f", text, loader_class)
    except DataError as error:
        return ("refused", [p.rule for p in error.problems])
    return ("loaded", loaded.data, tree(loaded.root))


def test_the_corpus_is_there():
    assert len(CORPUS) > 100 and any(p.name == "syntax-unclosed-quote.yaml" for p in CORPUS)


@needs_libyaml
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_libyaml_loads_what_the_reference_loads(path):
    # A file libyaml refuses is read again by the reference, so only acceptance and the data must agree.
    # A file with U+FEFF inside never reaches libyaml (it reads that as a byte-order mark): load_file
    # gives it to the reference, which test_text_with_a_bom_inside_takes_the_reference pins down.
    fast, reference = outcome(path, yamlfile._FastStrictLoader), outcome(path, yamlfile._StrictLoader)
    if "\ufeff" in Path(path).read_text(encoding="utf-8", errors="replace"):
        return
    assert fast[0] == reference[0] or fast[0] == "refused", (fast, reference)
    if fast[0] == "loaded":
        assert fast == reference


@needs_libyaml
def test_a_syntax_error_is_worded_by_the_reference_parser(tmp_path, monkeypatch):
    path = tmp_path / "bad.yaml"
    path.write_text('major: "13\n', encoding="utf-8")
    with pytest.raises(DataError) as fast:
        load_file(path, "bad.yaml")
    monkeypatch.setattr(yamlfile, "_FastStrictLoader", None)
    with pytest.raises(DataError) as reference:
        load_file(path, "bad.yaml")
    assert [str(p) for p in fast.value.problems] == [str(p) for p in reference.value.problems]
    assert "while scanning a quoted scalar" in str(fast.value.problems[0])


def test_without_libyaml_the_pure_python_parser_loads_the_data(monkeypatch):
    expected = load_file(DATA_DIR / "protocols.yaml")
    monkeypatch.setattr(yamlfile, "_FastStrictLoader", None)
    loaded = load_file(DATA_DIR / "protocols.yaml")
    assert loaded.data == expected.data and isinstance(loaded.data, dict)
    assert loaded.root.start_mark.line == expected.root.start_mark.line > 0


@needs_libyaml
def test_text_with_a_bom_inside_takes_the_reference():
    path = ROOT / "tests/hostile/bom-inside-text.yaml"
    loaded = load_file(path)
    assert "\ufeff" in loaded.data["settings"][0]["description"]
    reference = yamlfile._load_text(path, "f", path.read_text(encoding="utf-8"), yamlfile._StrictLoader)
    assert tree(loaded.root) == tree(reference.root)
