"""The site's tables as plain data: rows of cells with text, status and notes.

Every output format (site HTML, and the exports) renders these same objects, so a fact is
turned into words exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from macros.core.versions import pg_major_key
from macros.load.i18n import localize, t
from macros.model.common import Source
from macros.model.dataset import Dataset
from macros.model.postgresql import PostgresMajor
from macros.model.protocols import Cell
from macros.model.resolver_types import DEFAULT_PLATFORM
from macros.model.settings import Setting

TABLE_IDS = ("openssl-protocols", "postgresql-protocols", "postgresql-openssl-build",
             "server-settings", "libpq-parameters", "hba-options")


@dataclass(frozen=True)
class Note:
    """A footnote: a few sentences (label, text) and the sources behind the cell."""

    parts: tuple[tuple[str, str], ...]  # (label or "", text with inline markup)
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Observed:
    """The mark on a cell that a real handshake covered (data/observations/), with its footnote."""

    text: str  # "✓ observed"
    note: Note  # the builds probed: versions, platform, date, observation file
    link: str  # site path of the page that shows every observation


@dataclass(frozen=True)
class TableCell:
    text: str
    status: str | None = None  # a status token, for styling; None for neutral cells
    note: Note | None = None
    observed: Observed | None = None


@dataclass(frozen=True)
class TableRow:
    header: str
    link: str | None  # site path of the version or setting page, e.g. "postgresql/13/"
    marks: tuple[str, ...]  # e.g. ("end of life",)
    cells: tuple[TableCell, ...]
    title: str | None = None  # a longer description of the row, e.g. a setting's purpose
    # A PostgreSQL major past its end of life: the site shows it behind "show all". Never set for
    # OpenSSL series: distributions keep shipping 1.1.1 and 3.0 long after upstream's end.
    ended: bool = False
    setup: tuple[str, str] | None = None  # "Your setup" with this version: (query, accessible label)


@dataclass(frozen=True)
class Table:
    id: str
    title: str
    corner: str
    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]
    as_of: str
    column_links: tuple[str | None, ...] = field(default=())
    # What the rows and the columns are ("PostgreSQL", "OpenSSL"; "" for settings), so a
    # footnote's way back can say "PostgreSQL 12, TLS 1.0".
    row_kind: str = ""
    column_kind: str = ""
    # Per column, like column_links: a PostgreSQL major past its end of life (as TableRow.ended);
    # a column that a phone shows only after "show all" (SSL 2.0 and 3.0, "Not supported" in every
    # current major; the protocol settings, which the settings table has too).
    column_ended: tuple[bool, ...] = field(default=())
    column_folded: tuple[bool, ...] = field(default=())
    # Which way the versions run, so the site can show a run of identical cells once (merged_cells):
    # "rows" (a matrix with one row per version), "columns" (one column per version) or "" (never).
    versions_along: str = ""


def as_of(data: Dataset) -> str:
    """The date the data speaks for: the newest review date (never the build date)."""
    return data.as_of


def ended(version, as_of_date: str) -> bool:
    """Past its end of life on the date the data speaks for (a month-only date counts from its 1st)."""
    return bool(version.eol) and version.eol <= as_of_date


def version_marks(version, today: str) -> tuple[str, ...]:
    marks = []
    if getattr(version, "status", None) == "beta":
        marks.append(t("marks.beta"))
    if getattr(version, "lts", False):
        marks.append(t("marks.lts"))
    if ended(version, today):
        marks.append(t("marks.eol"))
    return tuple(marks)


def legacy(protocol) -> bool:
    """SSL 2.0 and 3.0: prohibited by RFC 6176 and RFC 7568 (data/protocols.yaml), the TLS
    columns matter more to a reader on a narrow screen (Table.column_folded)."""
    return protocol.id.startswith("SSL")


def protocol_column(protocol) -> str:
    return protocol.name if protocol.pg_value in (None, protocol.name) else f"{protocol.name} ({protocol.pg_value})"


def condition_text(cell: Cell) -> str:
    condition = cell.condition
    parts = []
    if condition.from_release:
        parts.append(t("condition.from", version=condition.from_release))
    if condition.openssl and condition.openssl_before:
        parts.append(t("condition.openssl_range", low=condition.openssl, high=condition.openssl_before))
    elif condition.openssl:
        parts.append(t("condition.openssl", version=condition.openssl))
    elif condition.openssl_before:
        parts.append(t("condition.openssl_before", version=condition.openssl_before))
    # "On with OpenSSL ≥ 1.1.1": a conditional cell is on by default where the condition holds.
    return t("condition.on_when", condition=t("condition.joiner").join(parts))


def cell_text(cell: Cell) -> str:
    """The status in words; "(inferred)" follows the part that is inferred, not the whole cell.

    `inferred` covers the cell's own claim (its status, or "on" where the condition holds); the
    `otherwise` outcome is OpenSSL's documented default, so it is said after the mark.
    """
    text = condition_text(cell) if cell.status == "conditional" else t(f"status.{cell.status}")
    if cell.inferred:
        text = f"{text} {t('inferred')}"
    otherwise = cell.condition.otherwise if cell.status == "conditional" and cell.condition else None
    return f"{text}{t('condition.joiner')}{t(f'condition.otherwise.{otherwise}')}" if otherwise else text


def cell_note(cell: Cell) -> Note:
    parts = []
    if cell.enable:
        parts.append((t("how_to_enable"), localize(cell.enable)))
    if cell.note:
        parts.append((t("inferred_note") if cell.inferred else "", localize(cell.note)))
    return Note(tuple(parts), cell.sources)


def protocol_cell(cell: Cell | None, observed: Observed | None = None) -> TableCell:
    if cell is None:
        return TableCell("")
    return TableCell(cell_text(cell), cell.status, cell_note(cell), observed)


def observed_mark(observations, protocol: str) -> Observed | None:
    """The mark for a protocol cell, when some observation got the server's answer for it."""
    # An observation under a configuration file that changes TLS shows that file, not the
    # library's defaults the matrices describe: it is on the version and Observed pages only.
    covering = [o for o in observations if o.covers(protocol) and not o.configured]
    if not covering:
        return None
    parts = tuple((t("observed.label"), t("observed.build", pg=o.pg_version,
                                          openssl=o.openssl_release or o.openssl_library,
                                          platform=o.platform, date=o.date, file=f"`{o.data_path}`"))
                  for o in covering)
    return Observed(t("observed.mark"), Note(parts, ()), "observed/")


def pg_setup(major: str) -> tuple[str, str]:
    """The "Your setup" link of a PostgreSQL row: that major preselected."""
    return f"pg={major}", t("setup.row_link_label", version=t("product.postgresql", version=major))


def openssl_setup(series: str) -> tuple[str, str]:
    """The "Your setup" link of an OpenSSL row: upstream defaults with that series."""
    return (f"platform={DEFAULT_PLATFORM}&openssl={series}",
            t("setup.row_link_label", version=t("product.openssl", version=series)))


def openssl_protocols(data: Dataset) -> Table:
    today = as_of(data)
    rows = tuple(
        TableRow(series.series, f"openssl/{series.series}/", version_marks(series, today),
                 tuple(protocol_cell(series.cells.get(p.id),
                                     observed_mark(data.observations_of_openssl(series.series), p.id))
                       for p in data.protocols), setup=openssl_setup(series.series))
        for series in data.openssl)
    return Table("openssl-protocols", t("tables.openssl-protocols"), t("columns.openssl"),
                 tuple(protocol_column(p) for p in data.protocols), rows, today,
                 row_kind=t("columns.openssl"), column_folded=tuple(legacy(p) for p in data.protocols),
                 versions_along="rows")


def postgresql_protocols(data: Dataset) -> Table:
    today = as_of(data)
    setting_names = ("ssl_min_protocol_version", "ssl_max_protocol_version")
    rows = []
    for major in data.postgresql:
        observations = data.observations_of_pg(major.major)
        cells = [protocol_cell(major.cells.get(p.id), observed_mark(observations, p.id))
                 for p in data.protocols]
        cells += [setting_cell(data.setting("server", name), major.major) for name in setting_names]
        rows.append(TableRow(major.major, f"postgresql/{major.major}/", version_marks(major, today),
                             tuple(cells), ended=ended(major, today), setup=pg_setup(major.major)))
    columns = tuple(protocol_column(p) for p in data.protocols) + setting_names
    return Table("postgresql-protocols", t("tables.postgresql-protocols"), t("columns.postgresql"),
                 columns, tuple(rows), today, row_kind=t("columns.postgresql"),
                 # The two settings are rows of the settings table as well: a phone folds them.
                 column_folded=tuple(legacy(p) for p in data.protocols) + (True,) * len(setting_names),
                 versions_along="rows")


def minimum_note(major: PostgresMajor) -> Note:
    """What the minimum OpenSSL of a major rests on: the documentation, or only its code."""
    minimum = major.min_openssl
    key = "build.minimum_note" if minimum.documented else "build.minimum_undocumented"
    parts = (("", t(key, major=major.major, minimum=minimum.series)),)
    if minimum.note:
        parts += (("", localize(minimum.note)),)
    return Note(parts, minimum.sources)


def build_cell(data: Dataset, major: PostgresMajor, series: str) -> TableCell:
    support = data.build_support(major, series)
    if support.reason == "below-minimum":
        return TableCell(t("build.below_minimum", minimum=major.min_openssl.series), "unsupported",
                         minimum_note(major))
    if support.status == "supported":
        first_release = support.since is None or support.since == f"{major.major}.0"
        text = t("build.supported") if first_release else t("build.supported_since", since=support.since)
        status = "on"
    else:
        text, status = t(f"build.{support.status}"), support.status
    milestone = support.milestone
    if milestone is None:
        return TableCell(text, status, minimum_note(major))
    if support.reason == "inherited":
        # The note is said once, in the entry's own column; later columns point back to it.
        return TableCell(text, status, Note((("", t("build.inherited", milestone=milestone.openssl)),),
                                            milestone.sources))
    parts = (("", localize(milestone.note)),) if milestone.note else ()
    return TableCell(text, status, Note(parts, milestone.sources))


def unbuildable_by_current(rows: tuple[TableRow, ...], column: int) -> bool:
    """No PostgreSQL major still supported builds with this OpenSSL series (0.9.8 to 1.1.0 today):
    a phone shows that column only after "show all"."""
    return all(row.ended or row.cells[column].status == "unsupported" for row in rows)


def postgresql_openssl_build(data: Dataset) -> Table:
    today = as_of(data)
    rows = tuple(
        TableRow(major.major, f"postgresql/{major.major}/", version_marks(major, today),
                 tuple(build_cell(data, major, s.series) for s in data.openssl),
                 ended=ended(major, today), setup=pg_setup(major.major))
        for major in data.postgresql)
    return Table("postgresql-openssl-build", t("tables.postgresql-openssl-build"),
                 f"{t('columns.postgresql')} \\ {t('columns.openssl')}",
                 tuple(s.series for s in data.openssl), rows, today,
                 column_links=tuple(f"openssl/{s.series}/" for s in data.openssl),
                 row_kind=t("columns.postgresql"), column_kind=t("columns.openssl"),
                 column_folded=tuple(unbuildable_by_current(rows, i) for i in range(len(data.openssl))),
                 # Both axes are versions; along a major's row the cells repeat (one note per
                 # build milestone), down an OpenSSL column they rarely do.
                 versions_along="columns")


def default_text(value: str | None) -> str:
    if value is None:
        return t("setting.unset")
    return value if value != "" else t("setting.empty")


def setting_note(setting: Setting, rng) -> Note:
    parts = []
    if rng.default_note:
        parts.append(("", localize(rng.default_note)))
    if rng.values is not None:
        shown = ", ".join(f"`{default_text(v)}`" for v in rng.values)
        parts.append(("", t("setting.values", values=shown)))
    if rng.values_note:
        parts.append(("", localize(rng.values_note)))
    if rng.apply:
        parts.append(("", t(f"setting.apply.{rng.apply}")))
    if rng.note:
        parts.append(("", localize(rng.note)))
    return Note(tuple(parts), rng.sources or setting.sources)


def absent_note(setting: Setting, major: str) -> Note:
    """Why a setting has no value in a major (not added yet, removed, renamed), with its sources."""
    if pg_major_key(major) < pg_major_key(setting.added):
        text = t("setting.added", version=setting.added)
    elif setting.removed and setting.renamed_to:
        text = t("setting.renamed", name=f"`{setting.renamed_to}`", version=setting.removed)
    elif setting.removed:
        text = t("setting.removed", version=setting.removed)
    else:
        text = t("setting.not_available_text")
    return Note((("", text),), setting.sources)


def setting_cell(setting: Setting | None, major: str) -> TableCell:
    rng = setting.range_for(major) if setting else None
    if rng is None:
        return TableCell(t("setting.not_available"), "absent",
                         absent_note(setting, major) if setting else None)
    text = default_text(rng.default) if rng.has_default else t("setting.unset")
    return TableCell(text, "present", setting_note(setting, rng))


def settings_table(data: Dataset, kind: str) -> Table:
    table_id = {"server": "server-settings", "libpq": "libpq-parameters", "hba": "hba-options"}[kind]
    corner = {"server": "columns.setting", "libpq": "columns.parameter", "hba": "columns.option"}[kind]
    majors = [m.major for m in data.postgresql]
    rows = tuple(
        TableRow(setting.name, None, (), tuple(setting_cell(setting, m) for m in majors),
                 title=localize(setting.description))
        for setting in sorted(data.settings.get(kind, ()), key=lambda s: s.name))
    today = as_of(data)
    return Table(table_id, t(f"tables.{table_id}"), t(corner), tuple(majors), rows, today,
                 column_links=tuple(f"postgresql/{m}/" for m in majors), column_kind=t("columns.postgresql"),
                 column_ended=tuple(ended(m, today) for m in data.postgresql), versions_along="columns")


def build_table(data: Dataset, table_id: str) -> Table:
    builders = {
        "openssl-protocols": openssl_protocols,
        "postgresql-protocols": postgresql_protocols,
        "postgresql-openssl-build": postgresql_openssl_build,
        "server-settings": lambda d: settings_table(d, "server"),
        "libpq-parameters": lambda d: settings_table(d, "libpq"),
        "hba-options": lambda d: settings_table(d, "hba"),
    }
    if table_id not in builders:
        raise KeyError(f"unknown table {table_id!r}; known: {', '.join(TABLE_IDS)}")
    return builders[table_id](data)


# --- runs of identical cells, shown once ---

@dataclass(frozen=True)
class Span:
    """A cell as the site shows it: one cell, or a run of identical neighbours along the version
    axis shown once ("15–17: HIGH:MEDIUM:+3DES:!aNULL" as one cell under 15, 16 and 17)."""

    cell: TableCell
    row: int  # where the run starts
    column: int
    rows: int = 1  # how many rows and columns it covers (one of them is 1)
    columns: int = 1


def _same_fold(table: Table, row: int, column: int) -> tuple:
    """What "show all" and a phone hide together: a run never crosses it, so hiding a row or a
    column never takes a visible version's fact with it."""
    if table.versions_along == "rows":
        return (table.rows[row].ended,)
    return (bool(table.column_ended) and table.column_ended[column],
            bool(table.column_folded) and table.column_folded[column])


def _runs(cells, folds) -> list[tuple[int, int]]:
    """(start, length) of each run of equal cells with equal folds. Equal means all of it: text,
    status, note (its sentences and sources) and the observed mark."""
    runs: list[tuple[int, int]] = []
    for i, (cell, fold) in enumerate(zip(cells, folds)):
        if runs and cell == cells[runs[-1][0]] and fold == folds[runs[-1][0]]:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((i, 1))
    return runs


def merged_cells(table: Table) -> tuple[tuple[Span, ...], ...]:
    """Per row, the spans that start in it. Without versions_along, one span per cell."""
    spans: list[list[Span]] = [[] for _ in table.rows]
    if table.versions_along == "rows":
        for c in range(len(table.columns)):
            cells = [row.cells[c] for row in table.rows]
            folds = [_same_fold(table, r, c) for r in range(len(table.rows))]
            for start, length in _runs(cells, folds):
                spans[start].append(Span(cells[start], start, c, rows=length))
        for row_spans in spans:
            row_spans.sort(key=lambda span: span.column)
    else:
        merge = table.versions_along == "columns"
        for r, row in enumerate(table.rows):
            folds = [_same_fold(table, r, c) for c in range(len(row.cells))]
            runs = _runs(row.cells, folds) if merge else [(c, 1) for c in range(len(row.cells))]
            spans[r] = [Span(row.cells[start], r, start, columns=length) for start, length in runs]
    return tuple(tuple(row_spans) for row_spans in spans)


def span_headers(table: Table, span: Span) -> tuple[str, str]:
    """The row and the column a span stands for, a range where it covers several: ("ssl_ciphers",
    "15–17")."""
    def named(first: str, last: str) -> str:
        return first if first == last else t("table.range", first=first, last=last)
    return (named(table.rows[span.row].header, table.rows[span.row + span.rows - 1].header),
            named(table.columns[span.column], table.columns[span.column + span.columns - 1]))
