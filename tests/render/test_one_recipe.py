"""One recipe everywhere: every configuration line a version page prints comes from the resolver.

The pages print postgresql.conf lines in the setup guide (profiles), in the matrices' notes and "how
to enable", and in the observations. Each `ssl_min_protocol_version = '...'` and `ssl_ciphers = '...'`
line, and each cipher string with `@SECLEVEL=`, must be one the resolver gives for that major (or the
settings of an observed scenario, which the page shows as what was tried, not as advice).
"""

from __future__ import annotations

import html
import re

import pytest

from macros.model.recipes import floor_recipe, profile_recipe
from macros.model.resolver import build_context, conf_lines
from macros.model.resolver_types import Setup
from macros.render.pages import openssl_page, postgresql_page

ASSIGNMENT = re.compile(r"(?:ssl_min_protocol_version|ssl_ciphers) = '[^'\n]*'")
# A cipher string with a level, unless it is openssl.cnf's CipherString or an s_client -cipher flag.
CIPHER_STRING = re.compile(r"(?<!CipherString = )(?<!-cipher )(?<![\w:+!.@-])([\w:+!.-]+@SECLEVEL=\d)")


def recipe_lines(data, major: str) -> set[str]:
    pg = data.pg(major)
    lines = set()
    for series in data.buildable_series(pg):
        ctx = build_context(data, Setup(major, openssl=series.series))
        recipes = [floor_recipe(ctx, p.id) for p in data.protocols]
        recipes += [profile_recipe(ctx, profile) for profile in data.profiles]
        lines.update(line for recipe in recipes for line in conf_lines(recipe.settings))
    return lines


def observed_lines(data, major: str | None = None, series: str | None = None) -> set[str]:
    return {line for o in data.observations if (major is None or o.pg_major == major)
            and (series is None or o.openssl_series == series)
            for s in o.scenarios for line in conf_lines({k: str(v) for k, v in s.settings.items()})}


def printed(page: str) -> tuple[set[str], set[str]]:
    text = html.unescape(page)
    return set(ASSIGNMENT.findall(text)), set(CIPHER_STRING.findall(text))


def cipher_values(lines: set[str]) -> set[str]:
    return {line.split(" = ", 1)[1].strip("'") for line in lines if line.startswith("ssl_ciphers")}


@pytest.fixture(scope="module")
def every_recipe(dataset):
    return {m.major: recipe_lines(dataset, m.major) for m in dataset.postgresql}


def test_version_pages_print_only_resolver_recipes(dataset, every_recipe):
    checked = 0
    for major in dataset.postgresql:
        allowed = every_recipe[major.major] | observed_lines(dataset, major=major.major)
        assignments, ciphers = printed(postgresql_page(dataset, major.major))
        assert assignments <= allowed, (major.major, sorted(assignments - allowed))
        assert ciphers <= cipher_values(allowed), (major.major, sorted(ciphers - cipher_values(allowed)))
        checked += len(assignments) + len(ciphers)
    assert checked > 20  # the pages do print recipes: the check is not vacuous


def test_openssl_pages_print_only_resolver_recipes(dataset, every_recipe):
    anywhere = set().union(*every_recipe.values())
    for series in dataset.openssl:
        allowed = anywhere | observed_lines(dataset, series=series.series)
        assignments, ciphers = printed(openssl_page(dataset, series.series))
        assert assignments <= allowed, (series.series, sorted(assignments - allowed))
        assert ciphers <= cipher_values(allowed), (series.series, sorted(ciphers - cipher_values(allowed)))


def test_a_page_printing_its_own_recipe_is_caught(dataset, every_recipe):
    assignments, ciphers = printed("Set `ssl_ciphers = 'ALL:@SECLEVEL=0'` and `HIGH:@SECLEVEL=0`.")
    assert not assignments <= every_recipe["16"]
    assert not ciphers <= cipher_values(every_recipe["16"])
