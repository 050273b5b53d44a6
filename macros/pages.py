"""One page per version: /postgresql/<major>/ and /openssl/<series>/, as Markdown with HTML blocks."""

from __future__ import annotations

from macros.html import Linker, render_fragment, render_table, same_path
from macros.i18n import localize, t
from macros.model import Dataset, OpenSSLSeries, PostgresMajor
from macros.tables import (Table, TableRow, as_of, build_cell, protocol_cell,
                           protocol_column, setting_cell, version_marks)


def _heading(level: int, text: str) -> str:
    return f"{'#' * level} {text}\n"


def _protocols(data: Dataset, version) -> str:
    rows = [(protocol_column(p), protocol_cell(version.cells[p.id]))
            for p in data.protocols if p.id in version.cells]
    return render_fragment("version_protocols.html.j2", rows=rows)


def _eol_text(eol: str | None, today: str) -> str:
    if not eol:
        return "—"
    return t("page.eol_past", date=eol) if eol <= today else t("page.eol_future", date=eol)


def postgresql_page(data: Dataset, major_name: str, link: Linker = same_path) -> str:
    major = data.pg(major_name)
    if major is None:
        raise KeyError(f"no data file for PostgreSQL {major_name}")
    today = as_of(data)
    facts = [(t("page.status"), t("page.beta_status") if major.status == "beta" else t("page.released_status"),
              None)]
    if major.released:
        facts.append((t("page.released"), major.released, major.lifecycle_sources))
        facts.append((t("page.eol"), _eol_text(major.eol, today), major.lifecycle_sources))
    if major.latest:
        facts.append((t("page.latest_minor"), f"{major.latest.version} ({major.latest.date})"
                      + (f" — {localize(major.latest.note)}" if major.latest.note else ""),
                      major.latest.sources))
    minimum = major.min_openssl
    facts.append((t("page.min_openssl"), minimum.series + (f" — {localize(minimum.note)}" if minimum.note else ""),
                  minimum.sources))
    if major.libressl:
        facts.append((t("page.libressl"), " — ".join(x for x in (major.libressl.min_version and f"≥ {major.libressl.min_version}",
                                                                 localize(major.libressl.note)) if x),
                      major.libressl.sources))
    if major.note:
        facts.append((t("page.note"), localize(major.note), None))
    parts = [_heading(1, f"PostgreSQL {major.major}"),
             render_fragment("facts.html.j2", facts=facts),
             _heading(2, t("page.protocols_heading")), _protocols(data, major),
             _heading(2, t("page.build_heading")), render_table(_build_table(data, major), link),
             _heading(2, t("page.settings_heading"))]
    for kind, heading, corner in (("server", "page.server_settings", "columns.setting"),
                                  ("libpq", "page.libpq_parameters", "columns.parameter"),
                                  ("hba", "page.hba_options", "columns.option")):
        rows = [(s, setting_cell(s, major.major)) for s in data.settings_in(kind, major.major)]
        parts += [_heading(3, t(heading)), render_fragment("settings_list.html.j2", rows=rows, corner=t(corner))]
    parts.append(f"<p class=\"tlskb-asof\">{t('page.edit_data', path=f'data/postgresql/{major.major}.yaml')}</p>\n")
    return "\n".join(parts)


def _build_table(data: Dataset, major: PostgresMajor) -> Table:
    """This major's row of the build matrix, turned into one row per OpenSSL series."""
    today = as_of(data)
    rows = tuple(TableRow(s.series, f"openssl/{s.series}/", version_marks(s, today),
                          (build_cell(data, major, s.series),))
                 for s in data.openssl)
    return Table(f"build-{major.major}", t("page.build_heading"), t("columns.openssl"),
                 (f"PostgreSQL {major.major}",), rows, today)


def openssl_page(data: Dataset, series_name: str, link: Linker = same_path) -> str:
    series = data.openssl_series(series_name)
    if series is None:
        raise KeyError(f"no data file for OpenSSL {series_name}")
    today = as_of(data)
    level = series.security_level
    level_text = (t("page.security_level_none") if level.value is None else str(level.value)
                  ) + (f" — {localize(level.blocks)}" if level.blocks else "") + (
                  f" {localize(level.note)}" if level.note else "")
    facts = [(t("page.released"), series.released, series.lifecycle_sources),
             (t("page.eol"), _eol_text(series.eol, today), series.lifecycle_sources),
             (t("page.lts"), t("page.yes") if series.lts else t("page.no"), series.lifecycle_sources),
             (t("page.latest_release"), f"{series.latest.version} ({series.latest.date})"
              + (f" — {localize(series.latest.note)}" if series.latest.note else ""), series.latest.sources),
             (t("page.security_level"), level_text, level.sources)]
    if series.note:
        facts.append((t("page.note"), localize(series.note), None))
    return "\n".join([
        _heading(1, f"OpenSSL {series.series}"),
        render_fragment("facts.html.j2", facts=facts),
        _heading(2, t("page.protocols_heading")), _protocols(data, series),
        _heading(2, t("page.pg_majors_heading")), render_table(_majors_table(data, series), link),
        f"<p class=\"tlskb-asof\">{t('page.edit_data', path=f'data/openssl/{series.series}.yaml')}</p>\n",
    ])


def _majors_table(data: Dataset, series: OpenSSLSeries) -> Table:
    today = as_of(data)
    rows = tuple(TableRow(m.major, f"postgresql/{m.major}/", version_marks(m, today),
                          (build_cell(data, m, series.series),))
                 for m in data.postgresql)
    return Table(f"majors-{series.series}", t("page.pg_majors_heading"), t("columns.postgresql"),
                 (f"OpenSSL {series.series}",), rows, today)


