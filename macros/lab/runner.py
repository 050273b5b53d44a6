"""`python -m macros lab`: fetch every lab build, probe it, write one observation per build.

    python -m macros lab [--cache DIR] [--only ID[,ID...]] [--out DIR [--compare]] [--list]

Builds come from public registries (macros/lab/build_catalog.py), cached by exact versions in
--cache (default $TLSKB_LAB_CACHE, else ~/.cache/pg-tls-lab; as root /var/cache/pg-tls-lab).
Each observation goes to --out (default data/observations/) with where the build came from;
--compare then fails when an outcome differs from the committed file of the same name (CI).
Progress on stderr; a throwaway cluster is removed also on failure and Ctrl-C. Exit status 1
when a build that is not optional failed.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

import yaml

from macros.lab.build_catalog import BUILDS, BUILDS_BY_ID, Build
from macros.lab.builds import Fetched, default_cache, fetch
from macros.lab.downloads import STATS, FetchError, log
from macros.lab.handshake import ProbeError
from macros.lab.host import ClusterError, ClusterUnavailable
from macros.lab.observation_file import OBSERVATIONS_DIR, default_out_path, write_observation
from macros.lab.probe import Provenance, run_probe

FAILURES = (FetchError, ProbeError, ClusterError, ClusterUnavailable)


def provenance(fetched: Fetched, cache: Path) -> Provenance:
    build = fetched.build
    record = {"id": build.id, "source": build.source, "description": build.description,
              "packages": fetched.packages}
    if build.variant:
        record["variant"] = build.variant
    if fetched.patches:
        record["patches"] = fetched.patches
    return Provenance(build=record, platform=build.platform.as_dict(), openssl_conf=fetched.conf,
                      server_env=fetched.server_env, path_aliases={str(cache): "{cache}"})


def outcomes(doc: dict) -> dict:
    """(scenario id, protocol) -> (outcome, negotiated version): what must not drift."""
    return {(s["id"], protocol): (r["outcome"], r.get("negotiated"))
            for s in doc["scenarios"] for protocol, r in s["results"].items()}


def differences(doc: dict, committed: Path) -> list[str]:
    if not committed.is_file():
        return [f"no committed {committed.name}"]
    before = outcomes(yaml.safe_load(committed.read_text(encoding="utf-8")))
    now = outcomes(doc)
    return [f"{scenario} {protocol}: committed {before.get((scenario, protocol))}, now {now.get((scenario, protocol))}"
            for scenario, protocol in sorted(set(before) | set(now))
            if before.get((scenario, protocol)) != now.get((scenario, protocol))]


def lab_one(build: Build, cache: Path, out_dir: Path, compare: bool = False) -> str:
    """Fetch and probe one build; the path of the observation written."""
    started = time.monotonic()
    fetched = fetch(build, cache)
    log(f"    {'cached' if fetched.cached else 'fetched'} in {time.monotonic() - started:.1f}s: {fetched.bindir}")
    doc = run_probe(bindir=fetched.bindir, provenance=provenance(fetched, cache))
    path = default_out_path(doc, out_dir)
    write_observation(doc, path)
    found = differences(doc, OBSERVATIONS_DIR / path.name) if compare else []
    if found:
        raise ProbeError(f"{path.name} differs from the committed file:\n    " + "\n    ".join(found))
    return path.name


def run_lab(builds, cache: Path, out_dir: Path, compare: bool = False) -> int:
    results = []
    started = time.monotonic()
    for number, build in enumerate(builds, 1):
        log(f"[{number}/{len(builds)}] {build.id}")
        t0 = time.monotonic()
        try:
            status, detail = "ok", lab_one(build, cache, out_dir, compare)
        except FAILURES as exc:
            status, detail = "FAILED", f"{type(exc).__name__}: {exc}"
            log(f"    {detail}")
        results.append((build, status, time.monotonic() - t0, detail))
    log(f"\n{'build':34} {'status':7} {'seconds':>7}  result")
    for build, status, seconds, detail in results:
        optional = " (optional)" if status != "ok" and build.optional else ""
        log(f"{build.id:34} {status:7} {seconds:7.1f}  {detail.splitlines()[0]}{optional}")
    log(f"total {time.monotonic() - started:.1f}s; downloaded {STATS['downloaded_bytes'] / 1e6:.1f} MB "
        f"in {STATS['downloads']} files; cache {cache}")
    return 1 if any(status != "ok" and not build.optional for build, status, _s, _d in results) else 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cache", help="where builds are kept (default: $TLSKB_LAB_CACHE, else "
                                        "~/.cache/pg-tls-lab; as root /var/cache/pg-tls-lab)")
    parser.add_argument("--only", help="comma-separated build ids (see --list)")
    parser.add_argument("--out", help="directory for the observation files (default: data/observations)")
    parser.add_argument("--compare", action="store_true", help="fail when an outcome differs from "
                        "the committed observation of the same name (with --out)")
    parser.add_argument("--list", action="store_true", help="list the builds and exit")


def run_command(args) -> int:
    if args.list:
        for build in BUILDS:
            print(f"{build.id:34} {build.description}")
        return 0
    wanted = [name for name in (args.only or "").split(",") if name]
    unknown = [name for name in wanted if name not in BUILDS_BY_ID]
    if unknown:
        print(f"lab: unknown build {', '.join(unknown)}; `python -m macros lab --list` shows them",
              file=sys.stderr)
        return 2
    builds = [b for b in BUILDS if not wanted or b.id in wanted]
    cache = Path(args.cache) if args.cache else default_cache()
    # SIGTERM (a CI timeout) unwinds like Ctrl-C: temporary directories and servers go too.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        return run_lab(builds, cache.resolve(), Path(args.out) if args.out else OBSERVATIONS_DIR,
                       args.compare)
    except KeyboardInterrupt:
        log("lab: interrupted; the throwaway cluster and any half-made download were removed")
        return 130


def _exit_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)
