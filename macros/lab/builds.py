"""Fetching one lab build: download its parts, prepare a runnable bindir once, cache it.

CACHE/builds/<id>-<hash of its declaration>/ holds the prepared programs and provenance.json;
it is made in a temporary directory renamed into place, then verified (a failed verification
deletes it, so the next run tries again). A second run downloads and unpacks nothing.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from macros.lab.build_catalog import BUILDS_BY_ID, Build, package_record
from macros.lab.downloads import FetchError, download, log, meta_of, new_temp_dir, publish
from macros.lab.facts import conf_facts
from macros.lab.prepare import prepare_programs, unpack_parts, verify

CACHE_VARIABLE = "TLSKB_LAB_CACHE"
# The servers run as `postgres` when we are root, and that user cannot enter /root.
ROOT_DEFAULT_CACHE = Path("/var/cache/pg-tls-lab")
# Builds that do not name a configuration file read none: the library's compiled-in defaults,
# whatever openssl.cnf the probing machine has.
NO_CONF = {"OPENSSL_CONF": os.devnull}


def default_cache() -> Path:
    if os.environ.get(CACHE_VARIABLE):
        return Path(os.environ[CACHE_VARIABLE])
    if os.geteuid() == 0:
        return ROOT_DEFAULT_CACHE
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pg-tls-lab"


@dataclass
class Fetched:
    build: Build
    bindir: Path
    server_env: dict
    conf: dict                      # the observation's openssl.conf
    packages: list = field(default_factory=list)
    patches: list = field(default_factory=list)
    cached: bool = False


def fetch(build: Build | str, cache: Path) -> Fetched:
    """A prepared bindir (postgres, initdb, pg_ctl), the server's environment and provenance."""
    if isinstance(build, str):
        if build not in BUILDS_BY_ID:
            raise FetchError(f"unknown build {build!r}; known: {', '.join(BUILDS_BY_ID)}")
        build = BUILDS_BY_ID[build]
    cache = Path(cache).resolve()
    final = cache / "builds" / build.cache_name()
    cached = (final / "provenance.json").exists()
    if not cached:
        _make(build, cache, final)
    record = json.loads((final / "provenance.json").read_text())
    if build.base:
        base = fetch(build.base, cache)
        conf_part, conf_path = build.openssl_conf
        conf = conf_facts(final / "openssl.cnf", "OPENSSL_CONF", shown_path=f"/{conf_path}",
                          origin=conf_part.label())
        return Fetched(build, base.bindir, {"OPENSSL_CONF": str(final / "openssl.cnf")}, conf,
                       base.packages + record["packages"], base.patches, cached)
    conf = conf_facts(None, "OPENSSL_CONF=/dev/null: no configuration file read")
    return Fetched(build, final / record["bindir"], dict(NO_CONF), conf, record["packages"],
                   record["patches"], cached)


def _make(build: Build, cache: Path, final: Path) -> None:
    downloads = [(part, download(part, cache)) for part in build.parts]
    temp = new_temp_dir(final.parent, build.id)
    try:
        log(f"    preparing {build.id}")
        record = {"build": build.id, "packages": [package_record(p, meta_of(a)) for p, a in downloads]}
        if build.base:
            root = unpack_parts(build, downloads, temp)
            shutil.copy2(root / build.openssl_conf[1], temp / "openssl.cnf")
            shutil.rmtree(root)
            record.update(patches=[])
        else:
            bindir, patches = prepare_programs(build, unpack_parts(build, downloads, temp), final)
            record.update(bindir=str(bindir.relative_to(temp)), patches=patches)
        (temp / "provenance.json").write_text(json.dumps(record, indent=1) + "\n")
        shutil.rmtree(final, ignore_errors=True)
        publish(temp, final)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    if build.base:
        return
    try:
        facts = verify(build, final / record["bindir"])
    except BaseException:
        shutil.rmtree(final, ignore_errors=True)
        raise
    log(f"    verified: {facts['postgres_V']} | {facts['openssl_version']}")


def is_cached(build: Build, cache: Path) -> bool:
    """Whether the build (and the one whose programs it reuses) is ready in the cache."""
    ready = (Path(cache) / "builds" / build.cache_name() / "provenance.json").exists()
    return ready and (build.base is None or is_cached(BUILDS_BY_ID[build.base], cache))
