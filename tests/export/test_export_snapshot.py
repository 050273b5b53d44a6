"""The data snapshot: data/ and the API in one deterministic archive named by data version."""

from __future__ import annotations

import io
import json
import tarfile

import pytest
from conftest import DATA_DIR

from macros.export.context import ExportContext
from macros.export.published import published_files
from macros.export.snapshot import snapshot_bytes, snapshot_name
from macros.export.version import DataVersion, data_files, data_sha256
from macros.render.tables import as_of


@pytest.fixture(scope="module")
def files(dataset):
    context = ExportContext("KB", DataVersion(as_of(dataset), data_sha256(DATA_DIR)))
    return context, published_files(dataset, context, DATA_DIR)


def test_the_archive_is_named_by_data_version_and_listed_in_the_index(files):
    context, published = files
    name = snapshot_name(context.data_version)
    assert name == f"tlskb-snapshot-{context.data_version.as_of}-{context.data_version.sha256[:12]}.tar.gz"
    assert isinstance(published[f"downloads/{name}"], bytes)
    index = json.loads(published["api/v1/index.json"])
    assert index["snapshot"] == {"name": name, "url": f"downloads/{name}"}


def test_the_archive_holds_the_data_and_the_api_as_published(files):
    context, published = files
    folder = snapshot_name(context.data_version)[:-len(".tar.gz")]
    with tarfile.open(fileobj=io.BytesIO(published[f"downloads/{snapshot_name(context.data_version)}"])) as archive:
        members = archive.getmembers()
        names = [m.name for m in members]
        assert names == sorted(names)
        assert all(m.isfile() and m.uid == 0 and m.gid == 0 and m.uname == "" and m.mode == 0o644 for m in members)
        assert len({m.mtime for m in members}) == 1
        api = {n[len(folder) + len("/api/v1/"):]: archive.extractfile(m).read().decode("utf-8")
               for n, m in zip(names, members) if n.startswith(f"{folder}/api/v1/")}
        data = {n[len(folder) + 1:] for n in names if n.startswith(f"{folder}/data/")}
    assert api == {name[len("api/v1/"):]: text for name, text in published.items() if name.startswith("api/v1/")}
    assert data == {f"data/{p.relative_to(DATA_DIR).as_posix()}" for p in data_files(DATA_DIR)}


def test_same_entries_same_bytes_with_no_time_stamp():
    version = DataVersion("2026-01-02", "ab" * 32)
    entries = {"b.txt": b"two", "a.txt": b"one"}
    first = snapshot_bytes(version, entries)
    assert first == snapshot_bytes(version, dict(reversed(list(entries.items()))))
    assert first[4:8] == b"\0\0\0\0"  # gzip MTIME
    assert snapshot_bytes(version, {"a.txt": b"one!", "b.txt": b"two"}) != first
