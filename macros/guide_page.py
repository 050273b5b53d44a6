"""The setup guide as Markdown: macros/guide.py's snippets printed by templates/guide*.md.j2.

Also the platform tabs of the home page, so that the OpenSSL locations are typed once
(data/platforms.yaml) and printed in both places.
"""

from __future__ import annotations

from types import SimpleNamespace

from macros.guide import (RECOMMENDED_PROFILE, GuideSnippets, OpenSSLTab, conf_text, guide_snippets)
from macros.i18n import t
from macros.markdown import Md, code, escape, render, words
from macros.model import Dataset, Platform
from macros.tables import as_of


def platform_commands(data: Dataset, platform: Platform) -> list[str]:
    """The checks to run on a platform, with its way of calling openssl."""
    commands = ["openssl version", data.platforms.openssldir_command]
    commands += [c.command for c in platform.extra_commands]
    return [platform.openssl_command + c.removeprefix("openssl") if c.startswith("openssl ") else c
            for c in commands]


def platform_tabs(data: Dataset) -> str:
    """Markdown content tabs: one per platform of data/platforms.yaml."""
    if data.platforms is None:
        raise KeyError("data/platforms.yaml is missing")
    rows = [(p, platform_commands(data, p)) for p in data.platforms.platforms]
    return render("guide_platforms.md.j2", platforms=rows)


def described_sslmodes(g: GuideSnippets) -> list[str]:
    """The sslmode values of this major that the locale file explains, in the data's order.

    A value without words is left out rather than ending the build; tests/test_guide.py checks
    that every real value has them."""
    described = []
    for mode in g.sslmodes:
        try:
            t(f"guide.sslmode_notes.{mode}")
            t(f"guide.sslmode_impostor_notes.{mode}")
        except KeyError:
            continue
        described.append(mode)
    return described


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
                  sslmodes=described_sslmodes(g),
                  eol_past=bool(g.major.eol and g.major.eol <= as_of(data)))


def _versions(data: Dataset, g: GuideSnippets) -> SimpleNamespace:
    """The versions and value lists the guide's sentences name, all read from the data."""
    major = g.major.major
    setting = data.setting
    recommended = data.profile(RECOMMENDED_PROFILE)
    floor = setting("server", "ssl_min_protocol_version")
    buildable = data.buildable_series(g.major)
    sslmode = setting("libpq", "sslmode").range_for(major)
    clientcert = setting("hba", "clientcert").range_for(major)
    noenc = data.cli_feature("req-noenc")
    return SimpleNamespace(
        series_range=_series_range(g),
        buildable=Md(", ".join(_since_text(data, g, s.series) for s in buildable)),
        ssl_library=setting("server", "ssl_library").exists_in(major),
        ssl_library_since=setting("server", "ssl_library").added,
        addext=data.cli_feature("req-addext").since,
        noenc=noenc.since, noenc_option=noenc.option, nodes=noenc.replaces,
        starttls=data.cli_feature("s-client-starttls-postgres").since,
        root_owned=data.feature("key_file_root_group_read").added,
        recommended_name=recommended.name, recommended_floor=recommended.min_protocol,
        default_is_lower=bool(g.default_floor) and (data.protocol_index(g.default_floor)
                                                    < data.protocol_index(recommended.min_protocol)),
        floor_values=Md(", ".join(code(v) for v in floor.range_for(major).values)) if g.floor_setting else "",
        floor_since=floor.added,
        top_protocol=data.protocols[-1].pg_value,
        reload_since=next(r.start for r in setting("server", "ssl").ranges if r.apply == "reload"),
        system_since=data.feature("sslrootcert_system").added,
        direct_since=setting("libpq", "sslnegotiation").added,
        client_floor_since=setting("libpq", "ssl_min_protocol_version").added,
        client_floor_default=setting("libpq", "ssl_min_protocol_version").ranges[-1].default,
        stat_ssl_since=data.feature("pg_stat_ssl").added,
        sslmode_sources=sslmode.sources or setting("libpq", "sslmode").sources,
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
