"""The published answers (/api/v1/answers/): the CLI's answer for the same choice, valid against
their schemas, listed in answers/index.json, and only where the combination builds."""

from __future__ import annotations

import json

import pytest
from conftest import DATA_DIR
from jsonschema import Draft7Validator
from referencing import Registry, Resource

from macros.cli import main
from macros.core.versions import openssl_key
from macros.export import answers, json_api
from macros.export.context import ExportContext
from macros.export.version import DataVersion, data_sha256
from macros.render.tables import as_of

SCHEMAS = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in json_api.SCHEMA_DIR.glob("*.schema.json")}

# (CLI arguments, file under answers/, request key): platforms that imply their series, an upstream
# series, a release that does not imply one, floors and profiles, an old major without the setting.
SAMPLE = [
    (["--postgresql", "16"], "16/upstream-openssl-3.0.json", "default", ["--openssl", "3.0"]),
    (["--postgresql", "15", "--platform", "debian-12"], "15/debian-12.json", "min_protocol:TLSv1", []),
    (["--postgresql", "14", "--platform", "rhel-9"], "14/rhel-9.json", "min_protocol:TLSv1.1", []),
    (["--postgresql", "17", "--platform", "rhel-10"], "17/rhel-10-openssl-3.5.json", "profile:legacy",
     ["--openssl", "3.5"]),
    (["--postgresql", "11", "--platform", "ubuntu-20.04"], "11/ubuntu-20.04.json", "profile:modern", []),
    (["--postgresql", "9.6", "--platform", "upstream"], "9.6/upstream-openssl-1.0.2.json", "min_protocol:TLSv1.2",
     ["--openssl", "1.0.2"]),
]


@pytest.fixture(scope="module")
def files(dataset):
    context = ExportContext("PostgreSQL TLS compatibility", DataVersion(as_of(dataset), data_sha256(DATA_DIR)))
    return {name: json.loads(text) for name, text in answers.answer_files(dataset, context).items()}


def cli_answer(capsys, arguments: list[str]) -> dict:
    code = main(["answer", "--data-dir", str(DATA_DIR), "--format", "json", *arguments])
    out = capsys.readouterr().out
    assert code == 0
    return json.loads(out)


def request_arguments(key: str) -> list[str]:
    if key == "default":
        return []
    kind, value = key.split(":")
    return ["--min-protocol" if kind == "min_protocol" else "--profile", value]


@pytest.mark.parametrize("arguments, path, key, series", SAMPLE, ids=[s[1] + ":" + s[2] for s in SAMPLE])
def test_published_answer_is_the_cli_answer(files, capsys, arguments, path, key, series):
    published = files["answers/" + path]["answers"][key]
    assert published == cli_answer(capsys, arguments + series + request_arguments(key))


def validator(schema_name: str) -> Draft7Validator:
    registry = Registry().with_resources((name, Resource.from_contents(s)) for name, s in SCHEMAS.items())
    return Draft7Validator(SCHEMAS[schema_name], registry=registry)


@pytest.mark.slow  # about 25 s: jsonschema walks all 29 MB of answers; `make test` runs it, test-fast does not
def test_every_file_validates_against_its_schema(files):
    answer_schema, index_schema = validator("answers.schema.json"), validator("answers-index.schema.json")
    for name, document in files.items():
        schema = index_schema if name == "answers/index.json" else answer_schema
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in schema.iter_errors(document)]
        assert not errors, f"{name}: {errors[:3]}"


def test_every_file_holds_every_request(files, dataset):
    keys = {key for key, _, _ in answers.requests(dataset)}
    assert {"default", "min_protocol:TLSv1.3", "profile:modern"} <= keys
    for name, document in files.items():
        if name != "answers/index.json":
            assert set(document["answers"]) == keys, name


def test_index_lists_exactly_the_published_files(files):
    index = files["answers/index.json"]
    listed = {s["file"] for m in index["postgresql"] for s in m["systems"] if s["file"]}
    assert listed == {"api/v1/" + name for name in files if name != "answers/index.json"}
    for major in index["postgresql"]:
        for system in major["systems"]:
            assert (system["file"] is None) == (system["error"] is not None), system


def test_a_combination_that_does_not_build_has_a_reason_and_no_file(files):
    index = files["answers/index.json"]
    pg18 = next(m for m in index["postgresql"] if m["major"] == "18")
    old = next(s for s in pg18["systems"] if s["id"] == "upstream-openssl-1.0.2")
    assert old["file"] is None and "does not build with OpenSSL 1.0.2" in old["error"]
    assert "answers/18/upstream-openssl-1.0.2.json" not in files


def test_suggested_series_is_the_newest_that_builds(files, dataset):
    for major in files["answers/index.json"]["postgresql"]:
        buildable = [s.series for s in dataset.buildable_series(dataset.pg(major["major"]))]
        assert major["suggested_openssl"] == max(buildable, key=openssl_key)


def test_a_platform_that_implies_its_series_has_one_system_named_after_it(files, dataset):
    systems = {s["id"]: s for s in files["answers/index.json"]["postgresql"][0]["systems"]}
    for release in dataset.releases:
        if release.openssl:
            assert systems[release.id]["openssl"] == release.openssl
        else:
            assert {f"{release.id}-openssl-{s.series}" for s in dataset.openssl} <= set(systems)


def test_the_api_index_documents_the_url_scheme(dataset):
    context = ExportContext("PostgreSQL TLS compatibility", DataVersion(as_of(dataset), data_sha256(DATA_DIR)))
    index = json_api.index(context, {})
    assert index["answers"] == {"index": "api/v1/answers/index.json",
                                "file_pattern": "api/v1/answers/{postgresql}/{system}.json",
                                "schema": "api/v1/schemas/answers.schema.json"}
