"""Every fact has a primary source, in the files and on the rendered tables."""

from __future__ import annotations

import re

import pytest
from conftest import DATA_DIR

from macros.load.tree import read_tree
from macros.model.common import Source
from macros.render.html import number_notes
from macros.render.tables import TABLE_IDS, build_table


def usable(source: Source) -> bool:
    """An https URL, or a file in a repository at a ref."""
    if source.url:
        return bool(re.fullmatch(r"https://[^\s/]+\.[^\s/]+(/\S*)?", source.url))
    return bool(source.repo and source.path and source.ref)


def assert_sourced(what: str, sources) -> None:
    assert sources, f"{what} has no source"
    bad = [s for s in sources if not usable(s)]
    assert not bad, f"{what} has unusable sources: {bad}"


def facts(data):
    """(description, sources) for every fact the model holds."""
    for protocol in data.protocols:
        yield f"protocol {protocol.id}", protocol.sources
    for version in data.openssl + data.postgresql:
        name = f"{version.origin.path}"
        yield f"{name} lifecycle", version.lifecycle_sources
        if version.latest:
            yield f"{name} latest release {version.latest.version}", version.latest.sources
        for protocol, cell in version.cells.items():
            yield f"{name} cell {protocol}", cell.sources
    for series in data.openssl:
        yield f"{series.origin.path} security level", series.security_level.sources
    for major in data.postgresql:
        name = major.origin.path
        yield f"{name} min_openssl", major.min_openssl.sources
        for milestone in major.milestones:
            yield f"{name} milestone OpenSSL {milestone.openssl}", milestone.sources
        if major.libressl:
            yield f"{name} libressl", major.libressl.sources
    for kind, settings in data.settings.items():
        for setting in settings:
            yield f"{kind} setting {setting.name}", setting.sources
            for rng in setting.ranges:
                # A range without its own sources is covered by its setting's.
                yield f"{kind} setting {setting.name} from {rng.start}", rng.sources or setting.sources


def test_every_fact_has_a_source(dataset):
    count = 0
    for what, sources in facts(dataset):
        assert_sourced(what, sources)
        count += 1
    assert count > 300


def walk_sources(value, keys=()):
    """Every `sources` list anywhere in a file, with where it is."""
    if isinstance(value, dict):
        for key, child in value.items():
            if key in ("sources", "lifecycle_sources"):
                yield keys + (key,), child
            else:
                yield from walk_sources(child, keys + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from walk_sources(child, keys + (index,))


def fact_files():
    """The files that state facts (observations are records of a run, their own evidence)."""
    tree, problems = read_tree(DATA_DIR)
    assert not [p for p in problems if p.severity == "error"]
    files = [tree.protocols, *tree.openssl.values(), *tree.postgresql.values(), *tree.settings.values()]
    assert len(files) > 20
    return files


def test_every_sources_list_in_every_file_is_usable():
    # Independent of the model: a key the model does not read still needs good sources.
    count = 0
    for loaded in fact_files():
        for keys, sources in walk_sources(loaded.data):
            where = f"{loaded.display} {'.'.join(map(str, keys))}"
            assert isinstance(sources, list) and sources, f"{where} is empty"
            for raw in sources:
                assert_sourced(where, [Source(url=raw.get("url"), repo=raw.get("repo"),
                                              path=raw.get("path"), ref=raw.get("ref"))])
            count += 1
    assert count > 300


def test_every_data_file_has_sources():
    for loaded in fact_files():
        assert list(walk_sources(loaded.data)), f"{loaded.display} cites nothing"


@pytest.mark.parametrize("table_id", TABLE_IDS)
def test_every_status_cell_has_a_note_with_sources(dataset, table_id):
    table = build_table(dataset, table_id)
    cells = [(row.header, table.columns[i], cell) for row in table.rows for i, cell in enumerate(row.cells)]
    with_status = [c for c in cells if c[2].status]
    assert with_status
    for header, column, cell in with_status:
        assert cell.note is not None, f"{table_id}: {header} × {column} ({cell.text}) has no note"
        assert_sourced(f"{table_id}: {header} × {column}", cell.note.sources)
    _, notes = number_notes(table)
    # A "✓ observed" note cites no document: its evidence is the observation file it names.
    observed = [c.observed.note for _, _, c in cells if c.observed]
    assert all("data/observations/" in text for note in observed for _, text in note.parts)
    assert all(note.sources for note in notes if note not in observed)
