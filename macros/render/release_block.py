"""A PostgreSQL page's release block: support status, dates, latest minor and minimum OpenSSL on one
line, each fact marked with the numbers of its sources, and the sources listed once below.

It replaces a definition list whose every line repeated the same lifecycle sources in full (six
screen lines for four dates); the facts, notes and sources are all still there.
"""

from __future__ import annotations

from macros.load.i18n import localize, t
from macros.model.postgresql import PostgresMajor
from macros.render.html import render_fragment, source_label
from macros.render.tables import ended


def support_status(major: PostgresMajor, as_of_date: str) -> str:
    if major.status == "beta":
        return t("release.beta")
    if ended(major, as_of_date):
        return t("release.ended")
    return t("release.supported")


def release_facts(major: PostgresMajor, as_of_date: str, eol_text: str, with_note) -> list[tuple]:
    """(label, value, sources) for each fact the block shows, in reading order."""
    facts = []
    if major.released:
        facts.append((t("page.released"), major.released, major.lifecycle_sources))
        facts.append((t("page.eol"), eol_text, major.lifecycle_sources))
    if major.latest:
        facts.append((t("page.latest_minor"),
                      with_note(t("page.release_on", version=major.latest.version, date=major.latest.date),
                                major.latest.note), major.latest.sources))
    minimum = major.min_openssl
    facts.append((t("page.min_openssl"), with_note(minimum.series, minimum.note), minimum.sources))
    if major.libressl:
        libressl = major.libressl
        least = t("page.at_least", version=libressl.min_version) if libressl.min_version else ""
        facts.append((t("page.libressl"), with_note(least, libressl.note) if least else localize(libressl.note),
                      libressl.sources))
    return facts


def numbered(facts: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """Each source once, numbered in order of first use; each fact with the numbers of its sources."""
    numbers: dict[tuple[str, str], int] = {}
    listed = []
    marked = []
    for label, value, sources in facts:
        refs = []
        for source in sources or ():
            key = (source.href, source_label(source))
            if key not in numbers:
                numbers[key] = len(numbers) + 1
                listed.append((numbers[key], source))
            refs.append(numbers[key])
        marked.append((label, value, sorted(set(refs))))
    return marked, listed


def release_html(major: PostgresMajor, as_of_date: str, eol_text: str, with_note) -> str:
    facts, sources = numbered(release_facts(major, as_of_date, eol_text, with_note))
    notes = [localize(major.note)] if major.note else []
    return render_fragment("release.html.j2", status=support_status(major, as_of_date), facts=facts,
                           notes=notes, sources=sources)
