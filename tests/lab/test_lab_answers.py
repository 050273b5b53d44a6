"""Prove the resolver's answers on real builds: for each lab build in the cache and each floor
(server defaults, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3), apply the resolver's recipe to a running
server and check that every protocol it predicts is accepted or refused as predicted: with no
floor, the answer's `default` of each protocol; with a floor, what the resolver predicts for the
recipe's settings (`predict`), and every `verify` expectation of an answer without system steps
(the lab applies postgresql.conf settings, not openssl.cnf edits).

Needs the lab cache (`make lab` fills it; CI runs it before `make test`) and the resolver
(macros/model/resolver.py). Skips with the reason when either is missing, except under CI=true.
"""

from __future__ import annotations

import pytest
from conftest import in_ci, skip_unless_ci

from macros.lab.build_catalog import BUILDS
from macros.lab.builds import default_cache, fetch, is_cached
from macros.lab.cluster import TemporaryCluster
from macros.lab.handshake import try_handshake
from macros.lab.host import unavailable_reason

pytestmark = pytest.mark.server

FLOORS = (None, "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3")   # None: the server's defaults
PREDICTED = ("accepted", "refused")


def resolver():
    try:
        from macros.model import resolver as module
    except ImportError as exc:
        skip_unless_ci(f"macros.model.resolver is not importable ({exc}): the resolver is not merged yet")
    return module


DEBIAN_RELEASES = {"bullseye": "debian-11", "bookworm": "debian-12", "trixie": "debian-13"}


def resolver_platform(build) -> str:
    """The platform whose OpenSSL defaults the build runs with. Lab builds read no openssl.cnf
    (OPENSSL_CONF=/dev/null) except the -cnf ones, which read a Debian release's; Debian 12 and
    13 compile security level 2 into their own libssl3. Everything else (npm, Debian 11's
    libssl1.1 without its file, the wheels' OpenSSL) has upstream's compiled-in defaults."""
    if build.openssl_conf:
        return DEBIAN_RELEASES[build.openssl_conf[0].family]
    platform = f"{build.platform.id}-{build.platform.version_id}"
    if build.source == "debian" and platform in ("debian-12", "debian-13"):
        return platform
    return "upstream"


def openssl_series(build) -> str:
    release = build.openssl.split()[1].rstrip(".")
    return ".".join(release.split(".")[:2]) if not release.startswith("1.") else release[:5]


def cached_builds() -> list:
    return [b for b in BUILDS if is_cached(b, default_cache())]


def expectations(module, dataset, setup, answer, recipe) -> list[tuple[str, str, str]]:
    """(protocol, accepted|refused, where the answer says so); "not known" proves nothing."""
    body = answer.to_json()
    if setup.min_protocol is None:
        found = [(p, facts.get("default"), "default") for p, facts in body["protocols"].items()]
    else:
        predicted = module.predict(dataset, setup, recipe) if hasattr(module, "predict") else {}
        found = [(p, outcome, "predict") for p, outcome in predicted.items()]
        # verify assumes every step applied; the lab applies postgresql.conf only, so an answer
        # with system steps (openssl.cnf edits) is proven through predict() for its settings.
        system = [line for line in body.get("config", {}).get("system", ())
                  if line.strip() and not line.lstrip().startswith("#")]
        if not system:
            found += [(c["protocol"], c["expect"], "verify") for c in body.get("verify", ())]
    return [(p, outcome, where) for p, outcome, where in found if outcome in PREDICTED]


@pytest.fixture(scope="module")
def resolve_module():
    return resolver()


@pytest.mark.parametrize("build", BUILDS, ids=[b.id for b in BUILDS])
def test_recipes_hold_on_the_build(build, resolve_module, dataset):
    if not is_cached(build, default_cache()):
        if in_ci() and not build.optional:
            pytest.fail(f"{build.id} is not in the lab cache {default_cache()}: `make lab` must run first")
        pytest.skip(f"{build.id} is not in the lab cache {default_cache()} (run `make lab`)")
    fetched = fetch(build, default_cache())
    reason = unavailable_reason(fetched.bindir)
    if reason:
        skip_unless_ci(f"no throwaway cluster can run here: {reason}")
    pg_major = build.postgresql.split(".")[0]
    mismatches = []
    with TemporaryCluster(fetched.bindir, server_env=fetched.server_env) as cluster:
        for floor in FLOORS:
            setup = resolve_module.Setup(pg_major, openssl=openssl_series(build),
                                         platform=resolver_platform(build), min_protocol=floor)
            answer = resolve_module.resolve(dataset, setup)
            recipe = resolve_module.recipe_settings(answer)
            cluster.apply_settings(recipe)
            cluster.reload()            # every lab build is 10 or later: SSL settings reload
            handshakes = {}
            for protocol, predicted, where in expectations(resolve_module, dataset, setup, answer, recipe):
                if protocol not in handshakes:
                    handshakes[protocol] = try_handshake(cluster, protocol)
                if handshakes[protocol]["outcome"] != predicted:
                    mismatches.append(f"{build.id}, floor {floor or 'defaults'}, recipe {recipe}: {protocol} "
                                      f"predicted {predicted} ({where}), handshake {handshakes[protocol]}")
    assert mismatches == []
