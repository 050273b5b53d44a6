"""One page per version: /postgresql/<major>/ and /openssl/<series>/, as Markdown with HTML blocks."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from macros.load.i18n import localize, t
from macros.model.dataset import Dataset
from macros.model.observations import Observation
from macros.model.openssl import OpenSSLSeries
from macros.model.postgresql import PostgresMajor
from macros.render.guide_page import guide_markdown
from macros.render.html import Linker, render_fragment, render_table, same_path
from macros.render.markdown import escape as md_escape
from macros.render.release_block import release_html
from macros.render.setup_page import setup_link
from macros.render.tables import (
    Table,
    TableRow,
    as_of,
    build_cell,
    ended,
    protocol_cell,
    protocol_column,
    setting_cell,
    version_marks,
)
from macros.render.upgrade_section import upgrade_markdown


def _heading(level: int, text: str) -> str:
    return f"{'#' * level} {text}\n"


def _protocols(data: Dataset, version) -> str:
    rows = [(protocol_column(p), protocol_cell(version.cells[p.id]))
            for p in data.protocols if p.id in version.cells]
    return render_fragment("version_protocols.html.j2", rows=rows)


def _build_title(observation: Observation, for_markdown: bool) -> str:
    """"PostgreSQL 15.18 with OpenSSL 3.0.20 (Debian GNU/Linux 12 (bookworm))". The platform is
    free text from a data file: escaped for a Markdown heading; a template escapes it for HTML."""
    key = "observed.build_heading_conf" if observation.configured else "observed.build_heading"
    platform = md_escape(observation.platform) if for_markdown else observation.platform
    return t(key, pg=observation.pg_version, platform=platform,
             openssl=observation.openssl_release or observation.openssl_series)


def _tried_columns(data: Dataset, observations) -> list[tuple[str, str]]:
    """(protocol id, column heading) for each protocol some scenario tried, in table order."""
    return [(p.id, protocol_column(p)) for p in data.protocols
            if any(p.id in s.results for o in observations for s in o.scenarios)]


def observations_html(data: Dataset, observations, level: int) -> str:
    """Each observation under its own heading: the build probed, then scenario × protocol."""
    parts = []
    for observation in observations:
        parts += [_heading(level, _build_title(observation, for_markdown=True)),
                  render_fragment("observation.html.j2", observation=observation,
                                  columns=_tried_columns(data, [observation]))]
    return "\n".join(parts)


@dataclass(frozen=True)
class _SummaryBuild:
    observation: Observation
    label: str  # "PostgreSQL 15.18 with OpenSSL 3.0.20 (Debian GNU/Linux 12 (bookworm))"
    href: str  # its full evidence on the observations page


def _observed_section(data: Dataset, observations, link: Linker) -> list[str]:
    """"Observed behaviour" on a version page: one summary table of outcomes; nothing when no
    probe covers the version. The evidence of each handshake is shown once, on the observations
    page (observations_html), not again on every version page."""
    if not observations:
        return []
    intro = Markup('<p>{} <a href="{}">{}</a></p>\n').format(t("observed.intro"), link("observed/"),
                                                             t("observed.more"))
    builds = [_SummaryBuild(o, _build_title(o, for_markdown=False), f"{link('observed/')}#observation-{o.name}")
              for o in observations]
    summary = render_fragment("observation_summary.html.j2", builds=builds,
                              columns=_tried_columns(data, observations))
    return [_heading(2, t("observed.heading")), intro, summary]


def _eol_text(version, as_of_date: str) -> str:
    if not version.eol:
        return t("page.missing")
    return t("page.eol_past" if ended(version, as_of_date) else "page.eol_future", date=version.eol)


def _with_note(value: str, note) -> str:
    """"13.23 (2025-11-13) — Final release of the branch." when the fact has a note."""
    return t("page.with_note", value=value, note=localize(note)) if note else value


def _release_text(release) -> str:
    return _with_note(t("page.release_on", version=release.version, date=release.date), release.note)


def data_file_line(path: str, repo_url: str = "") -> str:
    """'Data file: data/postgresql/13.yaml', with an edit link when the site knows its repository."""
    line = escape(t("page.edit_data", path=path))
    if repo_url:
        line += Markup(' — <a href="{}">{}</a>').format(f"{repo_url}/edit/main/{path}", t("page.edit_link"))
    return f'<p class="tlskb-asof">{line}</p>\n'


def postgresql_page(data: Dataset, major_name: str, link: Linker = same_path, repo_url: str = "") -> str:
    major = data.pg(major_name)
    if major is None:
        raise KeyError(f"no data file for PostgreSQL {major_name}")
    today = as_of(data)
    release = release_html(major, today, _eol_text(major, today), _with_note)
    # The reader's task first: facts, the way to this major's answer ("Your setup"), the setup
    # guide, then the reference tables.
    parts = [_heading(1, t("product.postgresql", version=major.major)),
             release,
             _setup_paragraph(major.major, link),
             upgrade_markdown(data, major.major),  # Markdown: "" for the first major
             guide_markdown(data, major.major),  # Markdown: content tabs and code blocks
             _heading(2, t("page.protocols_heading")), _protocols(data, major),
             *_observed_section(data, data.observations_of_pg(major.major), link),
             _heading(2, t("page.build_heading")), render_table(_build_table(data, major), link),
             _heading(2, t("page.settings_heading"))]
    for kind, heading, corner in (("server", "page.server_settings", "columns.setting"),
                                  ("libpq", "page.libpq_parameters", "columns.parameter"),
                                  ("hba", "page.hba_options", "columns.option")):
        rows = [(s, setting_cell(s, major.major)) for s in data.settings_in(kind, major.major)]
        parts += [_heading(3, t(heading)), render_fragment("settings_list.html.j2", rows=rows, corner=t(corner),
                                                                    label=t(heading))]
    parts.append(data_file_line(f"data/postgresql/{major.major}.yaml", repo_url))
    return "\n".join(parts)


def _setup_paragraph(major: str, link: Linker) -> str:
    """The link to "Your setup" with this major preselected."""
    return Markup('<p class="tlskb-setup-link"><a href="{}">{}</a></p>\n').format(
        setup_link(link, pg=major), t("setup.link", major=major))


def _build_table(data: Dataset, major: PostgresMajor) -> Table:
    """This major's row of the build matrix, turned into one row per OpenSSL series."""
    today = as_of(data)
    rows = tuple(TableRow(s.series, f"openssl/{s.series}/", version_marks(s, today),
                          (build_cell(data, major, s.series),))
                 for s in data.openssl)
    return Table(f"build-{major.major}", t("page.build_heading"), t("columns.openssl"),
                 (t("product.postgresql", version=major.major),), rows, today,
                 row_kind=t("columns.openssl"))


def openssl_page(data: Dataset, series_name: str, link: Linker = same_path, repo_url: str = "") -> str:
    series = data.openssl_series(series_name)
    if series is None:
        raise KeyError(f"no data file for OpenSSL {series_name}")
    today = as_of(data)
    level = series.security_level
    level_text = _with_note(t("page.security_level_none") if level.value is None else str(level.value),
                            level.blocks)
    if level.note:
        level_text = t("page.then", first=level_text, second=localize(level.note))
    facts = [(t("page.released"), series.released, series.lifecycle_sources),
             (t("page.eol"), _eol_text(series, today), series.lifecycle_sources),
             (t("page.lts"), t("page.yes") if series.lts else t("page.no"), series.lifecycle_sources),
             (t("page.latest_release"), _release_text(series.latest), series.latest.sources),
             (t("page.security_level"), level_text, level.sources)]
    if series.note:
        facts.append((t("page.note"), localize(series.note), None))
    return "\n".join([
        _heading(1, t("product.openssl", version=series.series)),
        render_fragment("facts.html.j2", facts=facts),
        _heading(2, t("page.protocols_heading")), _protocols(data, series),
        *_observed_section(data, data.observations_of_openssl(series.series), link),
        _heading(2, t("page.pg_majors_heading")), render_table(_majors_table(data, series), link),
        data_file_line(f"data/openssl/{series.series}.yaml", repo_url),
    ])


def _majors_table(data: Dataset, series: OpenSSLSeries) -> Table:
    today = as_of(data)
    rows = tuple(TableRow(m.major, f"postgresql/{m.major}/", version_marks(m, today),
                          (build_cell(data, m, series.series),), ended=ended(m, today))
                 for m in data.postgresql)
    return Table(f"majors-{series.series}", t("page.pg_majors_heading"), t("columns.postgresql"),
                 (t("product.openssl", version=series.series),), rows, today,
                 row_kind=t("columns.postgresql"))


