from macros.check.rules.base import Rule
from macros.core.versions import openssl_key


def _release_problems(data, release, seen):
    if release.id in seen:
        yield release.origin.problem(RULE.name, f"platform release {release.id} is listed twice", "id")
    seen.add(release.id)
    if release.openssl and data.openssl_series(release.openssl) is None:
        yield release.openssl_fact.origin.problem(
            RULE.name, f"{release.id} ships OpenSSL {release.openssl}, which has no data/openssl file",
            "series")
    for i, major in enumerate(release.postgresql):
        if data.pg(major) is None:
            yield release.postgresql_fact.origin.problem(
                RULE.name, f"{release.id} ships PostgreSQL {major}, which has no data/postgresql file",
                "majors", i)
    for rule in release.level_rules + tuple(release.blocks):
        for i, protocol in enumerate(rule.protocols):
            if data.protocol(protocol) is None:
                yield rule.origin.problem(RULE.name, f"unknown protocol {protocol}", "protocols", i)


def _level_rule_problems(rule):
    if rule.openssl_from and rule.openssl_before and \
            openssl_key(rule.openssl_before) <= openssl_key(rule.openssl_from):
        yield rule.origin.problem(RULE.name, f"openssl_before {rule.openssl_before} is not after "
                                  f"openssl_from {rule.openssl_from}: the rule covers no series",
                                  "openssl_before")


def check(data, tree):
    """The resolver takes a platform's facts at their word: they must name things that exist."""
    seen = set()
    for release in data.releases:
        yield from _release_problems(data, release, seen)
        for rule in release.level_rules:
            yield from _level_rule_problems(rule)
    for rule in data.level_rules:
        yield from _level_rule_problems(rule)


RULE = Rule("platform-releases", "A platform release names OpenSSL series, PostgreSQL majors and protocols "
            "that have data files, each release id once, and level rules cover some series.", check)
