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

from macros.core.files import umask
from macros.export import answers, csv_file, embed_page, json_api
from macros.export.context import ExportContext
from macros.export.options import export_table
from macros.model.dataset import Dataset
from macros.render.tables import TABLE_IDS

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
    for name, text in answers.answer_files(data, context).items():  # the "Your setup" page's answers
        files[json_api.API_DIR + name] = text
    return files


def write_tree(docs_dir: Path, files: dict[str, str]) -> None:
    """Replace docs/api, docs/downloads and docs/embed with exactly `files`.

    Everything is written into a hidden folder first (MkDocs skips dot-folders), then each folder
    is swapped in by renames; if one rename fails, the folders already swapped are put back, so a
    failure leaves the previous folders as they were.
    """
    docs_dir = Path(docs_dir)
    staging = Path(tempfile.mkdtemp(dir=docs_dir, prefix=".export-"))
    try:
        os.chmod(staging, 0o777 & ~umask())
        for name, text in files.items():
            if name.split("/", 1)[0] not in GENERATED_FOLDERS:
                raise ValueError(f"{name} is outside the generated folders {GENERATED_FOLDERS}")
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
        _swap_all(staging, docs_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_all(staging: Path, docs_dir: Path) -> None:
    done: list[tuple[Path, Path | None]] = []  # (folder swapped in, its previous version or None)
    try:
        for folder in GENERATED_FOLDERS:
            done.append(_swap(staging / folder, docs_dir / folder, staging / f"old-{folder}"))
    except BaseException:
        for target, old in reversed(done):
            target.rename(staging / f"failed-{target.name}")
            if old is not None:
                old.rename(target)
        raise


def _swap(new: Path, target: Path, old: Path) -> tuple[Path, Path | None]:
    if not new.exists():
        new.mkdir()
    had_one = target.exists()
    if had_one:
        target.rename(old)
    try:
        new.rename(target)
    except BaseException:
        if had_one:
            old.rename(target)  # this folder too stays as it was
        raise
    return target, old if had_one else None
