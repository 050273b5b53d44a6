"""The "What changed for TLS since the previous major" section prints the resolver's upgrade answer.

The page words what resolve(data, Setup(major, upgrade_from=previous)) says and computes nothing
itself: every setting it names and every protocol it says changed come from the resolver's answers,
and an answer made up for the test shows up on the page as it is.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from macros.model.resolver import resolve
from macros.model.resolver_types import Setup
from macros.render import upgrade_section
from macros.render.pages import postgresql_page

CODE = re.compile(r"`([^`]+)`")


def section(page: str) -> str:
    """The section's Markdown, heading excluded; "" when the page has none."""
    found = re.search(r"^## What changed for TLS since [^\n]*\n(.*?)(?=^## )", page, re.M | re.S)
    return found.group(1) if found else ""


def resolver_upgrades(data, major: str, previous: str) -> dict[str, dict]:
    earlier = {s.series for s in data.buildable_series(data.pg(previous))}
    return {s.series: resolve(data, Setup(major, openssl=s.series, upgrade_from=previous)).upgrade
            for s in data.buildable_series(data.pg(major)) if s.series in earlier}


def printed_names(text: str) -> set[str]:
    return set(CODE.findall(text))


def resolver_names(upgrades: dict[str, dict]) -> set[str]:
    """The setting names the resolver's answers name, and for changed defaults the values."""
    names = set()
    for upgrade in upgrades.values():
        for change in upgrade["settings"]:
            names.add(change["name"])
            names.update(v for v in (change["renamed_to"], change["old_default"], change["new_default"]) if v)
    return names


def pairs(data):
    majors = [m.major for m in data.postgresql]
    return list(zip(majors, majors[1:]))


def test_the_first_major_has_no_section(dataset):
    first = dataset.postgresql[0].major
    assert section(postgresql_page(dataset, first)) == ""
    assert "What changed for TLS" not in postgresql_page(dataset, first)


def test_every_other_major_prints_exactly_the_resolver_settings(dataset):
    changed = 0
    for previous, major in pairs(dataset):
        text = section(postgresql_page(dataset, major))
        assert f"]({previous}.md)" in text, major  # a link to the previous major's page
        expected = resolver_names(resolver_upgrades(dataset, major, previous))
        assert printed_names(text) == expected, (major, printed_names(text) ^ expected)
        changed += len(expected)
    assert changed > 10  # the majors do change settings: the check is not vacuous


def test_every_other_major_prints_the_resolver_protocol_changes(dataset):
    with_changes = 0
    for previous, major in pairs(dataset):
        text = section(postgresql_page(dataset, major)).replace("\\", "")
        upgrades = resolver_upgrades(dataset, major, previous)
        changed = {c["protocol"] for u in upgrades.values() for c in u["protocols"]}
        named = {p.id for p in dataset.protocols if re.search(rf"[:,] {re.escape(p.name)}[,.]", text)}
        assert named == changed, (major, named, changed)
        if not changed:
            assert "did not change, with any OpenSSL series" in text, major
        with_changes += bool(changed)
    assert with_changes >= 1  # 13 refuses TLS 1.0 and 1.1 by default where OpenSSL still allows them


def test_the_page_prints_what_the_resolver_says_and_nothing_of_its_own(dataset, monkeypatch):
    """With a made-up answer, the page shows the made-up changes: it has no computation of its own."""
    real = upgrade_section.resolve

    def made_up(data, setup):
        answer = real(data, setup)
        upgrade = dict(answer.upgrade, protocols=[{"protocol": "TLSv1.2", "from": "accepted", "to": "refused"}],
                       settings=[{"kind": "server", "name": "made_up_setting", "change": "renamed",
                                  "renamed_to": "another_name", "old_default": None, "new_default": None,
                                  "text": ""}])
        return dataclasses.replace(answer, upgrade=upgrade)

    monkeypatch.setattr(upgrade_section, "resolve", made_up)
    text = section(postgresql_page(dataset, "16")).replace("\\", "")
    assert printed_names(text) == {"made_up_setting", "another_name"}
    assert "refused by default (accepted in 15): TLS 1.2." in text


@pytest.mark.parametrize("forged", ["- `ssl_made_up` (postgresql.conf) is new.\n"])
def test_a_section_naming_a_setting_the_resolver_did_not_is_caught(dataset, forged):
    expected = resolver_names(resolver_upgrades(dataset, "16", "15"))
    text = section(postgresql_page(dataset, "16")) + forged
    assert printed_names(text) != expected
