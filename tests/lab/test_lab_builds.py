"""The lab's pieces that need no registry: the build catalog, ELF and OpenSSL facts, the
openssl.cnf record, the SSL 2.0 reply, the cache location and the command line."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from macros.lab import builds, runner
from macros.lab.build_catalog import BUILDS, BUILDS_BY_ID, Deb, Npm, Wheel
from macros.lab.cluster import find_psql
from macros.lab.elf import OPENSSL_VERSION_TEXT, interpreter
from macros.lab.facts import COMPILED_IN, conf_facts, openssl_series, pg_major
from macros.lab.host import ClusterUnavailable
from macros.lab.legacy_hello import ssl2_client_hello, ssl2_outcome
from macros.lab.observation_file import default_out_path, to_yaml

DEBIAN_11_CNF = """\
openssl_conf = default_conf
[ req ]
default_bits = 2048
[default_conf]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
MinProtocol = TLSv1.2
CipherString = DEFAULT@SECLEVEL=2
"""


# ---------------------------------------------------------------- the catalog

def test_build_ids_are_unique_and_every_version_is_exact():
    assert len(BUILDS_BY_ID) == len(BUILDS)
    for build in BUILDS:
        for part in build.parts:
            assert isinstance(part, (Npm, Deb, Wheel))
            assert part.version[:1].isdigit() and "*" not in part.version, (build.id, part)


def test_the_issue_s_builds_are_declared():
    majors = {(b.postgresql.split(".")[0], b.openssl) for b in BUILDS}
    for major in ("11", "12", "14", "16", "18"):
        assert (major, "OpenSSL 1.1.1") in majors
    for prefix in ("OpenSSL 3.0.", "OpenSSL 3.3", "OpenSSL 3.4", "OpenSSL 3.5", "OpenSSL 3.6"):
        assert ("15", prefix) in majors
    assert ("17", "OpenSSL 3.5.9") in majors
    cnf = BUILDS_BY_ID["pg13-openssl1.1.1w-debian11-cnf"]
    assert cnf.base == "pg13-openssl1.1.1w-debian11" and cnf.openssl_conf[1] == "etc/ssl/openssl.cnf"


def test_cache_key_follows_what_the_preparation_uses():
    build = BUILDS_BY_ID["pg12-openssl1.1.1-npm"]
    moved = dataclasses.replace(build, parts=(Npm(build.parts[0].name, "12.22.0-beta.16"),))
    assert build.cache_name() == build.cache_name()
    assert moved.cache_name() != build.cache_name() and moved.cache_name().startswith(build.id + "-")
    reworded = dataclasses.replace(build, description="other words", variant="other")
    assert reworded.cache_name() == build.cache_name()


def test_observation_names_keep_builds_of_one_combination_apart():
    names = {(b.postgresql, b.openssl, b.platform.id, b.platform.version_id, b.variant) for b in BUILDS}
    assert len(names) == len(BUILDS)


def test_cache_location(monkeypatch, tmp_path):
    monkeypatch.setenv("TLSKB_LAB_CACHE", str(tmp_path))
    assert builds.default_cache() == tmp_path
    monkeypatch.delenv("TLSKB_LAB_CACHE")
    expected = builds.ROOT_DEFAULT_CACHE if builds.os.geteuid() == 0 else Path.home() / ".cache" / "pg-tls-lab"
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert builds.default_cache() == expected


def test_unknown_build_is_refused_with_the_way_to_list_them(capsys):
    args = runner_args(only="pg99-nothing")
    assert runner.run_command(args) == 2
    assert "--list" in capsys.readouterr().err


def test_list_names_every_build(capsys):
    assert runner.run_command(runner_args(list=True)) == 0
    out = capsys.readouterr().out
    assert all(build.id in out for build in BUILDS)


def runner_args(**values):
    defaults = {"cache": None, "only": None, "out": None, "list": False, "compare": False}
    return type("Args", (), {**defaults, **values})()


# ---------------------------------------------------------------- facts

@pytest.mark.parametrize("text", ["OpenSSL 3.0.19 27 Jan 2026", "OpenSSL 1.1.1w  11 Sep 2023",
                                  "OpenSSL 1.1.1k  FIPS 25 Mar 2021", "OpenSSL 1.1.1  11 Sep 2018"])
def test_openssl_version_text_is_found_in_a_library(text):
    blob = b"\0garbage\0" + text.encode() + b"\0more"
    assert OPENSSL_VERSION_TEXT.search(blob).group(0).decode() == text


def test_fips_release_files_under_its_series():
    assert openssl_series("1.1.1k") == "1.1.1" and pg_major("13.23") == "13"


def test_interpreter_of_this_python():
    found = interpreter(Path(sys.executable).resolve())
    assert found is None or found.startswith("/")
    assert interpreter(Path(__file__)) is None          # not an ELF file


def test_a_distribution_conf_is_recorded_with_its_relevant_lines(tmp_path):
    cnf = tmp_path / "openssl.cnf"
    cnf.write_text(DEBIAN_11_CNF)
    facts = conf_facts(cnf, "OPENSSL_CONF", shown_path="/etc/ssl/openssl.cnf", origin="deb openssl=1.1.1w")
    assert facts["in_effect"] == "file" and facts["path"] == "/etc/ssl/openssl.cnf"
    assert facts["relevant_lines"] == ["MinProtocol = TLSv1.2", "CipherString = DEFAULT@SECLEVEL=2"]
    assert len(facts["sha256"]) == 64


def test_no_file_means_compiled_in_defaults(tmp_path):
    assert conf_facts(None, "x")["in_effect"] == COMPILED_IN
    assert conf_facts(Path("/dev/null"), "OPENSSL_CONF")["in_effect"] == COMPILED_IN
    assert conf_facts(tmp_path / "absent.cnf", "OPENSSLDIR")["in_effect"] == COMPILED_IN


def test_psql_is_taken_from_path_when_the_build_has_none(tmp_path, monkeypatch):
    (tmp_path / "psql").write_text("")
    assert find_psql(tmp_path) == str(tmp_path / "psql")
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setattr("macros.lab.cluster.shutil.which", lambda name: "/somewhere/psql")
    assert find_psql(empty) == "/somewhere/psql"
    monkeypatch.setattr("macros.lab.cluster.shutil.which", lambda name: None)
    monkeypatch.setattr("macros.lab.cluster.Path.is_file", lambda self: False)
    with pytest.raises(ClusterUnavailable, match="no psql"):
        find_psql(empty)


# ---------------------------------------------------------------- SSL 2.0

def test_ssl2_client_hello_is_a_two_byte_header_record():
    hello = ssl2_client_hello()
    assert hello[0] & 0x80 and (int.from_bytes(hello[:2], "big") & 0x7FFF) == len(hello) - 2
    assert hello[2] == 1 and hello[3:5] == b"\x00\x02"      # CLIENT-HELLO, version 2


@pytest.mark.parametrize("reply, outcome", [
    (bytes.fromhex("8123040001"), "accepted"),
    (bytes.fromhex("150301000202" "46"), "refused"),
    (b"", "refused"),
    (b"HTTP", "refused"),
])
def test_ssl2_reply(reply, outcome):
    result = ssl2_outcome(reply)
    assert result["outcome"] == outcome
    assert ("negotiated" in result) == (outcome == "accepted")


# ---------------------------------------------------------------- writing and comparing

def observation(outcome: str = "refused") -> dict:
    result = {"outcome": outcome, "error": "x"} if outcome != "accepted" else {"outcome": "accepted",
                                                                              "negotiated": "TLSv1"}
    return {"postgresql": {"major": "11"}, "openssl": {"server_series": "1.1.1"},
            "platform": {"id": "ubuntu", "version_id": "18.04"}, "build": {"variant": "npm"},
            "scenarios": [{"id": "defaults", "results": {"TLSv1": result}}]}


def test_file_name_ends_with_the_variant(tmp_path):
    assert default_out_path(observation(), tmp_path).name == "postgresql-11-openssl-1.1.1-ubuntu-18.04-npm.yaml"
    doc = observation()
    del doc["build"]
    assert default_out_path(doc, tmp_path).name == "postgresql-11-openssl-1.1.1-ubuntu-18.04.yaml"


def test_compare_names_each_outcome_that_moved(tmp_path):
    committed = tmp_path / "committed.yaml"
    committed.write_text(to_yaml(observation("refused")), encoding="utf-8")
    assert runner.differences(observation("refused"), committed) == []
    moved = runner.differences(observation("accepted"), committed)
    assert moved == ["defaults TLSv1: committed ('refused', None), now ('accepted', 'TLSv1')"]
    assert runner.differences(observation(), tmp_path / "absent.yaml") == ["no committed absent.yaml"]
