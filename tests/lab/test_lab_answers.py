"""Prove the resolver's answers on real builds: for each lab build in the cache, each floor (server
defaults, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3) and each profile (modern, intermediate, legacy), apply
the resolver's recipe to a running server and check that every protocol it predicts is accepted or
refused as predicted: with no request, the answer's `default` of each protocol; with one, the
answer's `after` (what the server does once the recipe is in), and every `verify` expectation.

An answer with system steps (openssl.cnf edits) gets the same full proof where the lab can make
the edit for real: the build reads an openssl.cnf (the -cnf builds) and every step applies to it
(macros/lab/openssl_cnf.py). The server then restarts with OPENSSL_CONF pointing at an edited
copy (OpenSSL reads its configuration at process start), and with the build's own file again
after the handshakes; a step that does not apply to the file the build reads fails the test. A
build that reads no openssl.cnf cannot take a step: for it the test proves what the
postgresql.conf lines alone do (predict_without_system_steps) and leaves `verify`, which assumes
every step, unproven.

Needs the lab cache (`make lab` fills it; CI runs it before `make test`) and the resolver
(macros/model/resolver.py). Skips with the reason when either is missing, except under CI=true.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import in_ci, skip_unless_ci

from macros.lab.build_catalog import BUILDS
from macros.lab.builds import default_cache, fetch, is_cached
from macros.lab.cluster import TemporaryCluster
from macros.lab.handshake import try_handshake
from macros.lab.host import unavailable_reason
from macros.lab.openssl_cnf import StepNotApplicable, apply_steps

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


def expectations(module, dataset, setup, answer, steps_applied: bool) -> list[tuple[str, str, str]]:
    """(protocol, accepted|refused, where the answer says so); "not-known" proves nothing."""
    body = answer.to_json()
    if body["after"] is None:
        found = [(p, facts["default"], "default") for p, facts in body["protocols"].items()]
    elif _has_system_steps(body) and not steps_applied:
        found = [(p, outcome, "after, postgresql.conf only")
                 for p, outcome in module.predict_without_system_steps(dataset, setup).items()]
    else:
        found = [(p, outcome, "after") for p, outcome in body["after"].items()]
        found += [(c["protocol"], c["expect"], "verify") for c in body["verify"]]
    return [(p, outcome, where) for p, outcome, where in found if outcome in PREDICTED]


def _has_system_steps(body: dict) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") for line in body["config"]["system"])


def conf_path_on_platform(build) -> str:
    """Where the platform keeps the openssl.cnf the build reads: what a system step names."""
    return "/" + build.openssl_conf[1]


def openssl_cnf_with_steps(build, fetched, steps) -> str | None:
    """The build's openssl.cnf with every system step in, or None: no steps, or a build that reads
    no openssl.cnf (then the postgresql.conf-only proof). A build that reads the platform's own
    file must take the platform's steps: a step that does not apply to it (StepNotApplicable, let
    through) is a recipe that does not fit the real file, not a reason for a weaker proof."""
    if not steps or not build.openssl_conf:
        return None
    original = Path(fetched.server_env["OPENSSL_CONF"]).read_text(encoding="utf-8")
    return apply_steps(original, conf_path_on_platform(build), steps)


def written_lines(fetched, edited: str) -> str:
    """The lines the edited copy holds in place of the build's own: what the server really read."""
    original = Path(fetched.server_env["OPENSSL_CONF"]).read_text(encoding="utf-8").splitlines()
    changed = [new for old, new in zip(original, edited.splitlines()) if old != new]
    return "; ".join(changed) or "none"


def restart_with_openssl_conf(cluster, server_env: dict, conf_text: str | None = None) -> None:
    """Restart with OPENSSL_CONF at an edited copy (in the cluster's directory, which the server
    user reads), or with the build's own file when conf_text is None."""
    env = dict(server_env)
    if conf_text is not None:
        edited = cluster.root / "openssl-with-steps.cnf"
        edited.write_text(conf_text, encoding="utf-8")
        env["OPENSSL_CONF"] = str(edited)
    cluster.server_env = env
    cluster.restart()


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
            steps = resolve_module.recipe_system_steps(answer)
            request = f"profile {profile}" if profile else f"floor {floor or 'defaults'}"
            try:
                edited = openssl_cnf_with_steps(build, fetched, steps)
            except StepNotApplicable as error:
                mismatches.append(f"{build.id}, {request}: the system steps do not apply to the "
                                  f"build's {conf_path_on_platform(build)}: {error}")
                continue
            cluster.apply_settings(recipe)
            if edited is None:
                cluster.reload()        # every lab build is 10 or later: SSL settings reload
            else:
                restart_with_openssl_conf(cluster, fetched.server_env, edited)
            _assert_settings_took(cluster, recipe)
            if edited is not None:
                asked = "; ".join(line for step in steps for line in step.lines)
                request += (f", openssl.cnf {conf_path_on_platform(build)} with {asked} "
                            f"(lines written: {written_lines(fetched, edited)})")
            handshakes = {}
            for protocol, predicted, where in expectations(resolve_module, dataset, setup, answer,
                                                           steps_applied=edited is not None):
                if protocol not in handshakes:
                    handshakes[protocol] = try_handshake(cluster, protocol)
                if handshakes[protocol]["outcome"] != predicted:
                    mismatches.append(f"{build.id}, {request}, recipe {recipe}: {protocol} "
                                      f"predicted {predicted} ({where}), handshake {handshakes[protocol]}")
            if edited is not None:      # the next request starts from the build's own openssl.cnf
                restart_with_openssl_conf(cluster, fetched.server_env)
    assert mismatches == []


def _assert_settings_took(cluster, recipe: dict) -> None:
    """A value the server rejects on reload leaves the old SSL context in place: the handshakes
    would then prove the previous recipe. The server must report every value as applied."""
    for name, value in recipe.items():
        assert cluster.show(name) == value, f"{name} = {value!r} did not take effect"
    log = cluster.log_text()
    assert "could not set the cipher list" not in log and "could not load" not in log, cluster.log_tail()
