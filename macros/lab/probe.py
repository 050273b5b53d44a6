"""Handshake probe: which protocol versions a real PostgreSQL server accepts, per setting.

For each scenario (a set of postgresql.conf settings that exist in the server's major) the probe
restarts a throwaway cluster (macros/lab/cluster.py) and offers one protocol version at a time:
TLS with `openssl s_client -starttls postgres -<flag> -brief -cipher DEFAULT@SECLEVEL=0` (a
client at level 0, so that only the server decides), SSL 2.0 and 3.0 with
macros/lab/legacy_hello.py. It writes what happened, with where the build came from and which
openssl.cnf was in effect, to data/observations/<...>.yaml. Progress goes to stderr.

    python -m macros probe [--bindir DIR] [-o FILE]     (or python -m macros.lab.probe)
"""

from __future__ import annotations

import argparse
import datetime
import os
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

from macros.lab.cluster import TemporaryCluster, conf_value
from macros.lab.facts import host_conf_facts, openssl_facts, os_release, postgresql_facts, server_libcrypto
from macros.lab.handshake import PROTOCOLS, ProbeError, command_template, progress, try_handshake
from macros.lab.host import ClusterError, ClusterUnavailable
from macros.lab.observation_file import default_out_path, to_yaml, write_observation
from macros.lab.scenarios import SCENARIOS, Scenario, scenarios_for

TOOL_NAME = "macros.probe"  # recorded in observation files; stable across code moves
TOOL_VERSION = "2"          # 2: client at level 0, SSL 2.0/3.0 offers, provenance


# Reported for every scenario, so a reader sees the defaults the server filled in.
REPORTED_SETTINGS = ("ssl_ciphers", "ssl_max_protocol_version", "ssl_min_protocol_version")


@dataclass(frozen=True)
class Provenance:
    """Where the build came from, given by the lab; a plain probe describes this machine."""
    build: dict
    platform: dict
    openssl_conf: dict | None = None        # None: read from the library and the environment
    server_env: dict | None = None          # None: the server inherits our environment
    path_aliases: dict = field(default_factory=dict)   # machine paths -> "{cache}" in the record


def apply_scenario(cluster: TemporaryCluster, scenario: Scenario, reload: bool) -> dict:
    """Reload (PostgreSQL 10 and later rebuild their SSL context on SIGHUP) or restart with the
    scenario's settings; return the TLS settings the server really runs with."""
    cluster.apply_settings(scenario.settings)
    if reload:
        cluster.reload()
    else:
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


def probe_scenario(cluster: TemporaryCluster, scenario: Scenario, protocols, reload: bool = False) -> dict:
    progress(f"scenario {scenario.id}: {scenario.settings or 'defaults'}")
    in_effect = apply_scenario(cluster, scenario, reload)
    results = {}
    for protocol in protocols:
        results[protocol] = result = try_handshake(cluster, protocol)
        progress(f"  {protocol:8} {result['outcome']:20} "
                 f"{result.get('negotiated') or result.get('error', '')}")
    return {"id": scenario.id, "description": scenario.description, "settings": dict(scenario.settings),
            "in_effect": in_effect, "command": command_template(), "results": results}


def reloads_ssl(major: str) -> bool:
    """From 10 every SSL setting is re-read on SIGHUP (data/settings/server.yaml, `ssl`)."""
    return not major.startswith("9.")


def local_provenance(bindir) -> Provenance:
    """A server installed on this machine: built for this platform, our environment."""
    return Provenance(build={"source": "local", "description": f"server programs in {bindir}"},
                      platform=os_release())


def run_probe(bindir=None, out_path=None, scenarios=SCENARIOS, protocols=PROTOCOLS,
              provenance: Provenance | None = None) -> dict:
    """Probe every scenario the server's major has on a throwaway cluster; return the observation.

    Writes it to out_path when given; main() uses default_out_path(doc) when -o is not given.
    """
    server_env = provenance.server_env if provenance else None
    with TemporaryCluster(bindir, server_env=server_env) as cluster:
        provenance = provenance or local_provenance(cluster.bindir)
        progress(f"cluster in {cluster.root} on port {cluster.port} ({cluster.bindir})")
        library = server_libcrypto(cluster)
        openssl = openssl_facts(cluster, library)
        openssl["conf"] = provenance.openssl_conf or host_conf_facts(library, server_env or os.environ)
        pg = postgresql_facts(cluster)
        doc = {"postgresql": pg, "openssl": openssl, "build": provenance.build,
               "platform": provenance.platform, "host": os_release(),
               "date": datetime.date.today().isoformat(),
               "tool": {"name": TOOL_NAME, "version": TOOL_VERSION},
               "scenarios": [probe_scenario(cluster, scenario, protocols, reloads_ssl(pg["major"]))
                             for scenario in scenarios_for(pg["major"], scenarios)]}
        aliases = {str(cluster.root): "{dir}", **provenance.path_aliases}
        doc["server_setup"] = {"commands": setup_commands(cluster, aliases),
                               "settings": base_settings(cluster, aliases)}
    if out_path is not None:
        write_observation(doc, Path(out_path))
    return doc


def setup_commands(cluster: TemporaryCluster, aliases: dict) -> list[str]:
    """The commands the harness ran (certificates, initdb, pg_ctl), with {dir} and {port} for the
    temporary directory and port so that two runs on one machine write the same text."""
    commands = []
    for args in cluster.commands:
        text = generic(shlex.join(args), cluster, aliases)
        if text not in commands:          # pg_ctl restart runs once per scenario
            commands.append(text)
    return commands


def base_settings(cluster: TemporaryCluster, aliases: dict) -> dict:
    """The harness's own postgresql.conf lines, as the server reads them (on/off, not True)."""
    return {name: generic(conf_value(value).strip("'"), cluster, aliases)
            for name, value in cluster.base_settings().items()}


def generic(text: str, cluster: TemporaryCluster, aliases: dict) -> str:
    # Longest first: the temporary directory may lie inside an aliased one.
    for path in sorted(aliases, key=len, reverse=True):
        text = text.replace(path, aliases[path])
    return text.replace(f"-p {cluster.port}", "-p {port}")


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
