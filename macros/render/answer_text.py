"""python -m macros answer: one setup's answer as plain text or JSON (macros/model/resolver.py).

    python -m macros answer --postgresql 16 --openssl 3.0 [--platform rhel-9] [--min-protocol TLSv1.1]
                            [--profile intermediate] [--upgrade-from 11] [--postgresql-minor 16.4]
                            [--format text|json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from macros.check.runner import load_dataset
from macros.core.problems import DataError
from macros.model.resolver import resolve
from macros.model.resolver_types import DEFAULT_PLATFORM, ResolveError, Setup

CONFIG_TITLES = (("postgresql.conf", "postgresql.conf"), ("pg_hba.conf", "pg_hba.conf"),
                 ("system", "System (only where PostgreSQL cannot do it itself)"),
                 ("client", "Client (libpq connection parameters)"))


def add_parser(commands) -> None:
    parser = commands.add_parser("answer", help="which TLS versions a setup accepts, and how to change it",
                                 description="One answer for one setup: PostgreSQL major x OpenSSL series x "
                                             "platform, optionally the oldest protocol clients need or a profile.")
    parser.add_argument("--postgresql", required=True, metavar="MAJOR", help="a PostgreSQL major: 16")
    parser.add_argument("--postgresql-minor", metavar="MINOR", help="the exact release: 16.4")
    parser.add_argument("--openssl", metavar="SERIES", help="an OpenSSL series: 3.0 (implied by most platforms)")
    parser.add_argument("--platform", default=DEFAULT_PLATFORM,
                        help=f"debian-12, rhel-9, ... (default: {DEFAULT_PLATFORM}, OpenSSL as released)")
    request = parser.add_mutually_exclusive_group()
    request.add_argument("--min-protocol", metavar="PROTOCOL", help="the oldest protocol clients need: TLSv1.1")
    request.add_argument("--profile", help="a hardening profile: modern, intermediate, legacy")
    parser.add_argument("--upgrade-from", metavar="MAJOR", help="what changes for TLS coming from this major")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--data-dir", default="data", help=argparse.SUPPRESS)
    parser.set_defaults(run=run)


def run(args) -> int:
    setup = Setup(args.postgresql, args.postgresql_minor, args.openssl, args.platform, args.min_protocol,
                  args.profile, args.upgrade_from)
    try:
        answer = resolve(load_dataset(Path(args.data_dir)), setup).to_json()
    except ResolveError as error:
        print(f"answer: {error}", file=sys.stderr)
        return 1
    except DataError as error:
        print(f"answer: the data has {len(error.problems)} problem(s); run `python -m macros check`",
              file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(answer, indent=2, ensure_ascii=False, sort_keys=False))
    else:
        print(text(answer), end="")
    return 0


def text(answer: dict) -> str:
    """The answer for a terminal: verdicts, configuration, checks, warnings (no sources inline)."""
    s = answer["setup"]
    out = [f"PostgreSQL {s['postgresql']} with OpenSSL {s['openssl']} on {s['platform']}"]
    request = s["profile"] and f"profile {s['profile']}" or s["min_protocol"] and f"clients down to {s['min_protocol']}"
    if request:
        out.append(f"Request: {request}" + ("" if answer["reachable"] else " (cannot be reached)"))
    out.append("")
    for protocol, state in answer["protocols"].items():
        known = "" if state["known"] else ", not settled"
        possible = "can be enabled" if state["possible"] else "cannot be enabled"
        out.append(f"{protocol:8} {state['default']} by default; {possible}{known}")
        out.extend(f"         - [{r['layer']}] {r['text']}" for r in state["why"] if r["layer"] != "verdict")
    for key, title in CONFIG_TITLES:
        if answer["config"][key]:
            out += ["", f"{title}:"] + [f"    {line}" for line in answer["config"][key]]
    if request and not any(answer["config"].values()):
        out += ["", "No change needed: the defaults already allow this."]
    if answer["after"] and any(answer["config"].values()):
        out += ["", "Once applied:"] + [f"    {p:8} {outcome}" for p, outcome in answer["after"].items()]
    if answer["verify"]:
        out += ["", "Verify:"] + [f"    # {c['protocol']} must be {c['expect']}\n    {c['command']}"
                                  for c in answer["verify"]]
    if answer["upgrade"]:
        out += ["", f"Upgrading from {answer['upgrade']['from']}:"]
        out += [f"    {c['text']}" for c in answer["upgrade"]["settings"]]
        out += [f"    {c['protocol']}: {c['from']} -> {c['to']} by default" for c in answer["upgrade"]["protocols"]]
        out += [f"    {line}" for line in ([answer["upgrade"]["note"]] if answer["upgrade"]["note"] else [])]
        out += [f"    To do: {a}" for a in answer["upgrade"]["actions"]]
    if answer["warnings"]:
        out += ["", "Warnings:"] + [f"    [{w['kind']}] {w['text']}" for w in answer["warnings"]]
    if answer["observations"]:
        out += ["", "Observed on real servers:"] + [f"    {o['file']} ({o['date']})" for o in answer["observations"]]
    out += ["", f"Sources: {len(answer['sources'])} (see --format json)"]
    return "\n".join(out) + "\n"
