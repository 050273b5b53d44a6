"""python -m macros answer: exit codes, one-line refusals, the JSON keys, the text layout."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import DATA_DIR, ROOT

from macros.cli import main


def answer(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["answer", "--data-dir", str(DATA_DIR), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_has_the_documented_keys(capsys):
    code, out, err = answer(capsys, "--postgresql", "14", "--platform", "rhel-9", "--min-protocol", "TLSv1.1",
                            "--format", "json")
    assert code == 0 and err == ""
    found = json.loads(out)
    assert {"setup", "protocols", "config", "verify", "warnings", "sources", "observations"} <= set(found)
    assert list(found["protocols"]) == ["SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]
    for state in found["protocols"].values():
        assert state["default"] in ("accepted", "refused") and isinstance(state["possible"], bool)
        assert all({"layer", "text", "sources"} == set(r) for r in state["why"])
    assert set(found["config"]) == {"postgresql.conf", "pg_hba.conf", "system", "client"}
    assert found["setup"]["openssl"] == "3.0"  # implied by the platform


def test_text_shows_the_recipe(capsys):
    code, out, _ = answer(capsys, "--postgresql", "15", "--openssl", "3.0", "--platform", "debian-12",
                          "--min-protocol", "TLSv1")
    assert code == 0
    assert "    ssl_min_protocol_version = 'TLSv1'\n    ssl_ciphers = 'DEFAULT:@SECLEVEL=0'\n" in out
    assert "TLSv1    refused by default; can be enabled" in out


def test_no_change_is_said(capsys):
    code, out, _ = answer(capsys, "--postgresql", "16", "--openssl", "3.5", "--min-protocol", "TLSv1.2")
    assert code == 0 and "No change needed" in out


@pytest.mark.parametrize("args, message", [
    (("--postgresql", "18", "--openssl", "1.0.2"), "PostgreSQL 18 does not build with OpenSSL 1.0.2"),
    (("--postgresql", "42", "--openssl", "3.0"), "unknown PostgreSQL major '42'"),
    (("--postgresql", "16"), "upstream does not imply an OpenSSL series"),
    (("--postgresql", "16", "--openssl", "3.0", "--platform", "plan9"), "unknown platform 'plan9'"),
])
def test_refusals_exit_1_with_one_line(capsys, args, message):
    code, out, err = answer(capsys, *args)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and message in err and err.startswith("answer: ")


def test_a_real_process_prints_no_traceback():
    done = subprocess.run([sys.executable, "-m", "macros", "answer", "--postgresql", "18", "--openssl", "1.0.2"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr and done.stderr.count("\n") == 1
