"""macros/lab/probe.py: s_client parsing, the scenario matrix, the YAML, then a real small probe.

The real test skips when no PostgreSQL server programs are installed, except under CI=true.
"""

import json
import shutil

import pytest
import yaml
from conftest import ROOT, skip_unless_ci
from jsonschema import Draft7Validator
from referencing import Registry, Resource

from macros.lab.facts import openssl_series, os_release, pg_major
from macros.lab.handshake import (
    PROTOCOL_FLAGS,
    PROTOCOLS,
    ProbeError,
    command_template,
    error_reason,
    first_error_line,
    parse_s_client,
    received_client_alert,
    s_client_args,
    ssl_log_messages,
    try_handshake,
)
from macros.lab.host import free_port, unavailable_reason
from macros.lab.observation_file import SCHEMA_COMMENT, to_yaml
from macros.lab.probe import run_probe
from macros.lab.scenarios import SCENARIOS, Scenario, scenarios_for

SCHEMA_DIR = ROOT / "data" / "schemas"
OBSERVATIONS = sorted((ROOT / "data" / "observations").glob("*.yaml"))

ACCEPTED_TLS13 = """\
Can't use SSL_get_servername
depth=1 CN = tls-probe test CA
verify error:num=19:self-signed certificate in certificate chain
CONNECTION ESTABLISHED
Protocol version: TLSv1.3
Ciphersuite: TLS_AES_256_GCM_SHA384
Peer certificate: CN = localhost
DONE
"""
REFUSED_INTERNAL_ERROR = ("40F74C01627F0000:error:0A000438:SSL routines:ssl3_read_bytes:"
                          "tlsv1 alert internal error:../ssl/record/rec_layer_s3.c:1601:SSL alert number 80\n")
UNKNOWN_SSL3 = "s_client: Unknown option: -ssl3\ns_client: Use -help for summary.\n"
NO_PROTOCOLS = ("40D7A1B2C37F0000:error:0A0000BF:SSL routines:tls_setup_handshake:"
                "no protocols available:../ssl/statem/statem_lib.c:104:\n")


def require_postgresql():
    reason = unavailable_reason()
    if reason:
        skip_unless_ci(f"no throwaway PostgreSQL cluster can run here: {reason}")


def observation_validator() -> Draft7Validator:
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMA_DIR.glob("*.schema.json")}
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema)) for name, schema in schemas.items())
    return Draft7Validator(schemas["observation.schema.json"], registry=registry,
                           format_checker=Draft7Validator.FORMAT_CHECKER)


def schema_errors(doc) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in observation_validator().iter_errors(doc)]


# ---------------------------------------------------------------- parsing s_client output

def test_accepted_handshake_gives_protocol_and_cipher():
    assert parse_s_client(0, ACCEPTED_TLS13) == {
        "outcome": "accepted", "negotiated": "TLSv1.3", "cipher": "TLS_AES_256_GCM_SHA384"}


def test_server_alert_is_a_refusal_with_the_reason():
    result = parse_s_client(1, REFUSED_INTERNAL_ERROR)
    assert result["outcome"] == "refused"
    assert result["error"] == "tlsv1 alert internal error"
    assert result["error_line"].startswith("error:0A000438:")      # thread id removed


def test_unknown_option_means_the_client_cannot_offer():
    assert parse_s_client(1, UNKNOWN_SSL3) == {
        "outcome": "client-cannot-offer", "error": "s_client: Unknown option: -ssl3"}


def test_no_protocols_available_means_the_client_cannot_offer():
    result = parse_s_client(1, NO_PROTOCOLS)
    assert result["outcome"] == "client-cannot-offer"
    assert result["error"] == "no protocols available"


def test_exit_zero_without_protocol_line_is_not_accepted():
    assert parse_s_client(0, "CONNECTION ESTABLISHED\n")["outcome"] != "accepted"


# The OpenSSL 3.0 client at level 1+ against an OpenSSL 1.1.1 server offering TLS 1.0: the client
# itself ends the handshake. Before the fix this was recorded as the server's refusal.
CLIENT_LEGACY_SIGALG = ("40B7E1F2A47F0000:error:0A00013B:SSL routines:tls_process_ske_dhe:"
                        "legacy sigalg disallowed or unsupported:../ssl/statem/statem_clnt.c:2298:\n")


def test_client_giving_up_on_its_own_is_client_aborted_not_refused():
    result = parse_s_client(1, CLIENT_LEGACY_SIGALG)
    assert result["outcome"] == "client-aborted"
    assert result["error"] == "legacy sigalg disallowed or unsupported"


def test_server_hanging_up_is_a_refusal():
    output = "40C7:error:0A000126:SSL routines::unexpected eof while reading:../ssl/record/rec_layer_s3.c:308:\n"
    assert parse_s_client(1, output)["outcome"] == "refused"


def test_an_alert_the_server_received_means_the_client_aborted():
    assert received_client_alert(["could not accept SSL connection: tlsv1 alert decrypt error"])
    assert not received_client_alert(["could not accept SSL connection: no suitable signature algorithm"])
    assert not received_client_alert(["could not accept SSL connection: unsupported protocol"])


def test_first_error_line_and_reason():
    line = first_error_line("noise\n" + REFUSED_INTERNAL_ERROR)
    assert line == ("error:0A000438:SSL routines:ssl3_read_bytes:tlsv1 alert internal error:"
                    "../ssl/record/rec_layer_s3.c:1601:SSL alert number 80")
    assert error_reason(line) == "tlsv1 alert internal error"
    assert first_error_line("") == "no error line in the s_client output"


def test_server_log_messages_lose_their_prefix():
    log = ("2026-11-29 19:38:07.984 UTC [5263] LOG:  database system is ready to accept connections\n"
           "2026-11-29 19:38:08.173 UTC [5286] LOG:  could not accept SSL connection: "
           "no suitable signature algorithm\n")
    assert ssl_log_messages(log) == ["could not accept SSL connection: no suitable signature algorithm"]


# ---------------------------------------------------------------- the scenario matrix

def test_matrix_has_the_required_scenarios():
    by_settings = {tuple(sorted(s.settings.items())) for s in SCENARIOS}
    assert () in by_settings
    assert (("ssl_min_protocol_version", "TLSv1"),) in by_settings
    assert (("ssl_ciphers", "DEFAULT:@SECLEVEL=0"), ("ssl_min_protocol_version", "TLSv1")) in by_settings
    assert (("ssl_max_protocol_version", "TLSv1.2"),) in by_settings
    assert (("ssl_min_protocol_version", "TLSv1.3"),) in by_settings


def test_scenario_ids_are_unique():
    ids = [s.id for s in SCENARIOS]
    assert len(ids) == len(set(ids))


def test_every_protocol_is_tried():
    assert list(PROTOCOLS) == ["SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]
    assert list(PROTOCOL_FLAGS) == ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]


def test_client_always_runs_at_security_level_0():
    # The client must never be the limit: the server alone decides, whatever the scenario.
    assert s_client_args(5432, "TLSv1") == [
        "openssl", "s_client", "-starttls", "postgres", "-connect", "127.0.0.1:5432",
        "-tls1", "-brief", "-cipher", "DEFAULT@SECLEVEL=0"]


def test_tls13_suites_are_left_alone():
    args = s_client_args(5432, "TLSv1.3")
    assert "-tls1_3" in args
    assert "-ciphersuites" not in args


@pytest.mark.parametrize("major, expected", [
    ("10", ["defaults", "seclevel-0"]),
    ("11", ["defaults", "seclevel-0"]),
    ("12", [s.id for s in SCENARIOS]),
    ("18", [s.id for s in SCENARIOS]),
])
def test_scenarios_use_only_settings_the_major_has(major, expected):
    # ssl_min_protocol_version and ssl_max_protocol_version came in 12 (data/settings/server.yaml).
    assert [s.id for s in scenarios_for(major)] == expected


def test_command_template_leaves_port_and_flag_open():
    template = command_template()
    assert "127.0.0.1:{port}" in template and "{flag}" in template
    assert template.endswith("< /dev/null")


# ---------------------------------------------------------------- facts and YAML

@pytest.mark.parametrize("release, series", [
    ("3.0.19", "3.0"), ("3.5.1", "3.5"), ("1.1.1w", "1.1.1"), ("1.0.2u", "1.0.2"), ("0.9.8zh", "0.9.8"),
])
def test_openssl_series(release, series):
    assert openssl_series(release) == series


@pytest.mark.parametrize("version, major", [("15.18", "15"), ("9.6.24", "9.6"), ("10.23", "10")])
def test_pg_major(version, major):
    assert pg_major(version) == major


def test_platform_facts(tmp_path):
    path = tmp_path / "os-release"
    path.write_text('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n')
    assert os_release(path) == {
        "id": "debian", "version_id": "12", "pretty_name": "Debian GNU/Linux 12 (bookworm)"}


def sample_doc() -> dict:
    return {
        "postgresql": {"major": "15", "version": "15.10"},
        "openssl": {"server_library": "OpenSSL 3.0.19 27 Jan 2026", "server_release": "3.0.19",
                    "server_series": "3.0", "client": "OpenSSL 3.0.19 27 Jan 2026"},
        "platform": {"id": "debian", "version_id": "12", "pretty_name": "Debian GNU/Linux 12 (bookworm)"},
        "date": "2026-11-29",
        "tool": {"name": "macros.probe", "version": "1"},
        "scenarios": [{
            "id": "defaults", "description": "d", "settings": {}, "command": command_template(),
            "results": {"TLSv1": parse_s_client(1, REFUSED_INTERNAL_ERROR),
                        "TLSv1.1": parse_s_client(1, CLIENT_LEGACY_SIGALG),
                        "TLSv1.3": parse_s_client(0, ACCEPTED_TLS13),
                        "SSLv3": parse_s_client(1, UNKNOWN_SSL3)},
        }],
    }


def test_yaml_starts_with_the_schema_comment_and_quotes_versions():
    text = to_yaml(sample_doc())
    assert text.splitlines()[0] + "\n" == SCHEMA_COMMENT
    for quoted in ('"15.10"', '"3.0.19"', '"3.0"', '"12"', '"2026-11-29"', 'major: "15"'):
        assert quoted in text
    loaded = yaml.safe_load(text)
    assert loaded == sample_doc()        # every version and date reads back as the same string


def test_yaml_is_deterministic():
    assert to_yaml(sample_doc()) == to_yaml(sample_doc())


def test_sample_doc_follows_the_schema():
    assert schema_errors(sample_doc()) == []


def test_schema_refuses_an_accepted_result_without_protocol():
    doc = sample_doc()
    doc["scenarios"][0]["results"]["TLSv1.3"] = {"outcome": "accepted"}
    assert schema_errors(doc)


def test_schema_refuses_unknown_fields():
    doc = sample_doc()
    doc["postgresql"]["minor"] = "15.10"
    assert schema_errors(doc)


@pytest.mark.parametrize("path", OBSERVATIONS, ids=[p.name for p in OBSERVATIONS])
def test_committed_observations_follow_the_schema(path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith(SCHEMA_COMMENT)
    assert schema_errors(yaml.safe_load(text)) == []


# ---------------------------------------------------------------- a real probe

def test_real_probe_on_a_small_matrix(tmp_path):
    require_postgresql()
    scenarios = (Scenario("defaults", "Server defaults."),
                 Scenario("min-tlsv1.3", "TLS 1.3 only.", {"ssl_min_protocol_version": "TLSv1.3"}))
    out = tmp_path / "observation.yaml"
    doc = run_probe(out_path=out, scenarios=scenarios, protocols=("TLSv1.2", "TLSv1.3"))
    assert schema_errors(yaml.safe_load(out.read_text(encoding="utf-8"))) == []
    defaults, tls13_only = (s["results"] for s in doc["scenarios"])
    assert defaults["TLSv1.2"] == {**defaults["TLSv1.2"], "outcome": "accepted", "negotiated": "TLSv1.2"}
    assert tls13_only["TLSv1.2"]["outcome"] == "refused"
    assert tls13_only["TLSv1.3"]["negotiated"] == "TLSv1.3"
    assert doc["scenarios"][1]["in_effect"]["ssl_min_protocol_version"] == "TLSv1.3"


def test_no_server_at_all_stops_the_probe_instead_of_recording_a_refusal():
    if not shutil.which("openssl"):
        skip_unless_ci("no openssl command line program")

    class NoServer:
        port = free_port()            # nobody listens there

        def log_size(self):
            return 0

    with pytest.raises(ProbeError, match="could not connect"):
        try_handshake(NoServer(), "TLSv1.2")
