"""The in-process memory of files that passed their schema (macros/load/schema.py, _PASSED)."""

from __future__ import annotations

import json
import shutil

from conftest import DATA_DIR

from macros.load import schema
from macros.load.schema import schema_problems
from macros.load.yamlfile import load_file

SCHEMA = "openssl-series.schema.json"


def validations(monkeypatch) -> list[int]:
    """The id of every value the real validator walks (a whole document, then its parts)."""
    walked = []
    real = schema._Validator.iter_errors

    def recording(self, instance, *args, **kwargs):
        walked.append(id(instance))
        return real(self, instance, *args, **kwargs)

    monkeypatch.setattr(schema._Validator, "iter_errors", recording)
    return walked


def test_a_file_that_passed_is_not_walked_again(monkeypatch):
    walked = validations(monkeypatch)
    loaded = load_file(DATA_DIR / "openssl" / "3.0.yaml", "data/openssl/3.0.yaml")
    schema._PASSED.clear()
    assert schema_problems(loaded, DATA_DIR / "schemas", SCHEMA) == []
    assert schema_problems(loaded, DATA_DIR / "schemas", SCHEMA) == []
    assert walked.count(id(loaded.data)) == 1


def test_a_failure_is_reported_every_time(tmp_path, monkeypatch):
    walked = validations(monkeypatch)
    broken = tmp_path / "3.0.yaml"
    broken.write_text((DATA_DIR / "openssl" / "3.0.yaml").read_text(encoding="utf-8")
                      .replace("series: ", "series_typo: ", 1), encoding="utf-8")
    loaded = load_file(broken, "data/openssl/3.0.yaml")
    first = schema_problems(loaded, DATA_DIR / "schemas", SCHEMA)
    assert first and first == schema_problems(loaded, DATA_DIR / "schemas", SCHEMA)
    assert walked.count(id(loaded.data)) == 2


def test_the_same_text_under_a_stricter_schema_is_walked_again(tmp_path):
    """The verdict belongs to the schema as well as the text: a schema edited in a copy of data/
    (a pull request, a test fixture) must not inherit the passes of the original."""
    loaded = load_file(DATA_DIR / "openssl" / "3.0.yaml", "data/openssl/3.0.yaml")
    assert schema_problems(loaded, DATA_DIR / "schemas", SCHEMA) == []
    strict_dir = tmp_path / "schemas"
    shutil.copytree(DATA_DIR / "schemas", strict_dir)
    strict = json.loads((strict_dir / SCHEMA).read_text(encoding="utf-8"))
    strict["required"] = [*strict.get("required", []), "a_field_no_file_has"]
    (strict_dir / SCHEMA).write_text(json.dumps(strict), encoding="utf-8")
    problems = schema_problems(loaded, strict_dir, SCHEMA)
    assert [p.rule for p in problems] == ["schema"] and "a_field_no_file_has" in problems[0].message
