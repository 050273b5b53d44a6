"""What a reader may ask of an export: some versions only, with or without notes and sources.

The result is still a macros.render.tables.Table, cut down from the site's own: every format renders it
without knowing which options made it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from macros.export.errors import ExportError
from macros.model.dataset import Dataset
from macros.render.tables import (
    TABLE_IDS,
    Note,
    Table,
    TableCell,
    as_of,
    build_table,
    ended,
)


@dataclass(frozen=True)
class Options:
    postgresql: tuple[str, ...] = ()  # keep only these majors (empty: all)
    openssl: tuple[str, ...] = ()  # keep only these series (empty: all)
    supported_only: bool = False  # drop versions past their end of life as of the data date
    notes: bool = True
    sources: bool = True


# Which product's versions each table lists along its rows and along its columns.
AXES = {
    "openssl-protocols": ("openssl", None),
    "postgresql-protocols": ("postgresql", None),
    "postgresql-openssl-build": ("postgresql", "openssl"),
    "server-settings": (None, "postgresql"),
    "libpq-parameters": (None, "postgresql"),
    "hba-options": (None, "postgresql"),
}
PRODUCT_NAMES = {"openssl": "OpenSSL", "postgresql": "PostgreSQL"}


def validate(table_id: str, options: Options) -> None:
    """What can be refused without reading the data."""
    if table_id not in TABLE_IDS:
        raise ExportError(f"unknown table {table_id!r}; known: {', '.join(TABLE_IDS)}")
    for product in ("openssl", "postgresql"):
        if _chosen(options, product) and product not in AXES[table_id]:
            raise ExportError(f"table {table_id} lists no {PRODUCT_NAMES[product]} versions; "
                              f"--{product} does not apply to it")


def export_table(data: Dataset, table_id: str, options: Options = Options()) -> Table:
    validate(table_id, options)
    table = build_table(data, table_id)
    row_product, column_product = AXES[table_id]
    if row_product:
        table = keep_rows(table, _kept_versions(data, row_product, options))
    if column_product:
        all_columns = len(table.columns)
        table = keep_columns(table, _kept_versions(data, column_product, options))
        if row_product is None and len(table.columns) < all_columns:
            table = drop_empty_rows(table)
    if not table.rows or not table.columns:
        raise ExportError(f"table {table_id}: no versions left to show with these options")
    return with_notes(table, options.notes, options.sources)


def _chosen(options: Options, product: str) -> tuple[str, ...]:
    return options.openssl if product == "openssl" else options.postgresql


def _kept_versions(data: Dataset, product: str, options: Options) -> set[str]:
    versions = data.openssl if product == "openssl" else data.postgresql
    known = [v.version for v in versions]
    chosen = _chosen(options, product)
    unknown = [v for v in chosen if v not in known]
    if unknown:
        raise ExportError(f"unknown {PRODUCT_NAMES[product]} version(s): {', '.join(unknown)}; "
                          f"known: {', '.join(known)}")
    kept = set(chosen or known)
    if options.supported_only:
        today = as_of(data)
        kept -= {v.version for v in versions if ended(v, today)}
    return kept


def keep_rows(table: Table, versions: set[str]) -> Table:
    return dataclasses.replace(table, rows=tuple(r for r in table.rows if r.header in versions))


def keep_columns(table: Table, versions: set[str]) -> Table:
    kept = [i for i, column in enumerate(table.columns) if column in versions]
    rows = tuple(dataclasses.replace(row, cells=tuple(row.cells[i] for i in kept)) for row in table.rows)
    def pick(per_column: tuple) -> tuple:
        return tuple(per_column[i] for i in kept) if per_column else ()
    return dataclasses.replace(table, columns=tuple(table.columns[i] for i in kept), rows=rows,
                               column_links=pick(table.column_links), column_ended=pick(table.column_ended),
                               column_folded=pick(table.column_folded))


def drop_empty_rows(table: Table) -> Table:
    """A setting that exists in none of the chosen majors says nothing: leave its row out."""
    rows = tuple(r for r in table.rows if any(c.status != "absent" for c in r.cells))
    return dataclasses.replace(table, rows=rows)


def with_notes(table: Table, notes: bool, sources: bool) -> Table:
    if notes and sources:
        return table  # exactly the site's notes
    def cell(c: TableCell) -> TableCell:
        observed = c.observed and dataclasses.replace(c.observed, note=_note(c.observed.note, notes, sources))
        return dataclasses.replace(c, note=_note(c.note, notes, sources), observed=observed)
    rows = tuple(dataclasses.replace(r, cells=tuple(cell(c) for c in r.cells)) for r in table.rows)
    return dataclasses.replace(table, rows=rows)


def _note(note: Note | None, notes: bool, sources: bool) -> Note | None:
    if note is None or not notes:
        return None
    if not sources:
        note = Note(note.parts, ())
    return note if note.parts or note.sources else None
