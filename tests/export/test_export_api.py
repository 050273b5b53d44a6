"""The JSON API on the real data: every document validates against its published schema, the data
version comes from the data only, and the documents say what the site's tables say."""

from __future__ import annotations

import json

import pytest
from conftest import DATA_DIR
from jsonschema import Draft7Validator
from referencing import Registry, Resource

from macros.export import json_api
from macros.export.context import ExportContext
from macros.export.options import export_table
from macros.export.published import published_files
from macros.export.version import DataVersion, data_sha256
from macros.render.tables import TABLE_IDS, as_of, build_table

SCHEMAS = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in json_api.SCHEMA_DIR.glob("*.schema.json")}


@pytest.fixture(scope="module")
def context(dataset):
    return ExportContext("PostgreSQL TLS compatibility", DataVersion(as_of(dataset), data_sha256(DATA_DIR)))


@pytest.fixture(scope="module")
def api(dataset, context):
    return {name: json.loads(text) for name, text in json_api.api_files(dataset, context).items()
            if name.endswith(".json") and not name.startswith("schemas/")}


def validator(schema_name: str) -> Draft7Validator:
    # As a reader would: the schemas refer to each other by file name, next to each other.
    registry = Registry().with_resources((name, Resource.from_contents(s)) for name, s in SCHEMAS.items())
    return Draft7Validator(SCHEMAS[schema_name], registry=registry, format_checker=Draft7Validator.FORMAT_CHECKER)


FOLDER_SCHEMAS = {"tables": "table", "postgresql": "postgresql-major", "openssl": "openssl-series",
                  "observations": "observation"}


def schema_for(document_name: str) -> str:
    folder = document_name.split("/")[0] if "/" in document_name else None
    return f"{FOLDER_SCHEMAS[folder] if folder else document_name[:-len('.json')]}.schema.json"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schemas_are_valid_draft_07(name):
    assert SCHEMAS[name]["$schema"] == "http://json-schema.org/draft-07/schema#"
    Draft7Validator.check_schema(SCHEMAS[name])


def test_every_document_validates_against_its_schema(api, dataset):
    assert set(api) == {"index.json", "all.json"} | {f"{d}.json" for d in json_api.DOCUMENTS} | {
        f"tables/{t}.json" for t in TABLE_IDS} | {f"postgresql/{m.major}.json" for m in dataset.postgresql} | {
        f"openssl/{s.series}.json" for s in dataset.openssl} | {f"observations/{o.name}.json" for o in dataset.observations}
    for name, document in api.items():
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(schema_for(name)).iter_errors(document)]
        assert not errors, f"{name}: {errors[:5]}"
        assert document["meta"]["schema"] == f"api/v1/schemas/{schema_for(name)}"


def test_schemas_reject_what_they_should(api):
    """The schemas are closed: a renamed field or a wrong type does not slip through."""
    table = json.loads(json.dumps(api["tables/openssl-protocols.json"]))
    table["rows"][0]["cells"][0]["colour"] = "green"
    assert not validator("table.schema.json").is_valid(table)
    series = json.loads(json.dumps(api["openssl.json"]))
    series["series"][0]["released"] = "7 Sep 2021"
    assert not validator("openssl.schema.json").is_valid(series)
    meta = json.loads(json.dumps(api["index.json"]))
    meta["meta"]["data_version"] = "built 2026-11-29T10:00:00"
    assert not validator("index.schema.json").is_valid(meta)


def test_meta_carries_the_data_version(api, dataset):
    sha = data_sha256(DATA_DIR)
    for document in api.values():
        assert document["meta"]["as_of"] == as_of(dataset)
        assert document["meta"]["data_sha256"] == sha
        assert document["meta"]["data_version"] == f"{as_of(dataset)}+{sha[:12]}"


def test_tables_say_what_the_site_says(api, dataset):
    for table_id in TABLE_IDS:
        table = build_table(dataset, table_id)
        document = api[f"tables/{table_id}.json"]
        assert [c["name"] for c in document["columns"]] == list(table.columns)
        assert [[c["text"] for c in r["cells"]] for r in document["rows"]] == [[c.text for c in r.cells] for r in table.rows]
        numbered = {c["note"] for r in document["rows"] for c in r["cells"] if c["note"]}
        numbered |= {c["observed"]["note"] for r in document["rows"] for c in r["cells"] if c["observed"]}
        assert numbered == {n["number"] for n in document["notes"]}  # every note used, every number defined


def test_full_dump_holds_every_document(api):
    everything = api["all.json"]
    assert everything["series"] == api["openssl.json"]["series"]
    assert everything["majors"] == api["postgresql.json"]["majors"]
    assert everything["protocols"] == api["protocols.json"]["protocols"]
    assert everything["settings"] == api["settings.json"]["settings"]
    assert [t["id"] for t in everything["tables"]] == list(TABLE_IDS)
    assert everything["tables"][0] == {k: v for k, v in api["tables/openssl-protocols.json"].items() if k != "meta"}


def test_index_lists_only_files_that_are_published(api, dataset, context):
    files = published_files(dataset, context)
    index = api["index.json"]
    links = [d["url"] for d in index["documents"]] + [d["schema"] for d in index["documents"]]
    links += [t[key] for t in index["tables"] for key in ("json", "csv")]
    links += [t["embed"] + "index.html" for t in index["tables"]]
    links += [entry[key] for kind in ("versions", "observations") for entry in index[kind] for key in ("url", "schema")]
    missing = [link for link in links if link not in files]
    assert not missing
    # And every per-version and observation document is listed.
    listed = {entry["url"] for kind in ("versions", "observations") for entry in index[kind]}
    assert listed == {name for name in files if name.startswith(("api/v1/postgresql/", "api/v1/openssl/",
                                                                  "api/v1/observations/"))}


def test_per_version_documents_repeat_the_subject_documents(api):
    for major in api["postgresql.json"]["majors"]:
        assert api[f"postgresql/{major['major']}.json"]["major"] == major
    for series in api["openssl.json"]["series"]:
        assert api[f"openssl/{series['series']}.json"]["series"] == series


def test_one_name_per_idea_with_the_old_name_as_an_alias(api):
    """latest_release in both product documents; latest_minor (1.0) kept with the same value until v2."""
    assert all("latest_release" in s for s in api["openssl.json"]["series"])
    for major in api["postgresql.json"]["majors"]:
        assert major["latest_release"] == major["latest_minor"]
    deprecated = SCHEMAS["postgresql.schema.json"]["definitions"]["major"]["properties"]["latest_minor"]
    assert "alias" in deprecated["description"]


def test_observation_documents_hold_every_handshake(api, dataset):
    for observation in dataset.observations:
        document = api[f"observations/{observation.name}.json"]["observation"]
        assert document["data_file"] == observation.data_path
        assert [[r["outcome"] for r in s["results"]] for s in document["scenarios"]] == [
            [r.outcome for r in s.results.values()] for s in observation.scenarios]


def test_build_support_is_resolved_for_every_series(api, dataset):
    majors = {m["major"]: m for m in api["postgresql.json"]["majors"]}
    for major in dataset.postgresql:
        resolved = majors[major.major]["builds_with"]
        assert [b["openssl"] for b in resolved] == [s.series for s in dataset.openssl]
        assert all(b["status"] == dataset.build_support(major, b["openssl"]).status for b in resolved)


@pytest.mark.slow  # two whole exports; tests/site/test_reproducible.py proves it on the site too
def test_same_data_same_bytes(dataset, context):
    assert published_files(dataset, context) == published_files(dataset, context)


def test_data_version_depends_on_the_data_only(data_copy):
    original = data_sha256(data_copy)
    assert data_sha256(data_copy) == original
    (data_copy / ".editor-swap.yaml.swp").write_text("not data")
    assert data_sha256(data_copy) == original  # hidden files are not data
    protocols = data_copy / "protocols.yaml"
    text = protocols.read_bytes()
    protocols.write_bytes(text.replace(b"\n", b"\r\n"))
    assert data_sha256(data_copy) == original  # a Windows checkout of the same data
    protocols.write_bytes(text + b"# one more comment\n")
    assert data_sha256(data_copy) != original


def test_data_version_label():
    assert DataVersion("2026-11-29", "0123456789abcdef" * 4).label == "2026-11-29+0123456789ab"


def test_links_are_absolute_with_a_site_url(dataset, context):
    absolute = ExportContext(context.site_name, context.data_version, root="https://tls.example.org/")
    files = json_api.api_files(dataset, absolute)
    index = json.loads(files["index.json"])
    assert index["documents"][0]["url"] == "https://tls.example.org/api/v1/openssl.json"
    assert index["tables"][0]["page"] == "https://tls.example.org/openssl/#openssl-protocols"
    assert validator("index.schema.json").is_valid(index)


def test_subset_table_still_validates(dataset, context):
    from macros.export.options import Options
    table = export_table(dataset, "postgresql-openssl-build", Options(supported_only=True, sources=False))
    document = json.loads(json_api.render(table, context.for_table(table.id)))
    assert validator("table.schema.json").is_valid(document)
    assert all(not n["sources"] for n in document["notes"])
