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
from macros.export import answers, csv_file, embed_page, json_api, snapshot
from macros.export.context import ExportContext
from macros.export.formats import SNIPPETS
from macros.export.options import export_table
from macros.export.variants import (
    CSV_FILE,
    JSON_FILE,
    PLACEHOLDER_ROOT,
    VARIANTS,
    file_path,
    snippet_file,
)
from macros.model.dataset import Dataset
from macros.render.tables import TABLE_IDS

GENERATED_FOLDERS = ("api", "downloads", "embed")


def csv_path(table_id: str) -> str:
    return f"downloads/{table_id}.csv"


def published_files(data: Dataset, context: ExportContext, data_dir: Path | None = None) -> dict[str, str | bytes]:
    """Every generated file, by path under docs/ (the same path under the built site).

    With data_dir, also the snapshot archive of data/ and the API (downloads/tlskb-snapshot-*.tar.gz).
    """
    files: dict[str, str | bytes] = {}
    for table_id in TABLE_IDS:
        files[csv_path(table_id)] = csv_file.render(export_table(data, table_id), context.for_table(table_id))
        for variant in VARIANTS:
            files.update(variant_files(data, table_id, variant, context))
    archive = snapshot.snapshot_name(context.data_version) if data_dir is not None else None
    api = json_api.api_files(data, context, archive)
    # The "Your setup" page's answers (the resolver's) join the API before the snapshot is made,
    # so the archive holds them too.
    api.update(answers.answer_files(data, context))
    for name, text in api.items():
        files[json_api.API_DIR + name] = text
    if data_dir is not None:
        files[f"downloads/{archive}"] = snapshot.snapshot_bytes(
            context.data_version, snapshot.snapshot_entries(data_dir, api))
    return files


def variant_files(data: Dataset, table_id: str, variant: str, context: ExportContext) -> dict[str, str]:
    """One variant of a table in every format: what the page's copy buttons and links fetch."""
    table, table_context = export_table(data, table_id, VARIANTS[variant]), context.for_table(table_id, variant)
    # Snippets travel to other sites, where only absolute links work (see PLACEHOLDER_ROOT).
    snippet_context = table_context if table_context.root else table_context.with_root(PLACEHOLDER_ROOT)
    files = {file_path(table_id, variant, snippet_file(name)): render(table, snippet_context)
             for name, render in SNIPPETS.items()}
    files[file_path(table_id, variant, CSV_FILE)] = csv_file.render(table, table_context)
    files[file_path(table_id, variant, JSON_FILE)] = json_api.render(table, table_context)
    files[embed_page.path(table_id, variant) + "index.html"] = embed_page.render(table, table_context)
    return files


def write_tree(docs_dir: Path, files: dict[str, str | bytes]) -> None:
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
            try:
                target.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
            except OSError as error:  # a full disk names no file: say which one was being written
                raise OSError(error.errno, error.strerror, str(docs_dir / name)) from error
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
