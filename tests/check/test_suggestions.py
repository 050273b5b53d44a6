"""A misspelt value gets the closest valid ones: 'TLSv1.0' is not a protocol version; did you mean TLSv1?"""

from __future__ import annotations

import pytest
from conftest import DATA_DIR

from macros.check.runner import check_data
from macros.core.versions import pg_major_key
from macros.load.suggest import closest, did_you_mean, protocol_aliases
from macros.load.yamlfile import load_file

IDS = ["SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]


def messages(data_dir, path_part: str) -> list[str]:
    """`rule: message` of every problem reported in files whose path contains path_part."""
    _, problems = check_data(data_dir)
    return [f"{p.rule}: {p.message}" for p in problems if path_part in p.path]


def replace(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- the suggestion itself ------------------------------------------------------------------

def test_a_known_misspelling_beats_similarity():
    aliases = {"TLSv1.0": "TLSv1"}
    # By similarity alone TLSv1.1 would come first; the registry knows better.
    assert closest("TLSv1.0", IDS, aliases) == ["TLSv1"]
    assert closest("tlsv1.0", IDS, aliases) == ["TLSv1"]


def test_case_slips_are_certain():
    assert closest("tlsv1.2", IDS) == ["TLSv1.2"]


def test_similar_strings_when_nothing_is_certain():
    assert closest("of", ["on", "off", "conditional", "unsupported", "removed"])[0] == "off"
    assert closest("unsuported", ["on", "off", "conditional", "unsupported", "removed"]) == ["unsupported"]


def test_nothing_close_means_no_hint():
    assert did_you_mean("banana", IDS) == ""
    assert did_you_mean(3.1, IDS) == ""  # not a string: the type error says enough


def test_an_alias_pointing_outside_the_choices_is_not_suggested():
    # SSLv3 is no value of ssl_min_protocol_version, so its alias must not suggest it there.
    assert closest("SSL3", ["TLSv1", "TLSv1.1"], {"SSL3": "SSLv3"}) == []


def test_the_registry_aliases_are_unambiguous():
    raw = load_file(DATA_DIR / "protocols.yaml").data["protocols"]
    aliases = [alias.casefold() for p in raw for alias in p.get("aliases", ())]
    ids = {p["id"].casefold() for p in raw}
    assert len(aliases) == len(set(aliases)), "an alias is listed for two protocols"
    assert not ids & set(aliases), "an alias is some protocol's id"
    assert protocol_aliases(raw)["TLSv1.0"] == "TLSv1"
    assert protocol_aliases(raw)["TLS1.2"] == "TLSv1.2"


# --- in the check's messages -------------------------------------------------------------------

@pytest.mark.parametrize("written, meant", [("TLSv1.0", "TLSv1"), ("TLS1.2", "TLSv1.2"),
                                            ("TLS 1.3", "TLSv1.3"), ("tlsv1.1", "TLSv1.1")])
def test_a_misspelt_protocol_cell(data_copy, written, meant):
    replace(data_copy / "postgresql/18.yaml", f"\n  {meant}:\n", f"\n  {written}:\n")
    assert messages(data_copy, "postgresql/18.yaml") == [
        f"schema: '{written}' is not a protocol version; did you mean {meant}?"]


def test_a_misspelt_status(data_copy):
    replace(data_copy / "postgresql/17.yaml", 'status: "off"', 'status: "of"')
    assert messages(data_copy, "postgresql/17.yaml") == [
        "schema: protocols.TLSv1.status: 'of' is not one of: on, off, conditional, unsupported, removed; "
        "did you mean off?"]


def test_a_misspelt_release_status(data_copy):
    replace(data_copy / "postgresql/16.yaml", "status: released", "status: releasd")
    assert messages(data_copy, "postgresql/16.yaml") == [
        "schema: status: 'releasd' is not one of: released, beta; did you mean released?"]


def test_a_release_where_a_series_belongs(data_copy):
    replace(data_copy / "postgresql/17.yaml", 'series: "1.0.2"', 'series: "1.0.2u"')
    [message] = messages(data_copy, "postgresql/17.yaml")
    assert message.startswith("schema: build.min_openssl.series: '1.0.2u' is not an OpenSSL release series: ")
    assert message.endswith("; did you mean 1.0.2?")


def test_a_version_nothing_resembles_lists_the_known_ones(data_copy):
    replace(data_copy / "settings/server.yaml", 'added: "12"', 'added: "8.1"')
    [message] = messages(data_copy, "settings/server.yaml")
    assert message.split("].", 1)[1] == (
        "added: '8.1' is not a PostgreSQL major version: \"9.4\" to \"9.6\", then \"10\", \"11\", ... "
        f"(known: {', '.join(sorted((p.stem for p in (DATA_DIR / 'postgresql').glob('*.yaml')), key=pg_major_key))})")


def test_a_version_close_to_known_ones_suggests_them(data_copy):
    replace(data_copy / "settings/server.yaml", 'added: "12"', 'added: "9.3"')
    [message] = messages(data_copy, "settings/server.yaml")
    assert "did you mean 9.4" in message or "or 9.4" in message


def test_a_date_that_is_no_date(data_copy):
    replace(data_copy / "openssl/3.5.yaml", 'reviewed: "2026-11-29"', 'reviewed: "2026-13-29"')
    assert messages(data_copy, "openssl/3.5.yaml") == [
        "schema: reviewed: '2026-13-29' is not a calendar date; write it as \"YYYY-MM-DD\""]


def test_a_misspelt_setting_value(data_copy):
    replace(data_copy / "settings/server.yaml", "values: [TLSv1, TLSv1.1", "values: [TLSv1.0, TLSv1.1")
    found = messages(data_copy, "settings/server.yaml")
    assert ("protocol-values: 'TLSv1.0' is not a protocol value (PostgreSQL accepts: TLSv1, TLSv1.1, "
            "TLSv1.2, TLSv1.3); did you mean TLSv1?") in found
