"""One bad fixture per rule (tests/check/rules/<rule>/): each must raise exactly the problems it lists.

A fixture folder holds, at their paths relative to data/:
  - replacement files, copied over a private copy of data/ (a real file with one thing changed);
  - expected.txt: one `path:line:col: rule` line per problem the check must report;
  - remove.txt (optional): data files to delete;
  - grow.txt (optional): `path bytes` lines; the file is padded with comment lines to that size,
    so that no huge file has to live in the repository.
Every problem reported must be listed: a fixture proves its rule fires, and only its rule.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from macros.check import runner
from macros.check.rules import RULES
from macros.check.runner import check_data

FIXTURES = Path(__file__).parent / "rules"
CONTROL_FILES = {"expected.txt", "remove.txt", "grow.txt"}
# Rules reported by the loader and the tree/schema reader rather than by macros/rules.
LOADER_RULES = {"yaml-syntax", "yaml-duplicate-key", "yaml-tag", "yaml-alias", "yaml-depth",
                "yaml-empty", "yaml-encoding", "file-too-large", "file-unreadable",
                "file-unexpected", "file-missing", "schema", "schema-missing", "schema-invalid"}


def fixture_names() -> list[str]:
    return sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


def control_lines(fixture: Path, name: str) -> list[str]:
    path = fixture / name
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def overlay(fixture: Path, data_dir: Path) -> None:
    for relative in control_lines(fixture, "remove.txt"):
        (data_dir / relative).unlink()
    for source in sorted(fixture.rglob("*")):
        relative = source.relative_to(fixture)
        if source.is_dir() or str(relative) in CONTROL_FILES:
            continue
        target = data_dir / relative
        for parent in reversed(target.relative_to(data_dir).parents[:-1]):
            if (data_dir / parent).is_file():  # a folder standing where a file was
                (data_dir / parent).unlink()
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    for line in control_lines(fixture, "grow.txt"):
        relative, size = line.rsplit(" ", 1)
        path = data_dir / relative
        padding = int(size) - path.stat().st_size
        with path.open("a", encoding="utf-8") as handle:
            handle.write(("# padding\n" * (padding // 10 + 1)))


def reported(data_dir: Path) -> list[str]:
    """`path:line:col: rule` of every problem, with paths relative to the data folder."""
    _, problems = check_data(data_dir)
    prefix = str(data_dir) + "/"
    return sorted(f"{p.path.removeprefix(prefix)}:{p.line}:{p.col}: {p.rule}" for p in problems)


def test_the_real_data_is_clean():
    # The fixtures below rely on this: any problem they show comes from their one change.
    _, problems = check_data(Path(__file__).parents[2] / "data")
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize("name", fixture_names())
def test_fixture_reports_exactly_its_problems(name, data_copy):
    fixture = FIXTURES / name
    expected = sorted(control_lines(fixture, "expected.txt"))
    assert expected, f"{fixture}/expected.txt lists no problem"
    assert all(line.endswith(f": {name}") for line in expected), "a fixture lists only its own rule"
    overlay(fixture, data_copy)
    assert reported(data_copy) == expected


def test_every_rule_has_a_fixture():
    names = set(fixture_names())
    missing = sorted({rule.name for rule in RULES} - names)
    assert not missing, f"add tests/check/rules/<name>/ with a bad fixture for: {', '.join(missing)}"
    assert sorted(LOADER_RULES - names) == []


def test_every_fixture_is_a_known_rule():
    known = {rule.name for rule in RULES} | LOADER_RULES
    assert sorted(set(fixture_names()) - known) == []


def test_rule_names_are_unique_and_described():
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert all(rule.description.strip() for rule in RULES)


def test_a_bug_in_the_model_is_one_internal_error_not_a_traceback(monkeypatch):
    def broken(tree):
        raise AttributeError("'NoneType' object has no attribute 'x'")
    monkeypatch.setattr(runner, "build_dataset", broken)
    dataset, problems = check_data(Path(__file__).parents[2] / "data")
    assert dataset is None
    assert [(p.rule, p.message) for p in problems] == [
        ("internal-error", "building the model failed: AttributeError: 'NoneType' object has no attribute 'x'")]
