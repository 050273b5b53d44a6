"""Observations (data/observations/): the model, the observation-claims rule, the site, the command.

The rule's bad fixture is tests/check/rules/observation-claims/; here are the edits the issue names
(a claim changed to contradict the committed observation must fail `python -m macros check`),
the choices the rule makes, the "✓ observed" marks and the version-page sections.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ROOT

from macros import cli
from macros.check.rules.observation_claims import effective_status
from macros.check.runner import check_data
from macros.lab import probe
from macros.lab.handshake import PROTOCOL_FLAGS, PROTOCOLS
from macros.lab.legacy_hello import LEGACY_OFFERS
from macros.load.tree import read_tree
from macros.model.dataset import build_dataset
from macros.render.html import render_table
from macros.render.pages import observations_html, openssl_page, postgresql_page
from macros.render.tables import build_table

OBSERVATION = "observations/postgresql-15-openssl-3.0-debian-12.yaml"
# Debian 11's openssl.cnf (MinProtocol = TLSv1.2) on a PostgreSQL 11 without protocol settings.
CONFIGURED = "observations/postgresql-11-openssl-1.1.1-ubuntu-18.04-npm-debian-11-openssl-cnf.yaml"
RULE = "observation-claims"


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {path} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def rule_problems(data_dir: Path, only: str | None = None) -> list[str]:
    """The rule's problems; with `only`, those located in that observation file."""
    _, problems = check_data(data_dir)
    return [str(p) for p in problems if p.rule == RULE and (only is None or str(p).startswith(f"{only}:")
                                                              or f"/{only}:" in str(p))]


def run_check_command(data_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "macros", "check", str(data_dir)], cwd=data_dir.parent,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def line_of(path: Path, text: str, after: int = 0) -> int:
    """1-based number of the first line at or after `after` that contains `text`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i + 1 for i, line in enumerate(lines) if i + 1 >= after and text in line)


def scenario(doc: dict, scenario_id: str) -> dict:
    return next(s for s in doc["scenarios"] if s["id"] == scenario_id)


def cell(table, row_header: str, column_start: str):
    row = next(r for r in table.rows if r.header == row_header)
    index = next(i for i, c in enumerate(table.columns) if c.startswith(column_start))
    return row.cells[index]


# ---------------------------------------------------------------- the committed observation

def test_committed_observation_covers_every_protocol_under_the_required_settings():
    doc = yaml.safe_load((ROOT / "data" / OBSERVATION).read_text(encoding="utf-8"))
    forced = {p["id"] for p in yaml.safe_load((ROOT / "data/protocols.yaml").read_text())["protocols"]}
    defaults = next(s for s in doc["scenarios"] if s["settings"] == {})
    lowered_floor = next(s for s in doc["scenarios"]
                         if s["settings"] == {"ssl_min_protocol_version": "TLSv1"})
    level_0 = next(s for s in doc["scenarios"] if "@SECLEVEL=0" in s["settings"].get("ssl_ciphers", "")
                   and "ssl_min_protocol_version" in s["settings"])
    for found in (defaults, lowered_floor, level_0):
        assert set(found["results"]) == forced, found["id"]
    assert level_0["settings"]["ssl_min_protocol_version"] == "TLSv1"


def test_probe_offers_every_protocol_of_the_data():
    protocols = yaml.safe_load((ROOT / "data/protocols.yaml").read_text(encoding="utf-8"))["protocols"]
    assert list(PROTOCOLS) == [p["id"] for p in protocols]
    # s_client forces the TLS versions with the data's flags; SSL 2.0/3.0 go through legacy_hello.
    flags = {p["id"]: p["s_client_flag"] for p in protocols if p.get("s_client_flag")}
    assert PROTOCOL_FLAGS == {k: v for k, v in flags.items() if k not in LEGACY_OFFERS}
    assert set(LEGACY_OFFERS) | set(PROTOCOL_FLAGS) == set(PROTOCOLS)


# ---------------------------------------------------------------- the model

def committed(dataset, name: str = OBSERVATION):
    return next(o for o in dataset.observations if o.data_path == f"data/{name}")


def test_model_reads_the_observation(dataset):
    observation = committed(dataset)
    assert observation in dataset.observations_of_pg("15")
    assert dataset.observations_of_openssl("3.0") == [observation]
    assert dataset.observations_of_pg("9.6") == []
    assert (observation.pg_version, observation.openssl_series) == ("15.18", "3.0")
    assert observation.openssl_release.startswith("3.0.")
    assert observation.platform == "Debian GNU/Linux 12 (bookworm)" and observation.host
    assert observation.conf.in_effect == "compiled-in default" and not observation.configured
    assert any(p.startswith("deb postgresql-15=15.18") for p in observation.build.packages)
    levels = {s.id: s.security_level for s in observation.scenarios}
    assert levels["min-tlsv1-seclevel-0"] == 0 and levels["min-tlsv1-seclevel-1"] == 1 and levels["defaults"] is None
    assert [s.id for s in observation.scenarios if s.server_defaults] == ["defaults"]


def test_only_the_server_s_decisions_are_evidence(dataset):
    observation = committed(dataset)
    assert observation.covers("TLSv1") and observation.covers("TLSv1.3") and observation.covers("SSLv3")
    result = observation.scenarios[0].results["TLSv1"]
    for outcome, evidence in (("accepted", True), ("refused", True), ("client-aborted", False),
                              ("client-cannot-offer", False)):
        assert dataclasses.replace(result, outcome=outcome).is_evidence is evidence, outcome


def test_the_distribution_conf_is_read(dataset):
    observation = committed(dataset, CONFIGURED)
    assert observation.configured and observation.conf.path == "/etc/ssl/openssl.cnf"
    assert "MinProtocol = TLSv1.2" in observation.conf.relevant_lines
    defaults = next(s for s in observation.scenarios if s.server_defaults)
    assert defaults.results["TLSv1"].outcome == "refused"        # PostgreSQL 11 claims "on"


def test_conditional_cell_counts_as_on_only_where_its_condition_holds(dataset):
    tls13 = dataset.pg("9.4").cells["TLSv1.3"]    # condition: openssl 1.1.1, from 9.4.12
    assert effective_status(tls13, "9.4.12", "1.1.1") == "on"
    assert effective_status(tls13, "9.4.11", "1.1.1") == "off"
    assert effective_status(tls13, "9.4.26", "1.1.0") == "off"
    assert effective_status(dataset.pg("15").cells["TLSv1"], "15.18", "3.0") == "off"


# ---------------------------------------------------------------- the check

def test_real_data_passes(dataset):
    assert rule_problems(ROOT / "data") == []


def test_postgresql_15_tlsv1_on_contradicts_the_observation(data_copy):
    claim = data_copy / "postgresql/15.yaml"
    replace_once(claim, '  TLSv1:\n    status: "off"', '  TLSv1:\n    status: "on"')
    problems = rule_problems(data_copy, OBSERVATION)
    observation = data_copy / OBSERVATION
    refused_line = line_of(observation, "outcome: refused", line_of(observation, "    TLSv1:"))
    status_line = line_of(claim, 'status: "on"', line_of(claim, "  TLSv1:"))
    assert len(problems) == 1, problems
    assert f"{OBSERVATION}:{refused_line}" in problems[0]                        # where it was observed
    assert f"postgresql/15.yaml:{status_line} (PostgreSQL 15 TLSv1: on) predicts accepted" in problems[0]
    assert "scenario 'defaults'" in problems[0]
    result = run_check_command(data_copy)
    assert result.returncode == 1
    assert f"data/{OBSERVATION}:{refused_line}:" in result.stdout and RULE in result.stdout


def test_openssl_3_0_tlsv1_on_contradicts_the_observation(data_copy):
    claim = data_copy / "openssl/3.0.yaml"
    replace_once(claim, '  TLSv1:\n    status: "off"', '  TLSv1:\n    status: "on"')
    problems = rule_problems(data_copy, OBSERVATION)
    status_line = line_of(claim, 'status: "on"', line_of(claim, "  TLSv1:"))
    # Refused at the default level and at level 1, with the floor lowered: both contradict "on".
    assert sorted(p.split("scenario ")[1].split(" ")[0] for p in problems) == ["'min-tlsv1'", "'min-tlsv1-seclevel-1'"]
    assert all(f"openssl/3.0.yaml:{status_line} (OpenSSL 3.0 TLSv1: on) predicts accepted" in p for p in problems)
    result = run_check_command(data_copy)
    assert result.returncode == 1 and f"data/{OBSERVATION}:" in result.stdout


def test_a_lower_default_floor_in_the_settings_contradicts_the_server(data_copy):
    settings = data_copy / "settings/server.yaml"
    replace_once(settings, '      - from: "13"\n        default: TLSv1.2', '      - from: "13"\n        default: TLSv1')
    problems = [p for p in rule_problems(data_copy, OBSERVATION) if "ssl_min_protocol_version = 'TLSv1.2'" in p]
    assert len(problems) == 3, problems     # defaults, seclevel-0 and max-tlsv1.2 leave the floor alone
    assert all("claims the default is 'TLSv1'" in p and "settings/server.yaml:" in p for p in problems)


def test_off_at_security_level_0_predicts_nothing(data_copy):
    """TLS 1.0 is off in OpenSSL 3.0; at level 0 it was accepted, and a refusal would be allowed too."""
    observation = data_copy / OBSERVATION
    doc = yaml.safe_load(observation.read_text(encoding="utf-8"))
    scenario(doc, "min-tlsv1-seclevel-0")["results"]["TLSv1"] = {"outcome": "refused", "error": "handshake failure"}
    observation.write_text(probe.to_yaml(doc), encoding="utf-8")
    assert rule_problems(data_copy) == []


def test_off_above_security_level_0_predicts_a_refusal(data_copy):
    observation = data_copy / OBSERVATION
    doc = yaml.safe_load(observation.read_text(encoding="utf-8"))
    scenario(doc, "min-tlsv1-seclevel-1")["results"]["TLSv1"] = {"outcome": "accepted", "negotiated": "TLSv1"}
    observation.write_text(probe.to_yaml(doc), encoding="utf-8")
    problems = rule_problems(data_copy)
    assert len(problems) == 1 and "(OpenSSL 3.0 TLSv1: off) predicts refused" in problems[0]


def test_client_cannot_offer_is_never_a_contradiction(data_copy):
    observation = data_copy / OBSERVATION
    doc = yaml.safe_load(observation.read_text(encoding="utf-8"))
    scenario(doc, "defaults")["results"]["TLSv1.3"] = {"outcome": "client-cannot-offer", "error": "no protocols available"}
    observation.write_text(probe.to_yaml(doc), encoding="utf-8")
    assert rule_problems(data_copy) == []


def test_a_distribution_conf_is_no_contradiction_of_the_library_defaults(data_copy):
    """Debian 11's openssl.cnf refuses TLS 1.0 on PostgreSQL 11, whose cell says "on": legitimate.
    The same outcomes recorded without that file contradict the claim."""
    assert rule_problems(data_copy, CONFIGURED) == []
    observation = data_copy / CONFIGURED
    doc = yaml.safe_load(observation.read_text(encoding="utf-8"))
    doc["openssl"]["conf"] = {"in_effect": "compiled-in default", "how": "OPENSSL_CONF=/dev/null"}
    observation.write_text(probe.to_yaml(doc), encoding="utf-8")
    problems = rule_problems(data_copy, CONFIGURED)
    assert problems and all("(PostgreSQL 11 TLSv1" in p or "(PostgreSQL 11 TLSv1.1" in p
                            or "(OpenSSL 1.1.1 TLSv1" in p for p in problems), problems


def test_a_conf_cannot_excuse_leaving_postgresql_s_range(data_copy):
    observation = data_copy / "observations/postgresql-13-openssl-1.1.1-debian-11-openssl-cnf.yaml"
    doc = yaml.safe_load(observation.read_text(encoding="utf-8"))
    scenario(doc, "min-tlsv1.3")["results"]["TLSv1.2"] = {"outcome": "accepted", "negotiated": "TLSv1.2"}
    observation.write_text(probe.to_yaml(doc), encoding="utf-8")
    problems = rule_problems(data_copy, "observations/postgresql-13-openssl-1.1.1-debian-11-openssl-cnf.yaml")
    assert len(problems) == 1 and "ssl_min_protocol_version = 'TLSv1.3'" in problems[0]


def test_client_aborted_is_never_a_contradiction(data_copy):
    observation = data_copy / OBSERVATION
    doc = yaml.safe_load(observation.read_text(encoding="utf-8"))
    scenario(doc, "defaults")["results"]["TLSv1.2"] = {
        "outcome": "client-aborted", "error": "legacy sigalg disallowed or unsupported"}
    observation.write_text(probe.to_yaml(doc), encoding="utf-8")
    assert rule_problems(data_copy) == []


def test_observation_of_a_version_without_data_file(data_copy):
    observation = data_copy / OBSERVATION
    replace_once(observation, 'major: "15"\n  version: "15.18"', 'major: "20"\n  version: "20.1"')
    problems = rule_problems(data_copy)
    assert len(problems) == 1 and "PostgreSQL 20 has no data file" in problems[0]


# ---------------------------------------------------------------- the site

def test_matrices_mark_exactly_the_observed_cells(dataset):
    observed = [o for o in dataset.observations if not o.configured]
    for table_id, rows in (("postgresql-protocols", {o.pg_major for o in observed}),
                           ("openssl-protocols", {o.openssl_series for o in observed})):
        table = build_table(dataset, table_id)
        for column in ("SSL 2.0", "SSL 3.0", "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3"):
            assert cell(table, "15" if table_id.startswith("postgresql") else "3.0", column).observed, column
        marked = {r.header for r in table.rows for c in r.cells if c.observed}
        assert marked == rows


def test_a_configured_observation_marks_no_cell(data_copy):
    for name in os.listdir(data_copy / "observations"):
        if f"observations/{name}" != CONFIGURED:
            (data_copy / "observations" / name).unlink()
    tree, _ = read_tree(data_copy)
    table = build_table(build_dataset(tree), "postgresql-protocols")
    assert not any(c.observed for r in table.rows for c in r.cells)


def test_observed_footnote_names_build_platform_date_and_file(dataset):
    table = build_table(dataset, "postgresql-protocols")
    observed = cell(table, "15", "TLS 1.2").observed
    assert observed.text == "✓ observed" and observed.link == "observed/"
    text = " ".join(text for _, text in observed.note.parts)
    mine = committed(dataset)
    for fact in ("15.18", mine.openssl_release, "Debian GNU/Linux 12 (bookworm)", mine.date, f"data/{OBSERVATION}"):
        assert fact in text
    html = render_table(table)
    assert "✓ observed</a><sup>" in html and "<strong>Observed:</strong>" in html


def test_version_pages_show_observed_outcomes_and_link_to_the_evidence(dataset):
    page = postgresql_page(dataset, "15")
    release = committed(dataset).openssl_release
    assert "## Observed behaviour" in page
    section = page.split("## Observed behaviour")[1].split("\n## ")[0]
    assert f'<a href="observed/#observation-{Path(OBSERVATION).stem}">' \
           f"PostgreSQL 15.18 with OpenSSL {release} (Debian GNU/Linux 12 (bookworm))</a>" in section
    def outcomes(settings_cell: str) -> dict[str, str]:
        """The outcome per column of the row whose settings cell reads settings_cell."""
        row = section.split(f"<th scope=\"row\">{settings_cell}</th>")[1].split("</tr>")[0]
        headings = re.findall(r'<th scope="col">([^<]+)</th>', section)[1:]
        return dict(zip(headings, re.findall(r'<td class="tlskb-([a-z-]+)">', row)))

    level = ("<code>ssl_ciphers = 'DEFAULT:@SECLEVEL={}'</code><br>"
             "<code>ssl_min_protocol_version = 'TLSv1'</code>")
    assert outcomes(level.format(0))["TLS 1.1 (TLSv1.1)"] == "accepted"  # level 0 lets TLS 1.1 through
    assert outcomes(level.format(1))["TLS 1.1 (TLSv1.1)"] == "refused"   # and level 1 does not
    # The evidence is on the observations page only, not repeated on every version page.
    for evidence in ("no suitable signature algorithm", "Offered by tlslite-ng", "deb postgresql-15=15.18"):
        assert evidence not in section
        assert evidence in observations_html(dataset, dataset.observations_of_pg("15"), 3).replace("<wbr>", "")
    assert "## Observed behaviour" in openssl_page(dataset, "3.0")
    assert "with its openssl.cnf)" in postgresql_page(dataset, "11")
    assert "<code>MinProtocol = TLSv1.2</code>" in postgresql_page(dataset, "11")
    assert "Observed behaviour" not in openssl_page(dataset, "3.2")


def test_observation_text_is_escaped(data_copy):
    observation = data_copy / OBSERVATION
    doc = yaml.safe_load(observation.read_text(encoding="utf-8"))
    doc["platform"]["pretty_name"] = "<script>alert(1)</script>"
    scenario(doc, "defaults")["description"] = "<img src=x onerror=alert(2)>"
    scenario(doc, "defaults")["results"]["TLSv1"]["server_log"] = ["<b>bold</b>"]
    observation.write_text(probe.to_yaml(doc), encoding="utf-8")
    tree, problems = read_tree(data_copy)
    assert problems == []
    data = build_dataset(tree)
    page = postgresql_page(data, "15")
    table = render_table(build_table(data, "postgresql-protocols"))
    for html in (page, table):
        assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;script&gt;" in table
    evidence = observations_html(data, data.observations_of_pg("15"), 3).replace("<wbr>", "")  # the observations page
    assert "<img" not in evidence and "<b>" not in evidence
    assert "&lt;img src=x onerror=alert(2)&gt;" in evidence and "&lt;b&gt;bold&lt;/b&gt;" in evidence


def test_observed_page_is_in_the_nav_and_documents_the_probe():
    assert "observed.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = (ROOT / "docs/observed.md").read_text(encoding="utf-8")
    assert "render_macros: true" in text and "{{ tlskb_observations() }}" in text
    assert "python -m macros probe --bindir /usr/lib/postgresql/16/bin" in text


# ---------------------------------------------------------------- the command

def test_probe_command_is_wired(monkeypatch, tmp_path, capsys):
    doc = yaml.safe_load((ROOT / "data" / OBSERVATION).read_text(encoding="utf-8"))
    calls = []
    monkeypatch.setattr(probe, "run_probe", lambda bindir=None: calls.append(bindir) or doc)
    out = tmp_path / "observation.yaml"
    assert cli.main(["probe", "--bindir", "/usr/lib/postgresql/16/bin", "-o", str(out)]) == 0
    assert calls == ["/usr/lib/postgresql/16/bin"]
    assert out.read_text(encoding="utf-8") == (ROOT / "data" / OBSERVATION).read_text(encoding="utf-8")
    printed = capsys.readouterr()
    assert printed.out == "" and f"wrote {out}" in printed.err     # progress on stderr only


def test_probe_command_says_why_it_cannot_run(monkeypatch, capsys):
    def no_server(bindir=None):
        raise probe.ProbeError("no server here")
    monkeypatch.setattr(probe, "run_probe", no_server)
    assert cli.main(["probe"]) == 1
    assert capsys.readouterr().err.strip() == "probe: ProbeError: no server here"


def test_probe_help_lists_its_options():
    result = subprocess.run([sys.executable, "-m", "macros", "probe", "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "--bindir" in result.stdout and "--output" in result.stdout
