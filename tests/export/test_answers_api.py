"""The resolver's answers in the JSON API (/api/v1/answers/): schema-valid, indexed, and the same
documents as `python -m macros answer --format json`."""

from __future__ import annotations

import json

import pytest
from conftest import DATA_DIR
from jsonschema import Draft7Validator
from referencing import Registry, Resource

from macros.export import answers_api, json_api
from macros.export.context import ExportContext
from macros.export.published import published_files
from macros.export.version import DataVersion, data_sha256
from macros.model.resolver import resolve
from macros.model.resolver_types import Setup
from macros.render.tables import as_of

SCHEMAS = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in json_api.SCHEMA_DIR.glob("*.schema.json")}


def validator(name: str) -> Draft7Validator:
    registry = Registry().with_resources((n, Resource.from_contents(s)) for n, s in SCHEMAS.items())
    return Draft7Validator(SCHEMAS[name], registry=registry, format_checker=Draft7Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def files(dataset):
    context = ExportContext("PostgreSQL TLS compatibility", DataVersion(as_of(dataset), data_sha256(DATA_DIR)))
    return {name: json.loads(text) for name, text in answers_api.answer_files(dataset, context).items()}


def test_every_answer_validates_and_equals_the_cli_answer(dataset, files):
    answer_schema = validator("answer.schema.json")
    documents = {n: d for n, d in files.items() if not n.endswith("/index.json")}
    assert len(documents) > 100
    for name, document in documents.items():
        assert not list(answer_schema.iter_errors(document)), name
        s = document["setup"]
        expected = resolve(dataset, Setup(s["postgresql"], openssl=s["openssl"], platform=s["platform"],
                                          min_protocol=s["min_protocol"])).to_json()
        assert {k: v for k, v in document.items() if k != "meta"} == expected, name


def test_the_index_lists_exactly_the_published_answers(files):
    index = files["api/v1/" + answers_api.ANSWERS_INDEX]
    assert not list(validator("answers-index.schema.json").iter_errors(index))
    listed = {entry["url"] for entry in index["answers"]}
    assert listed == {n for n in files if not n.endswith("/index.json")}
    assert index["url_scheme"].endswith("answers/postgresql-{major}/openssl-{series}/{platform}/{min_protocol}.json")


def test_the_site_publishes_them(dataset):
    context = ExportContext("PostgreSQL TLS compatibility", DataVersion(as_of(dataset), data_sha256(DATA_DIR)))
    published = published_files(dataset, context)
    assert "api/v1/answers/postgresql-16/openssl-3.0/upstream/TLSv1.json" in published
    assert "api/v1/answers/index.json" in published
