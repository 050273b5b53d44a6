"""What the site publishes beside its pages, and how it gets written: all or nothing.

`make site` runs `python -m macros export --all` before `mkdocs build`. The files land in three
git-ignored folders under docs/ whose names are their URLs (docs/api/ -> /api/v1/...,
docs/downloads/, docs/embed/), and MkDocs copies them as static files: no hooks, no gen-files.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from macros.export import csv_file, embed_page, json_api
from macros.export.context import ExportContext
from macros.export.options import export_table
from macros.model import Dataset
from macros.tables import TABLE_IDS

GENERATED_FOLDERS = ("api", "downloads", "embed")


def csv_path(table_id: str) -> str:
    return f"downloads/{table_id}.csv"


def published_files(data: Dataset, context: ExportContext) -> dict[str, str]:
    """Every generated file, by path under docs/ (the same path under the built site)."""
    files = {}
    for table_id in TABLE_IDS:
        table, table_context = export_table(data, table_id), context.for_table(table_id)
        files[csv_path(table_id)] = csv_file.render(table, table_context)
        files[embed_page.path(table_id) + "index.html"] = embed_page.render(table, table_context)
    for name, text in json_api.api_files(data, context).items():
        files[json_api.API_DIR + name] = text
    return files


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_file(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder and rename it: never half-written."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; a download is not
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_tree(docs_dir: Path, files: dict[str, str]) -> None:
    """Replace docs/api, docs/downloads and docs/embed with exactly `files`.

    Everything is written into a hidden folder first (MkDocs skips dot-folders), then each folder
    is swapped in by renames; a failure leaves the previous folders as they were.
    """
    docs_dir = Path(docs_dir)
    staging = Path(tempfile.mkdtemp(dir=docs_dir, prefix=".export-"))
    try:
        os.chmod(staging, 0o777 & ~_umask())
        for name, text in files.items():
            if name.split("/", 1)[0] not in GENERATED_FOLDERS:
                raise ValueError(f"{name} is outside the generated folders {GENERATED_FOLDERS}")
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
        for folder in GENERATED_FOLDERS:
            _swap(staging / folder, docs_dir / folder, staging / f"old-{folder}")
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap(new: Path, target: Path, old: Path) -> None:
    if not new.exists():
        new.mkdir()
    if target.exists():
        target.rename(old)
    new.rename(target)
