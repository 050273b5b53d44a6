"""Handshake probe: which protocol versions a real PostgreSQL server accepts, per setting.

For each scenario (a set of postgresql.conf settings) the probe restarts a throwaway cluster
(macros/lab/cluster.py) and forces one protocol version at a time with
`openssl s_client -starttls postgres -<flag> -brief`, then writes what happened to
data/observations/<...>.yaml. Progress goes to stderr.

    python -m macros probe [--bindir DIR] [-o FILE]     (or python -m macros.lab.probe)
"""

from __future__ import annotations

import argparse
import datetime
import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from macros.core.files import atomic_write
from macros.lab.cluster import TemporaryCluster, conf_value
from macros.lab.handshake import (
    PROTOCOL_FLAGS,
    ProbeError,
    command_template,
    progress,
    try_handshake,
)
from macros.lab.host import ClusterError, ClusterUnavailable, run

TOOL_NAME = "macros.probe"  # recorded in observation files; stable across code moves
TOOL_VERSION = "1"
REPO_ROOT = Path(__file__).resolve().parents[2]
OBSERVATIONS_DIR = REPO_ROOT / "data" / "observations"
SCHEMA_COMMENT = "# yaml-language-server: $schema=../schemas/observation.schema.json\n"


# Reported for every scenario, so a reader sees the defaults the server filled in.
REPORTED_SETTINGS = ("ssl_ciphers", "ssl_max_protocol_version", "ssl_min_protocol_version")


@dataclass(frozen=True)
class Scenario:
    id: str
    description: str
    settings: dict = field(default_factory=dict)


SCENARIOS = (
    Scenario("defaults", "Only ssl = on: the server's own defaults for every other setting."),
    Scenario("min-tlsv1", "Lowest protocol setting only; OpenSSL's security level untouched.",
             {"ssl_min_protocol_version": "TLSv1"}),
    Scenario("min-tlsv1-seclevel-0", "Lowest protocol setting and security level 0 in ssl_ciphers.",
             {"ssl_min_protocol_version": "TLSv1", "ssl_ciphers": "DEFAULT:@SECLEVEL=0"}),
    Scenario("min-tlsv1-seclevel-1", "Lowest protocol setting and security level 1 "
             "(the upstream OpenSSL 3.0 default) in ssl_ciphers.",
             {"ssl_min_protocol_version": "TLSv1", "ssl_ciphers": "DEFAULT:@SECLEVEL=1"}),
    Scenario("max-tlsv1.2", "Highest protocol capped at TLS 1.2.",
             {"ssl_max_protocol_version": "TLSv1.2"}),
    Scenario("min-tlsv1.3", "TLS 1.3 only.", {"ssl_min_protocol_version": "TLSv1.3"}),
)


# ---------------------------------------------------------------- the client command


# ---------------------------------------------------------------- reading s_client output


# ---------------------------------------------------------------- running handshakes


def apply_scenario(cluster: TemporaryCluster, scenario: Scenario) -> dict:
    """Restart with the scenario's settings; return the TLS settings the server really runs with."""
    cluster.apply_settings(scenario.settings)
    cluster.restart()
    in_effect = tls_settings_in_effect(cluster)
    for name, expected in scenario.settings.items():
        if in_effect.get(name) != str(expected):
            raise ClusterError(f"scenario {scenario.id}: {name} is {in_effect.get(name)!r}, "
                               f"expected {expected!r}")
    return in_effect


def tls_settings_in_effect(cluster: TemporaryCluster) -> dict:
    """ssl_* values as the running server reports them (pg_settings: only those this version has)."""
    names = ", ".join(f"'{name}'" for name in REPORTED_SETTINGS)
    rows = cluster.psql(f"SELECT name || '=' || setting FROM pg_settings WHERE name IN ({names}) ORDER BY name")
    return dict(row.split("=", 1) for row in rows.splitlines())


def probe_scenario(cluster: TemporaryCluster, scenario: Scenario, protocols) -> dict:
    progress(f"scenario {scenario.id}: {scenario.settings or 'defaults'}")
    in_effect = apply_scenario(cluster, scenario)
    results = {}
    for protocol in protocols:
        results[protocol] = try_handshake(cluster, protocol, scenario.settings)
        result = results[protocol]
        progress(f"  {protocol:8} {result['outcome']:20} "
                 f"{result.get('negotiated') or result.get('error', '')}")
    return {
        "id": scenario.id,
        "description": scenario.description,
        "settings": dict(scenario.settings),
        "in_effect": in_effect,
        "command": command_template(scenario.settings),
        "results": results,
    }


# ---------------------------------------------------------------- facts about the machine

def postgresql_facts(cluster: TemporaryCluster) -> dict:
    version = cluster.show("server_version").split()[0]    # "15.18 (Debian 15.18-0+deb12u1)"
    return {
        "major": pg_major(version),
        "version": version,
        "version_string": cluster.psql("SELECT version()"),
    }


def pg_major(version: str) -> str:
    """"15" for 15.18; "9.6" for 9.6.24 (before 10 the major had two numbers)."""
    parts = version.split(".")
    return ".".join(parts[:2]) if parts[0] == "9" else parts[0]


def openssl_facts(cluster: TemporaryCluster) -> dict:
    library = linked_openssl_version(cluster.bindir / "postgres")
    if not library:
        # SHOW ssl_library says only "OpenSSL" on PostgreSQL 15: not enough to file the data under.
        raise ProbeError(f"cannot tell which OpenSSL {cluster.bindir / 'postgres'} loads "
                         "(no libcrypto with a version string in `ldd` output)")
    release = re.match(r"OpenSSL (\S+)", library).group(1)
    facts = {
        "server_library": library,
        "server_release": release,
        "server_series": openssl_series(release),
        "server_ssl_library": cluster.show("ssl_library"),
        "client": client_openssl_version(),
    }
    level = compiled_security_level()
    if level is not None:
        facts["client_compiled_security_level"] = level
    return facts


def linked_openssl_version(binary: Path) -> str | None:
    """"OpenSSL 3.0.19 27 Jan 2026", read from the libcrypto the server binary loads."""
    try:
        ldd = run(["ldd", str(binary)], check=False).stdout
    except ClusterUnavailable:          # no ldd on this system
        return None
    match = re.search(r"libcrypto[^\s]* => (\S+)", ldd)
    if not match:
        return None
    data = Path(match.group(1)).read_bytes()
    found = re.search(rb"OpenSSL \d+\.\d+\.\d+[a-z]{0,2}(?:-[a-z]+)? +\d{1,2} [A-Z][a-z]{2} \d{4}", data)
    return found.group(0).decode() if found else None


def openssl_series(release: str) -> str:
    """"3.0" for 3.0.19, "1.1.1" for 1.1.1w: before 3.0 the third number belongs to the series."""
    numbers = re.match(r"(\d+)\.(\d+)\.(\d+)", release).groups()
    return ".".join(numbers[:2]) if int(numbers[0]) >= 3 else ".".join(numbers)


def client_openssl_version() -> str:
    return run(["openssl", "version"]).stdout.strip()


def compiled_security_level() -> int | None:
    """-DOPENSSL_TLS_SECURITY_LEVEL=N from `openssl version -a` (Debian builds with 2)."""
    match = re.search(r"-DOPENSSL_TLS_SECURITY_LEVEL=(\d+)", run(["openssl", "version", "-a"]).stdout)
    return int(match.group(1)) if match else None


def platform_facts(os_release: Path = Path("/etc/os-release")) -> dict:
    values = {}
    for line in os_release.read_text(encoding="utf-8").splitlines():
        name, _, value = line.partition("=")
        values[name.strip()] = value.strip().strip('"')
    return {"id": values.get("ID", "unknown"), "version_id": values.get("VERSION_ID", "unknown"),
            "pretty_name": values.get("PRETTY_NAME", "unknown")}


# ---------------------------------------------------------------- the document

def run_probe(bindir=None, out_path=None, scenarios=SCENARIOS, protocols=tuple(PROTOCOL_FLAGS)) -> dict:
    """Probe every scenario on a throwaway cluster and return the observation.

    Writes it to out_path when given; main() uses default_out_path(doc) when -o is not given.
    """
    with TemporaryCluster(bindir) as cluster:
        progress(f"cluster in {cluster.root} on port {cluster.port} ({cluster.bindir})")
        doc = {
            "postgresql": postgresql_facts(cluster),
            "openssl": openssl_facts(cluster),
            "platform": platform_facts(),
            "date": datetime.date.today().isoformat(),
            "tool": {"name": TOOL_NAME, "version": TOOL_VERSION},
            "scenarios": [probe_scenario(cluster, scenario, protocols) for scenario in scenarios],
        }
        doc["server_setup"] = {"commands": setup_commands(cluster), "settings": base_settings(cluster)}
    if out_path is not None:
        write_observation(doc, Path(out_path))
    return doc


def write_observation(doc: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, to_yaml(doc))
    progress(f"wrote {path}")


def setup_commands(cluster: TemporaryCluster) -> list[str]:
    """The commands the harness ran (certificates, initdb, pg_ctl), with {dir} and {port} for the
    temporary directory and port so that two runs on one machine write the same text."""
    commands = []
    for args in cluster.commands:
        text = generic(shlex.join(args), cluster)
        if text not in commands:          # pg_ctl restart runs once per scenario
            commands.append(text)
    return commands


def base_settings(cluster: TemporaryCluster) -> dict:
    """The harness's own postgresql.conf lines, as the server reads them (on/off, not True)."""
    return {name: generic(conf_value(value).strip("'"), cluster)
            for name, value in cluster.base_settings().items()}


def generic(text: str, cluster: TemporaryCluster) -> str:
    return text.replace(str(cluster.root), "{dir}").replace(f"-p {cluster.port}", "-p {port}")


def default_out_path(doc: dict) -> Path:
    name = (f"postgresql-{doc['postgresql']['major']}-openssl-"
            f"{doc['openssl']['server_series']}-"
            f"{doc['platform']['id']}-{doc['platform']['version_id']}.yaml")
    return OBSERVATIONS_DIR / name


class _QuotedDumper(yaml.SafeDumper):
    """safe_dump, but versions and dates ("15", "3.0.19", "2026-11-29") always in double quotes."""


def _represent_str(dumper, value: str):
    # PyYAML already quotes what YAML 1.1 would misread ("15.18", dates); quoting everything
    # that starts with a digit also covers "3.0.19" and matches the other data files.
    style = '"' if value[:1].isdigit() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_QuotedDumper.add_representer(str, _represent_str)


def to_yaml(doc: dict) -> str:
    body = yaml.dump(doc, Dumper=_QuotedDumper, sort_keys=True, allow_unicode=True,
                     default_flow_style=False, width=1000)   # no folded lines: clean diffs
    return SCHEMA_COMMENT + body


# ---------------------------------------------------------------- command line

def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `python -m macros probe` (macros/cli.py) and `python -m macros.lab.probe`."""
    parser.add_argument("--bindir", help="PostgreSQL server bin directory (default: $PG_BINDIR, "
                                         "the newest /usr/lib/postgresql/*/bin, pg_config --bindir)")
    parser.add_argument("-o", "--output", help="YAML file to write (default: data/observations/"
                                               "postgresql-<major>-openssl-<series>-<os>-<version>.yaml)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros probe", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run_command(parser.parse_args(argv))


def run_command(args) -> int:
    """Probe, write the observation, exit status 0; 1 with one line on stderr when it cannot."""
    try:
        doc = run_probe(bindir=args.bindir)
    except (ClusterUnavailable, ClusterError, ProbeError) as exc:
        print(f"probe: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    path = Path(args.output) if args.output else default_out_path(doc)
    try:
        write_observation(doc, path)
    except OSError as exc:
        # The probe took minutes: print what it found rather than lose it.
        print(f"probe: cannot write {path}: {exc.strerror or exc}; the observation follows on "
              "standard output", file=sys.stderr)
        sys.stdout.write(to_yaml(doc))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
