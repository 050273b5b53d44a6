"""macros.load.yamlfile: the strict loader. Each bad input must end in one problem with its rule and line:col."""

from __future__ import annotations

import tracemalloc

import pytest
from conftest import DATA_DIR

from macros.core.problems import DataError
from macros.load.schema import schema_problems
from macros.load.yamlfile import MAX_DEPTH, MAX_FILE_BYTES, load_file


def write(tmp_path, content, name="f.yaml"):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_bytes(content.encode("utf-8"))
    else:
        path.write_bytes(content)
    return path


def load(tmp_path, content):
    return load_file(write(tmp_path, content), "f.yaml").data


def refused(tmp_path, content):
    """The single problem the loader reports, as (rule, line, col, message)."""
    with pytest.raises(DataError) as caught:
        load_file(write(tmp_path, content), "f.yaml")
    problems = caught.value.problems
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.path == "f.yaml"
    return problem.rule, problem.line, problem.col, problem.message


# --- what loads, and how ---

def test_valid_file_loads_with_its_nodes(tmp_path):
    path = write(tmp_path, 'series: "3.0"\nprotocols:\n  TLSv1.2:\n    status: "on"\n')
    loaded = load_file(path, "f.yaml")
    assert loaded.data == {"series": "3.0", "protocols": {"TLSv1.2": {"status": "on"}}}
    # The node tree keeps lines, so problems found later can point at them.
    problem = loaded.problem(("protocols", "TLSv1.2", "status"), "some-rule", "msg")
    assert (problem.line, problem.col) == (4, 13)
    assert loaded.problem(("protocols", "TLSv1.2"), "r", "m", at_key=True).line == 3


def test_every_real_data_file_loads():
    files = sorted(DATA_DIR.rglob("*.yaml"))
    assert len(files) > 20
    for path in files:
        load_file(path)


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", "NO", "On", "OFF", "y", "n"])
def test_yaml11_booleans_stay_strings(tmp_path, word):
    assert load(tmp_path, f"a: {word}\n") == {"a": word}


def test_only_true_and_false_are_booleans(tmp_path):
    assert load(tmp_path, "a: true\nb: false\n") == {"a": True, "b": False}


@pytest.mark.parametrize("value", ["2026-09-07", "2001-12-14t21:59:43.10-05:00", "2002-12-14"])
def test_unquoted_dates_stay_strings(tmp_path, value):
    assert load(tmp_path, f"d: {value}\n") == {"d": value}


def test_equals_sign_is_a_string(tmp_path):
    assert load(tmp_path, "a: =\n") == {"a": "="}


def test_unquoted_3_10_is_a_float_and_the_schema_says_to_quote_it(tmp_path):
    # The loader keeps YAML's reading (3.1); the schema then names the field and the fix.
    text = (DATA_DIR / "openssl" / "3.0.yaml").read_text(encoding="utf-8")
    assert 'series: "3.0"\n' in text
    path = write(tmp_path, text.replace('series: "3.0"\n', "series: 3.10\n"))
    loaded = load_file(path, "3.10.yaml")
    assert loaded.data["series"] == 3.1
    problems = schema_problems(loaded, DATA_DIR / "schemas", "openssl-series.schema.json")
    assert [(p.rule, p.line, p.col) for p in problems] == [("schema", 2, 9)]
    assert 'put it in quotes: "3.10"' in problems[0].message


# --- duplicate keys ---

def test_duplicate_key_at_top_level(tmp_path):
    rule, line, col, message = refused(tmp_path, "a: 1\nb: 2\na: 3\n")
    assert (rule, line, col) == ("yaml-duplicate-key", 3, 1)
    assert "first at line 1" in message


def test_duplicate_key_nested(tmp_path):
    rule, line, col, message = refused(tmp_path, "top:\n  x: 1\n  y: 2\n  x: 3\n")
    assert (rule, line, col) == ("yaml-duplicate-key", 4, 3)
    assert "'x'" in message and "first at line 2" in message


def test_duplicate_key_quoted_and_plain(tmp_path):
    rule, line, col, message = refused(tmp_path, "a: 1\n'a': 2\n")
    assert (rule, line, col) == ("yaml-duplicate-key", 2, 1)


def test_duplicate_key_in_flow_mapping(tmp_path):
    rule, line, col, _ = refused(tmp_path, "a: {x: 1, x: 2}\n")
    assert (rule, line, col) == ("yaml-duplicate-key", 1, 11)


# --- tags ---

@pytest.mark.parametrize("value", [
    "!!python/object/apply:os.system ['echo pwned']",
    "!!python/name:os.system",
    "!!binary aGVsbG8=",
    "!foo bar",
    "!!set {a, b}",
    "!!timestamp 2026-01-01",
    # Standard tags written out would bypass the plain-value rules or crash the constructor.
    "!!bool yes",
    "!!bool maybe",
    "!!int abc",
    "!!float abc",
    "!!str 3",
    "!!map abc",
])
def test_tags_are_refused(tmp_path, value):
    rule, line, col, _ = refused(tmp_path, f"first: 1\nsecond: {value}\n")
    assert (rule, line, col) == ("yaml-tag", 2, 9)


def test_tag_on_a_key_is_refused(tmp_path):
    rule, line, col, _ = refused(tmp_path, "a: 1\n!!python/name:os.system b: 2\n")
    assert (rule, line, col) == ("yaml-tag", 2, 1)


def test_tag_shorthand_from_a_directive_is_refused(tmp_path):
    rule, line, col, _ = refused(tmp_path, "%TAG !e! tag:yaml.org,2002:python/\n---\na: !e!none x\n")
    assert (rule, line, col) == ("yaml-tag", 3, 4)


# --- anchors, aliases, merge keys ---

def test_anchor_is_refused(tmp_path):
    rule, line, col, _ = refused(tmp_path, "a: 1\nb: &x 2\nc: *x\n")
    assert (rule, line, col) == ("yaml-alias", 2, 4)


def test_alias_without_anchor_is_refused(tmp_path):
    rule, line, col, _ = refused(tmp_path, "a: 1\nb: *nowhere\n")
    assert (rule, line, col) == ("yaml-alias", 2, 4)


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghij":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_at_the_first_anchor_in_bounded_memory(tmp_path):
    path = write(tmp_path, billion_laughs())
    tracemalloc.start()
    try:
        with pytest.raises(DataError) as caught:
            load_file(path, "f.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    [problem] = caught.value.problems
    assert (problem.rule, problem.line, problem.col) == ("yaml-alias", 1, 4)
    # Expanded, the document would hold 9**10 strings; refused, it stays tiny.
    assert peak < 5 * 1024 * 1024


def test_merge_key_is_refused(tmp_path):
    rule, line, col, _ = refused(tmp_path, "a: {x: 1}\nb:\n  <<: {x: 2}\n  y: 3\n")
    assert (rule, line, col) == ("yaml-alias", 3, 3)


# --- size and shape limits ---

def test_ten_thousand_nested_lists_stop_at_the_depth_limit(tmp_path):
    rule, line, col, message = refused(tmp_path, "[" * 10_000 + "]" * 10_000)
    assert (rule, line, col) == ("yaml-depth", 1, MAX_DEPTH + 1)
    assert str(MAX_DEPTH) in message


def test_ten_thousand_nested_mappings_stop_at_the_depth_limit(tmp_path):
    rule, line, _, _ = refused(tmp_path, "{a: " * 10_000 + "}" * 10_000)
    assert (rule, line) == ("yaml-depth", 1)


def test_deep_block_nesting_points_at_the_line_past_the_limit(tmp_path):
    text = "".join("  " * level + "a:\n" for level in range(MAX_DEPTH + 8)) + "  " * (MAX_DEPTH + 8) + "a: 1\n"
    rule, line, col, _ = refused(tmp_path, text)
    # The root mapping is level 1, so the key on line 32 is the 33rd node down.
    assert (rule, line, col) == ("yaml-depth", MAX_DEPTH, 2 * (MAX_DEPTH - 1) + 1)


def test_nesting_at_the_limit_loads(tmp_path):
    depth = MAX_DEPTH - 1  # the innermost scalar is one more level
    assert load(tmp_path, "[" * depth + "1" + "]" * depth) is not None


def test_file_over_the_size_limit(tmp_path):
    content = "a: " + "x" * MAX_FILE_BYTES + "\n"
    assert refused(tmp_path, content)[:3] == ("file-too-large", 1, 1)


def test_file_at_the_size_limit_loads(tmp_path):
    content = "a: " + "x" * (MAX_FILE_BYTES - 4) + "\n"
    assert len(content.encode()) == MAX_FILE_BYTES
    assert len(load(tmp_path, content)["a"]) == MAX_FILE_BYTES - 4


def test_very_long_number_is_refused_not_a_traceback(tmp_path):
    assert refused(tmp_path, "a: 1\nb: " + "9" * 5000 + "\n")[:3] == ("yaml-syntax", 2, 4)


# --- encoding ---

def test_invalid_utf8_points_at_the_bad_byte(tmp_path):
    rule, line, col, message = refused(tmp_path, b"a: 1\nb: x\xff\n")
    assert (rule, line, col) == ("yaml-encoding", 2, 5)
    assert "0xff" in message


def test_invalid_utf8_column_counts_characters_not_bytes(tmp_path):
    # "é" is two bytes but one column, as in PyYAML's own marks and in editors.
    rule, line, col, _ = refused(tmp_path, "a: 1\nb: é".encode() + b"\xfe\n")
    assert (rule, line, col) == ("yaml-encoding", 2, 5)


def test_byte_order_mark_is_refused(tmp_path):
    assert refused(tmp_path, b"\xef\xbb\xbfa: 1\n")[:3] == ("yaml-encoding", 1, 1)


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\u2028"])
def test_control_characters_are_refused(tmp_path, character):
    assert refused(tmp_path, f"a: 1\nb: x{character}y\n")[:3] == ("yaml-encoding", 2, 5)


@pytest.mark.parametrize("escape", [r"\0", r"\x07", r"\e", r"\ud800", r"\N"])
def test_control_characters_written_as_escapes_are_refused(tmp_path, escape):
    assert refused(tmp_path, f'a: 1\nb: "x{escape}y"\n')[:3] == ("yaml-encoding", 2, 4)


def test_tab_and_newline_escapes_are_fine(tmp_path):
    assert load(tmp_path, 'a: "x\\ty\\nz"\n') == {"a": "x\ty\nz"}


# --- document shape ---

@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_file(tmp_path, content):
    assert refused(tmp_path, content)[:3] == ("yaml-empty", 1, 1)


def test_multiple_documents_are_refused(tmp_path):
    assert refused(tmp_path, "a: 1\n---\nb: 2\n")[:3] == ("yaml-syntax", 2, 1)


def test_tabs_in_indentation_are_refused(tmp_path):
    assert refused(tmp_path, "a:\n  b: 1\n\tc: 2\n")[:3] == ("yaml-syntax", 3, 1)


def test_syntax_error_points_at_its_line(tmp_path):
    assert refused(tmp_path, "a:\n  b: 1\n c: 2\n")[:3] == ("yaml-syntax", 3, 2)


def test_unterminated_quote_says_where_it_began(tmp_path):
    # PyYAML only notices at the end of the file; the message names the line of the quote.
    rule, line, col, message = refused(tmp_path, 'a: 1\nb: "unterminated\nc: 3\n')
    assert (rule, line, col) == ("yaml-syntax", 4, 1)
    assert "(from line 2)" in message


@pytest.mark.parametrize("key", ["1", "~", "null", "3.10", "true"])
def test_keys_that_are_not_text_are_refused(tmp_path, key):
    # A number or None key would reach the schema (and its regexes) as a non-string.
    rule, line, col, message = refused(tmp_path, f"a: 1\n{key}: x\n")
    assert (rule, line, col) == ("yaml-syntax", 2, 1)
    assert f'"{key}"' in message


def test_complex_key_is_refused(tmp_path):
    assert refused(tmp_path, "a: 1\n? [x, y]\n: z\n")[:3] == ("yaml-syntax", 2, 3)


def test_missing_file_is_a_problem_not_a_traceback(tmp_path):
    with pytest.raises(DataError) as caught:
        load_file(tmp_path / "absent.yaml", "absent.yaml")
    assert [(p.rule, p.line) for p in caught.value.problems] == [("file-unreadable", 1)]
