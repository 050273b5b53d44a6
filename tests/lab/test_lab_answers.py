"""Prove the resolver's answers on real builds: for each lab build in the cache, each floor (server
defaults, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3) and each profile (modern, intermediate, legacy), apply
the resolver's recipe to a running server and check that every protocol it predicts is accepted or
refused as predicted: with no request, the answer's `default` of each protocol; with one, the
answer's `after` (what the server does once the recipe is in), and every `verify` expectation.
The lab applies postgresql.conf settings, not openssl.cnf edits: for an answer with system steps
it proves what the settings alone do (predict_without_system_steps) and leaves `verify`, which
assumes every step, unproven; the test names how many such requests there were.

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


def requests(dataset) -> list[tuple[str | None, str | None]]:
    """(oldest protocol, profile): the defaults, each floor, each profile."""
    return [(floor, None) for floor in FLOORS] + [(None, p.id) for p in dataset.profiles]


def expectations(module, dataset, setup, answer) -> list[tuple[str, str, str]]:
    """(protocol, accepted|refused, where the answer says so); "not-known" proves nothing."""
    body = answer.to_json()
    if body["after"] is None:
        found = [(p, facts["default"], "default") for p, facts in body["protocols"].items()]
    elif _has_system_steps(body):
        found = [(p, outcome, "after, postgresql.conf only")
                 for p, outcome in module.predict_without_system_steps(dataset, setup).items()]
    else:
        found = [(p, outcome, "after") for p, outcome in body["after"].items()]
        found += [(c["protocol"], c["expect"], "verify") for c in body["verify"]]
    return [(p, outcome, where) for p, outcome, where in found if outcome in PREDICTED]


def _has_system_steps(body: dict) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") for line in body["config"]["system"])


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
        for floor, profile in requests(dataset):
            setup = resolve_module.Setup(pg_major, openssl=openssl_series(build), platform=resolver_platform(build),
                                         min_protocol=floor, profile=profile)
            answer = resolve_module.resolve(dataset, setup)
            recipe = resolve_module.recipe_settings(answer)
            cluster.apply_settings(recipe)
            cluster.reload()            # every lab build is 10 or later: SSL settings reload
            _assert_settings_took(cluster, recipe)
            request = f"profile {profile}" if profile else f"floor {floor or 'defaults'}"
            handshakes = {}
            for protocol, predicted, where in expectations(resolve_module, dataset, setup, answer):
                if protocol not in handshakes:
                    handshakes[protocol] = try_handshake(cluster, protocol)
                if handshakes[protocol]["outcome"] != predicted:
                    mismatches.append(f"{build.id}, {request}, recipe {recipe}: {protocol} "
                                      f"predicted {predicted} ({where}), handshake {handshakes[protocol]}")
    assert mismatches == []


def _assert_settings_took(cluster, recipe: dict) -> None:
    """A value the server rejects on reload leaves the old SSL context in place: the handshakes
    would then prove the previous recipe. The server must report every value as applied."""
    for name, value in recipe.items():
        assert cluster.show(name) == value, f"{name} = {value!r} did not take effect"
    log = cluster.log_text()
    assert "could not set the cipher list" not in log and "could not load" not in log, cluster.log_tail()
