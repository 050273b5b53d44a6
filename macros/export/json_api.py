"""The static JSON API under /api/v1/: an index, one document per product, protocols, settings,
each table (the site's words), a full dump, and one document per version and per observation
(macros/export/api_resources.py).

Every document starts with `meta`: schema version, data version (review date + hash of data/)
and the URL of its JSON Schema (draft-07, published under /api/v1/schemas/). Free text is English
and keeps the data's inline markup: `code` and [text](https://...).
"""

from __future__ import annotations

import json
from pathlib import Path

from macros.export import api_resources
from macros.export.context import ExportContext
from macros.export.inline import note_number, observed_number
from macros.export.options import export_table
from macros.load.i18n import localize
from macros.model.common import Release, Source
from macros.model.dataset import Dataset
from macros.model.protocols import Cell
from macros.render.html import number_notes, source_label
from macros.render.tables import (
    TABLE_IDS,
    Table,
    as_of,
    cell_text,
    ended,
    version_marks,
)

SCHEMA_VERSION = "1.1"  # minor: fields added; major: a new /api/v<N>/
API_DIR = "api/v1/"
SCHEMA_DIR = Path(__file__).parent / "schemas"
DOCUMENTS = ("openssl", "postgresql", "protocols", "settings", "all")


def dump(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def meta(context: ExportContext, schema: str) -> dict:
    version = context.data_version
    return {"schema_version": SCHEMA_VERSION,
            "schema": context.url(f"{API_DIR}schemas/{schema}.schema.json"),
            "site": context.site_name, "data_version": version.label, "as_of": version.as_of,
            "data_sha256": version.sha256}


def _text(text: dict | None) -> str | None:
    return localize(text) or None


def _sources(sources: tuple[Source, ...]) -> list[dict]:
    return [{"label": source_label(s), "url": s.href, "quote": _text(s.quote)} for s in sources]


# --- tables -----------------------------------------------------------------------------------

def table_body(table: Table, context: ExportContext) -> dict:
    numbers, notes = number_notes(table)
    links = table.column_links or (None,) * len(table.columns)
    return {
        "id": table.id, "title": table.title, "page": context.page_url, "as_of": table.as_of,
        "corner": table.corner,
        "columns": [{"name": name, "page": context.url(path) if path else None}
                    for name, path in zip(table.columns, links)],
        "rows": [{"header": row.header, "page": context.url(row.link) if row.link else None,
                  "marks": list(row.marks), "title": row.title,
                  "cells": [{"column": column, "text": cell.text, "status": cell.status,
                             "note": note_number(numbers, cell), "observed": _observed(numbers, cell, context)}
                            for column, cell in zip(table.columns, row.cells)]}
                 for row in table.rows],
        "notes": [{"number": number, "parts": [{"label": label or None, "text": text} for label, text in note.parts],
                   "sources": _sources(note.sources)}
                  for number, note in enumerate(notes, start=1)],
    }


def _observed(numbers: dict, cell, context: ExportContext) -> dict | None:
    """A real handshake covered this cell (data/observations/): the mark, its note, the page."""
    if cell.observed is None:
        return None
    return {"text": cell.observed.text, "note": observed_number(numbers, cell),
            "page": context.url(cell.observed.link)}


def render(table: Table, context: ExportContext) -> str:
    """The `json` export format: one table's document."""
    return dump({"meta": meta(context, "table")} | table_body(table, context))


# --- products -----------------------------------------------------------------------------------

def _cell(cell: Cell) -> dict:
    condition = cell.condition
    return {"status": cell.status, "text": cell_text(cell),
            "condition": {"openssl": condition.openssl, "openssl_before": condition.openssl_before,
                          "from": condition.from_release, "otherwise": condition.otherwise} if condition else None,
            "enable": _text(cell.enable), "note": _text(cell.note), "inferred": cell.inferred,
            "sources": _sources(cell.sources)}


def _release(release: Release | None) -> dict | None:
    if release is None:
        return None
    return {"version": release.version, "date": release.date, "note": _text(release.note),
            "sources": _sources(release.sources)}


def _lifecycle(version, today: str) -> dict:
    return {"released": version.released, "eol": version.eol,
            "end_of_life": ended(version, today), "marks": list(version_marks(version, today)),
            "reviewed": version.reviewed, "lifecycle_sources": _sources(version.lifecycle_sources)}


def openssl_series(data: Dataset, context: ExportContext) -> list[dict]:
    today = as_of(data)
    return [{
        "series": s.series, "page": context.url(f"openssl/{s.series}/"), "lts": s.lts,
        **_lifecycle(s, today),
        "latest_release": _release(s.latest),
        "default_security_level": {
            "value": s.security_level.value, "blocks": _text(s.security_level.blocks),
            "note": _text(s.security_level.note), "sources": _sources(s.security_level.sources)},
        "note": _text(s.note),
        "protocols": {p.id: _cell(s.cells[p.id]) for p in data.protocols if p.id in s.cells},
    } for s in data.openssl]


def postgresql_majors(data: Dataset, context: ExportContext) -> list[dict]:
    today = as_of(data)
    return [{
        "major": m.major, "page": context.url(f"postgresql/{m.major}/"), "status": m.status,
        **_lifecycle(m, today),
        # One name per idea across documents: latest_release, as for OpenSSL. latest_minor is the
        # 1.0 name, kept as an alias with the same value until /api/v2/ (docs/api.md).
        "latest_release": _release(m.latest),
        "latest_minor": _release(m.latest),
        "note": _text(m.note),
        "min_openssl": {"series": m.min_openssl.series, "documented": m.min_openssl.documented,
                        "note": _text(m.min_openssl.note), "sources": _sources(m.min_openssl.sources)},
        "openssl_support": [{"openssl": ms.openssl, "status": ms.status, "since": ms.since,
                             "note": _text(ms.note), "inferred": ms.inferred,
                             "sources": _sources(ms.sources)} for ms in m.milestones],
        # The milestones resolved for every series, as the build table reads them.
        "builds_with": [_build(data, m, s.series) for s in data.openssl],
        "libressl": {"min_version": m.libressl.min_version, "note": _text(m.libressl.note),
                     "sources": _sources(m.libressl.sources)} if m.libressl else None,
        "protocols": {p.id: _cell(m.cells[p.id]) for p in data.protocols if p.id in m.cells},
    } for m in data.postgresql]


def _build(data: Dataset, major, series: str) -> dict:
    support = data.build_support(major, series)
    return {"openssl": series, "status": support.status, "since": support.since, "reason": support.reason}


def protocols(data: Dataset) -> list[dict]:
    return [{"id": p.id, "name": p.name, "pg_value": p.pg_value, "s_client_flag": p.s_client_flag,
             "specification": p.specification, "published": p.published,
             "deprecated_by": p.deprecated_by, "deprecated": p.deprecated, "note": _text(p.note),
             "sources": _sources(p.sources)} for p in data.protocols]


def settings(data: Dataset) -> dict:
    return {kind: [_setting(s) for s in data.settings[kind]] for kind in sorted(data.settings)}


def _setting(s) -> dict:
    return {"name": s.name, "description": _text(s.description), "env": s.env, "added": s.added,
            "removed": s.removed, "renamed_to": s.renamed_to, "note": _text(s.note),
            "sources": _sources(s.sources),
            "versions": [{"from": r.start, "to": r.end, "has_default": r.has_default, "default": r.default,
                          "default_note": _text(r.default_note),
                          "values": list(r.values) if r.values is not None else None,
                          "values_note": _text(r.values_note), "apply": r.apply, "note": _text(r.note),
                          "sources": _sources(r.sources)} for r in s.ranges]}


# --- the published files --------------------------------------------------------------------------

def index(context: ExportContext, resources: dict[str, str], snapshot: str | None = None) -> dict:
    """resources: {path under /api/v1/: schema name} of the per-version and observation documents."""
    def entry(path: str, schema: str) -> dict:
        return {"url": context.url(API_DIR + path), "schema": context.url(f"{API_DIR}schemas/{schema}.schema.json")}
    document = {
        "meta": meta(context, "index"),
        "documents": [{"id": name} | entry(f"{name}.json", name) for name in DOCUMENTS],
        "tables": [{"id": table_id, "page": context.for_table(table_id).page_url,
                    "json": context.url(f"{API_DIR}tables/{table_id}.json"),
                    "csv": context.url(f"downloads/{table_id}.csv"),
                    "embed": context.url(f"embed/{table_id}/")}
                   for table_id in TABLE_IDS],
        "versions": [{"product": path.split("/")[0], "version": path.split("/")[1][:-len(".json")]}
                     | entry(path, schema) for path, schema in resources.items()
                     if path.split("/")[0] in api_resources.PER_VERSION],
        "observations": [{"name": path.split("/")[1][:-len(".json")]} | entry(path, schema)
                         for path, schema in resources.items()
                         if path.startswith(api_resources.OBSERVATIONS + "/")],
        # The resolver's answers (macros/export/answers.py): the choices, then one file per
        # PostgreSQL major x system; `{postgresql}` and `{system}` come from the choices.
        "answers": {"index": context.url(f"{API_DIR}answers/index.json"),
                    "file_pattern": context.url(f"{API_DIR}answers/{{postgresql}}/{{system}}.json"),
                    "schema": context.url(f"{API_DIR}schemas/answers.schema.json")},
    }
    if snapshot:
        document["snapshot"] = {"name": snapshot, "url": context.url(f"downloads/{snapshot}")}
    return document


def subject_bodies(data: Dataset, context: ExportContext) -> dict[str, dict]:
    return {"openssl": {"series": openssl_series(data, context)},
            "postgresql": {"majors": postgresql_majors(data, context)},
            "protocols": {"protocols": protocols(data)},
            "settings": {"settings": settings(data)}}


def resource_bodies(data: Dataset, context: ExportContext, bodies: dict[str, dict]) -> dict[str, tuple[str, dict]]:
    """{path: (schema, body)}: one document per version and per observation."""
    found = {}
    for product, key in (("postgresql", "majors"), ("openssl", "series")):
        schema = api_resources.PER_VERSION[product][0]
        for path, body in api_resources.per_version(product, bodies[product][key]).items():
            found[path] = (schema, body)
    for path, body in api_resources.observations(data, context).items():
        found[path] = ("observation", body)
    return found


def api_files(data: Dataset, context: ExportContext, snapshot: str | None = None) -> dict[str, str]:
    """Every file under /api/v1/, by path relative to it."""
    tables = {table_id: table_body(export_table(data, table_id), context.for_table(table_id))
              for table_id in TABLE_IDS}
    bodies = subject_bodies(data, context)
    resources = resource_bodies(data, context, bodies)
    files = {"index.json": dump(index(context, {path: schema for path, (schema, _) in resources.items()},
                                      snapshot))}
    for name, body in bodies.items():
        files[f"{name}.json"] = dump({"meta": meta(context, name)} | body)
    everything = {"meta": meta(context, "all")}
    for body in bodies.values():
        everything.update(body)
    files["all.json"] = dump(everything | {"tables": list(tables.values())})
    for table_id, body in tables.items():
        files[f"tables/{table_id}.json"] = dump({"meta": meta(context, "table")} | body)
    for path, (schema, body) in resources.items():
        files[path] = dump({"meta": meta(context, schema)} | body)
    for schema in sorted(SCHEMA_DIR.glob("*.schema.json")):
        files[f"schemas/{schema.name}"] = schema.read_text(encoding="utf-8")
    return files
