"""The "Your setup" page's platform sections: what each platform release ships and sets by default.

One section per release of data/platforms.yaml, under a heading with the name people search for:
"Red Hat Enterprise Linux 9 (RHEL 9)". Material's search adds a trailing wildcard to every word, so
"RHEL 9" also matches "9.4"-"9.6"; a section titled with both words is what ranks above the version
pages (tests/browser/test_search_in_browser.py types the query). Each section ends with a link
that opens the form above with the release chosen.
"""

from __future__ import annotations

from markupsafe import Markup

from macros.core.versions import pg_major_key
from macros.load.i18n import localize, t
from macros.model.dataset import Dataset
from macros.model.platform_releases import Block, Fact, LevelRule, PlatformRelease
from macros.render.html import Linker, render_fragment, same_path
from macros.render.markdown import escape as md_escape
from macros.render.setup_page import default_major, setup_link


def section_id(release: PlatformRelease) -> str:
    return f"platform-{release.id}"


def heading_text(release: PlatformRelease) -> str:
    """The full name, and the short one people type when the full name does not contain it."""
    if release.short_name and release.short_name not in release.name:
        return t("setup.platforms.heading_short", name=release.name, short=release.short_name)
    return release.name


def platform_defaults(data: Dataset, link: Linker = same_path) -> str:
    """Markdown: the sections' heading and intro, then one level-3 section per release."""
    parts = [f"## {t('setup.platforms.heading')}\n",
             Markup("<p>{}</p>\n").format(t("setup.platforms.intro"))]
    for release in data.releases:
        # attr_list gives the heading a stable id; the release ids match ^[a-z0-9.-]+$ (schema).
        parts.append(f"### {md_escape(heading_text(release))} {{#{section_id(release)}}}\n")
        parts.append(render_fragment("facts.html.j2", facts=release_facts(data, release)))
        major = answer_major(data, release)
        parts.append(Markup('<p><a href="{}">{}</a></p>\n').format(
            setup_link(link, pg=major, platform=release.id),
            t("setup.platforms.answer", major=major, platform=release.name)))
    return "\n".join(parts)


def answer_major(data: Dataset, release: PlatformRelease) -> str:
    """The newest major the release packages (the one its readers most likely run), else the form's default."""
    packaged = [major for major in release.postgresql if data.pg(major) is not None]
    return max(packaged, key=pg_major_key) if packaged else default_major(data)


def release_facts(data: Dataset, release: PlatformRelease) -> list[tuple[str, str, tuple]]:
    """(label, value, sources) rows for facts.html.j2; each value carries its note and inferred mark."""
    openssl = release.openssl_fact
    facts = [(t("setup.platforms.openssl"),
              _value(release.openssl or t("setup.platforms.openssl_any"), openssl), openssl.sources)]
    if release.postgresql_fact is not None and release.postgresql:
        facts.append((t("setup.platforms.postgresql"),
                      _value(", ".join(release.postgresql), release.postgresql_fact),
                      release.postgresql_fact.sources))
    floor = release.min_protocol
    floor_value = (_set_by(_protocol_name(data, floor.value), floor) if floor.value
                   else t("setup.platforms.floor_none"))
    facts.append((t("setup.platforms.floor"), _value(floor_value, floor), floor.sources))
    if release.security_level is not None:
        level = release.security_level
        facts.append((t("setup.platforms.level"), _value(_set_by(str(level.value), level), level), level.sources))
    for rule in release.level_rules:
        value = t("setup.platforms.level_rule_value", protocols=_protocol_names(data, rule.protocols),
                  level=rule.max_level)
        facts.append((t("setup.platforms.level_rule"), _value(value, rule), rule.sources))
    for block in release.blocks:
        value = t("setup.platforms.block_value", protocols=_protocol_names(data, block.protocols), by=block.by)
        facts.append((t("setup.platforms.block"), _value(value, block), block.sources))
    return facts


def _value(text: str, fact: Fact | LevelRule | Block) -> str:
    """"3.0 (inferred) — At release; …": the mark and the note the data gives the fact."""
    if fact.inferred:
        text = t("page.then", first=text, second=t("inferred"))
    return t("page.with_note", value=text, note=localize(fact.note)) if fact.note else text


def _set_by(value: str, fact: Fact) -> str:
    # "openssl.cnf" has a dot, which t() reads as a key path: the locale spells it openssl_cnf.
    return t("setup.platforms.set_by", value=value, by=t(f"setup.platforms.by.{fact.set_by.replace('.', '_')}"))


def _protocol_name(data: Dataset, protocol_id) -> str:
    protocol = data.protocol(str(protocol_id))
    return protocol.name if protocol else str(protocol_id)


def _protocol_names(data: Dataset, protocol_ids) -> str:
    return t("setup.platforms.list_joiner").join(_protocol_name(data, p) for p in protocol_ids)
