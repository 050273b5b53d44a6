"""The setup guide as Markdown: macros/model/guide.py's snippets printed by templates/guide*.md.j2.

Also the platform tabs of the home page, so that the OpenSSL locations are typed once
(data/platforms.yaml) and printed in both places.
"""

from __future__ import annotations

from types import SimpleNamespace

from macros.model.dataset import Dataset
from macros.model.guide import (
    GuideSnippets,
    OpenSSLTab,
    conf_text,
    guide_snippets,
    required_cli_option,
    required_feature,
    required_profile,
    required_range,
    required_setting,
)
from macros.model.guide_values import (
    ADDEXT,
    NOENC,
    RECOMMENDED_PROFILE,
    ROOT_OWNED_KEY,
    STARTTLS,
    SERVER_OS_USER,
    STAT_SSL,
    SYSTEM_ROOT_CERT,
)
from macros.model.registries import Platform
from macros.render.markdown import Md, code, escape, render, words
from macros.render.tables import as_of


def platform_commands(data: Dataset, platform: Platform) -> list[str]:
    """The checks to run on a platform, with its way of calling openssl."""
    commands = ["openssl version", data.platforms.openssldir_command]
    commands += [c.command for c in platform.extra_commands]
    return [platform.openssl_command + c.removeprefix("openssl") if c.startswith("openssl ") else c
            for c in commands]


def platform_tabs(data: Dataset) -> str:
    """Markdown content tabs: one per platform of data/platforms.yaml."""
    if data.platforms is None:  # a required file: only data the check refused lacks it
        raise LookupError("data/platforms.yaml is missing; `python -m macros check` reports it")
    rows = [(p, platform_commands(data, p)) for p in data.platforms.platforms]
    return render("guide_platforms.md.j2", platforms=rows)


def tab_label(tab: OpenSSLTab) -> Md:
    if tab.first == tab.last:
        return words("guide.tab_one", series=tab.first)
    return words("guide.tab_range", first=tab.first, last=tab.last)


def openssl_link(series: str) -> Md:
    """A link to an OpenSSL series page, relative to the PostgreSQL page's source file."""
    return Md(f"[{escape('OpenSSL ' + series)}](../openssl/{series}.md)")


def guide_markdown(data: Dataset, major: str) -> str:
    g = guide_snippets(data, major)
    return render("guide.md.j2", g=g, data=data, v=_versions(data, g), tab_label=tab_label,
                  conf_text=conf_text, openssl_link=openssl_link, psql=lambda conninfo: f'psql "{conninfo}"',
                  env_text="".join(f"export {name}={value}\n" for name, value in g.env)
                  + f'psql "{g.connection("environment").conninfo}"',
                  platform_tabs=Md(platform_tabs(data)), recommended=RECOMMENDED_PROFILE,
                  sslmodes=g.sslmodes,  # each has its words: the guide-requirements rule checks it
                  eol_past=bool(g.major.eol and g.major.eol <= as_of(data)))


def _versions(data: Dataset, g: GuideSnippets) -> SimpleNamespace:
    """The versions and value lists the guide's sentences name, all read from the data."""
    major = g.major.major
    recommended = required_profile(data, RECOMMENDED_PROFILE)
    ssl = required_setting(data, "server", "ssl")
    ssl_library = required_setting(data, "server", "ssl_library")
    floor = required_setting(data, "server", "ssl_min_protocol_version")
    client_floor = required_setting(data, "libpq", "ssl_min_protocol_version")
    sslmode = required_range(data, "libpq", "sslmode", major)
    clientcert = required_range(data, "hba", "clientcert", major)
    noenc = required_cli_option(data, NOENC)
    return SimpleNamespace(
        series_range=_series_range(g),
        buildable=Md(", ".join(_since_text(data, g, s.series) for s in data.buildable_series(g.major))),
        ssl_library=ssl_library.exists_in(major),
        ssl_library_since=ssl_library.added,
        addext=required_cli_option(data, ADDEXT).since,
        noenc=noenc.since, noenc_option=noenc.option, nodes=noenc.replaces,
        starttls=required_cli_option(data, STARTTLS).since,
        root_owned=required_feature(data, ROOT_OWNED_KEY).added,
        recommended_name=recommended.name, recommended_floor=recommended.min_protocol,
        default_is_lower=bool(g.default_floor) and (data.protocol_index(g.default_floor)
                                                    < data.protocol_index(recommended.min_protocol)),
        # Printed only where the major has the setting (g.floor_setting).
        floor_values=(Md(", ".join(code(v) for v in required_range(data, "server", floor.name, major).values))
                      if g.floor_setting else None),
        floor_since=floor.added,
        top_protocol=data.protocols[-1].pg_value,
        # None when no major reloads SSL settings; printed only when this one does (g.apply).
        reload_since=next((r.start for r in ssl.ranges if r.apply == "reload"), None),
        system_since=required_feature(data, SYSTEM_ROOT_CERT).added,
        direct_since=required_setting(data, "libpq", "sslnegotiation").added,
        client_floor_since=client_floor.added,
        client_floor_default=client_floor.ranges[-1].default,
        stat_ssl_since=required_feature(data, STAT_SSL).added,
        server_os_user=SERVER_OS_USER,
        sslmode_sources=sslmode.sources or required_setting(data, "libpq", "sslmode").sources,
        clientcert_values=Md(", ".join(code(v) for v in clientcert.values)),
        clientcert_note=clientcert.note,
    )


def _series_range(g: GuideSnippets) -> Md:
    oldest, newest = g.tabs[-1].first, g.tabs[0].last
    return words("guide.series_range", first=oldest, last=newest) if oldest != newest else escape(oldest)


def _since_text(data: Dataset, g: GuideSnippets, series: str) -> str:
    since = data.build_support(g.major, series).since
    if since and since != f"{g.major.major}.0":
        return words("guide.series_since", series=series, since=since)
    return escape(series)
