"""One answer for one setup: PostgreSQL major x OpenSSL series x platform (x oldest protocol or profile).

resolve(data, Setup(...)) -> Answer computes, from the data only, which protocols the server accepts
by default and why (resolver_layers), the smallest change that reaches the request (recipes), how
to verify it (resolver_verify), warnings, the observations behind it and, with upgrade_from, what
changes for TLS between two majors (resolver_upgrade). Answer.to_json() documents the JSON.
Plain Python, no MkDocs: the CLI, the guides, the JSON API and the lab share it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from macros.core.versions import is_pg_minor, pg_minor_parts, pg_release_key
from macros.model.dataset import Dataset
from macros.model.guide_values import NETWORKS, OLD_PASSWORD_METHOD, SCRAM
from macros.model.platform_releases import Step
from macros.model.recipes import Recipe, floor_recipe, profile_recipe
from macros.model.resolver_layers import Context, evaluate
from macros.model.resolver_types import (
    DEFAULT_PLATFORM,
    Answer,
    Applied,
    ResolveError,
    Setup,
    Warning,
)
from macros.model.resolver_upgrade import upgrade_changes
from macros.model.resolver_verify import client_lines, verify_checks

__all__ = ["Answer", "ResolveError", "Setup", "all_answers", "predict", "predict_without_system_steps",
           "recipe_settings", "recipe_system_steps", "resolve"]

SECLEVEL_IN = re.compile(r"@SECLEVEL=(\d)")


def _known(kind: str, value: str, known: list[str]) -> str:
    return f"unknown {kind} {value!r} (known: {', '.join(known)})"


def build_context(data: Dataset, setup: Setup) -> Context:
    pg = data.pg(setup.pg_major)
    if pg is None:
        raise ResolveError(_known("PostgreSQL major", setup.pg_major, [m.major for m in data.postgresql]))
    if setup.pg_minor and (not is_pg_minor(setup.pg_minor) or pg_minor_parts(setup.pg_minor)[0] != pg.major):
        raise ResolveError(f"{setup.pg_minor} is not a release of PostgreSQL {pg.major} (write {pg.major}.N)")
    release = data.release(setup.platform)
    if release is None:
        raise ResolveError(_known("platform", setup.platform, [r.id for r in data.releases]))
    series_name = setup.openssl or release.openssl
    if series_name is None:
        why = release.openssl_fact.note["en"] if release.openssl_fact.note else ""
        raise ResolveError(f"{release.id} does not imply an OpenSSL series: give one with --openssl. {why}".strip())
    if setup.openssl and release.openssl and setup.openssl != release.openssl:
        raise ResolveError(f"{release.name} ships OpenSSL {release.openssl}, not {setup.openssl}")
    series = data.openssl_series(series_name)
    if series is None:
        raise ResolveError(_known("OpenSSL series", series_name, [s.series for s in data.openssl]))
    _check_build(data, pg, series_name, setup.pg_minor)
    return Context(data, pg, setup.pg_minor, series, release, data.default_min_protocol(pg))


def _check_build(data: Dataset, pg, series: str, minor: str | None) -> None:
    build = data.build_support(pg, series)
    if build.status == "unsupported":
        detail = (f"its minimum is OpenSSL {pg.min_openssl.series}" if build.reason == "below-minimum"
                  else "see its build milestones")
        raise ResolveError(f"PostgreSQL {pg.major} does not build with OpenSSL {series} ({detail})")
    if minor and build.status == "supported" and build.since and \
            pg_release_key(minor) < pg_release_key(build.since):
        raise ResolveError(f"PostgreSQL {minor} does not build with OpenSSL {series}: {build.since} is the "
                           "first release that does")


def _request_recipe(ctx: Context, setup: Setup) -> Recipe | None:
    if setup.profile:
        profile = ctx.data.profile(setup.profile)
        if profile is None:
            raise ResolveError(_known("profile", setup.profile, [p.id for p in ctx.data.profiles]))
        return profile_recipe(ctx, profile)
    if setup.min_protocol:
        if ctx.data.protocol(setup.min_protocol) is None:
            raise ResolveError(_known("protocol", setup.min_protocol, [p.id for p in ctx.data.protocols]))
        return floor_recipe(ctx, setup.min_protocol)
    return None


def _requested(ctx: Context, setup: Setup) -> str | None:
    if setup.profile:
        return ctx.data.profile(setup.profile).min_protocol
    return setup.min_protocol


def resolve(data: Dataset, setup: Setup) -> Answer:
    """The answer for one setup; ResolveError (one line) when it cannot be given."""
    if setup.upgrade_from and data.pg(setup.upgrade_from) is None:
        raise ResolveError(_known("PostgreSQL major", setup.upgrade_from, [m.major for m in data.postgresql]))
    ctx = build_context(data, setup)
    setup = Setup(setup.pg_major, setup.pg_minor, ctx.series.series, setup.platform, setup.min_protocol,
                  setup.profile, setup.upgrade_from)
    protocols = evaluate(ctx)
    recipe = _request_recipe(ctx, setup)
    oldest = _requested(ctx, setup)
    changed = bool(recipe and (recipe.settings or recipe.system))
    config = {
        "postgresql.conf": tuple(conf_lines(recipe.settings)) if recipe else (),
        "pg_hba.conf": _hba_lines(ctx) if changed else (),
        "system": recipe.system if recipe else (),
        "client": client_lines(ctx, oldest, changed) if recipe and recipe.reachable else (),
    }
    upgrade = upgrade_changes(data, ctx, setup, oldest) if setup.upgrade_from else None
    after = _after(ctx, recipe, protocols)
    return Answer(setup=setup, protocols=protocols, reachable=recipe.reachable if recipe else True,
                  settings=dict(recipe.settings) if recipe else {}, config=config,
                  verify=verify_checks(ctx, oldest, after), after=after if recipe else None,
                  warnings=tuple(_warnings(ctx, setup, protocols, recipe, oldest)),
                  observations=tuple(_observations(ctx)), upgrade=upgrade,
                  system_steps=recipe.system_steps if recipe else ())


def _after(ctx: Context, recipe: Recipe | None, defaults, system_steps: bool = True):
    """What the server does once every step of the recipe is in (postgresql.conf and, unless told
    otherwise, system): verify promises a refusal only where something enforces one (a floor the
    defaults already allow adds nothing), and the answer's `after` is what the lab proves."""
    if recipe is None or not (recipe.settings or (system_steps and recipe.system)):
        return defaults
    applied = recipe.applied if system_steps else replace(recipe.applied, system_floor=False, system_blocks=False)
    return evaluate(ctx, applied)


def _applied(settings: dict[str, str]) -> Applied:
    level = SECLEVEL_IN.search(settings.get("ssl_ciphers", ""))
    return Applied(floor=settings.get("ssl_min_protocol_version") or None,
                   ceiling=settings.get("ssl_max_protocol_version") or None,
                   level=int(level.group(1)) if level else None)


def conf_lines(settings: dict[str, str]) -> list[str]:
    """postgresql.conf lines, values quoted ('' for a quote), in the recipe's order."""
    return [f"{name} = '" + value.replace("'", "''") + "'" for name, value in settings.items()]


def _hba_lines(ctx: Context) -> tuple[str, ...]:
    scram = ctx.data.feature(SCRAM)
    method = "scram-sha-256" if scram and scram.exists_in(ctx.pg.major) else OLD_PASSWORD_METHOD
    return tuple(f"hostssl all all {net} {method}" for net in NETWORKS)


def _warnings(ctx: Context, setup: Setup, protocols, recipe: Recipe | None, oldest: str | None):
    data, pg, series = ctx.data, ctx.pg, ctx.series
    build = data.build_support(pg, series.series)
    if build.status == "unknown":
        yield Warning("build", f"Whether PostgreSQL {pg.major} builds with OpenSSL {series.series} is not known.",
                      build.milestone.sources if build.milestone else ())
    elif build.since and not setup.pg_minor and build.since != f"{pg.major}.0":
        yield Warning("build", f"PostgreSQL {pg.major} builds with OpenSSL {series.series} from {build.since} on.",
                      build.milestone.sources if build.milestone else ())
    shipped = ctx.release.postgresql
    if shipped and pg.major not in shipped:
        yield Warning("platform", f"{ctx.release.name}'s own repositories ship PostgreSQL {', '.join(shipped)}, "
                      f"not {pg.major}.", ctx.release.postgresql_fact.sources)
    # End of life as of the date the data speaks for, not the build date: same data, same answer.
    if pg.eol and pg.eol <= data.as_of:
        yield Warning("end-of-life", f"PostgreSQL {pg.major} reached its end of life on {pg.eol}.",
                      pg.lifecycle_sources)
    if series.eol and series.eol <= data.as_of:
        yield Warning("end-of-life", f"OpenSSL {series.series} reached its end of life on {series.eol}.",
                      series.lifecycle_sources)
    if recipe is not None and not recipe.reachable:
        yield Warning("unreachable", f"This setup cannot be configured to accept {oldest} and newer as "
                      "requested; see why under protocols.")
    if oldest:
        for protocol in data.protocols[data.protocol_index(oldest):]:
            if protocol.deprecated_by and protocol.id in protocols and protocols[protocol.id].possible:
                yield Warning("insecure-protocol", f"{protocol.name} is deprecated: {protocol.deprecated_by}.",
                              protocol.sources)
    for state in protocols.values():
        if not state.known:
            yield Warning("not-known", f"Whether {state.protocol} is accepted, or can be, is not settled "
                          "on this setup.")
    by_reference = {s.reference: s for state in protocols.values() for s in state.inferred}
    if ctx.release.openssl and ctx.release.openssl_fact.inferred:  # the series the platform is said to ship
        by_reference.update({s.reference: s for s in ctx.release.openssl_fact.sources})
    inferred = tuple(by_reference[ref] for ref in sorted(by_reference))
    if inferred:
        yield Warning("inferred", "Part of this answer rests on inferred facts (read from code or "
                      "documentation, not observed on this setup).", inferred)


def _observations(ctx: Context):
    for obs in ctx.data.observations:
        if obs.pg_major != ctx.pg.major or obs.openssl_series != ctx.series.series or \
                not _observed_on(obs, ctx.release):
            continue
        yield {"file": obs.data_path, "postgresql": obs.pg_version, "openssl": obs.openssl_release,
               "date": obs.date,
               "scenarios": [{"id": s.id, "settings": dict(s.settings),
                              "results": {p: r.outcome for p, r in s.results.items()}}
                             for s in obs.scenarios]}


def _observed_on(obs, release) -> bool:
    """An observation backs a platform release when its build came from that release and the
    server read that release's openssl.cnf exactly when the release's defaults live there
    (a Debian 11 build probed with OPENSSL_CONF=/dev/null says nothing of Debian 11's floor)."""
    uses_cnf = any(fact is not None and fact.set_by == "openssl.cnf"
                   for fact in (release.min_protocol, release.security_level))
    return f"-{release.id}" in obs.name and obs.configured == uses_cnf


def recipe_settings(answer: Answer) -> dict[str, str]:
    """The recipe's postgresql.conf settings, name -> unquoted value (a stable interface for the lab)."""
    return dict(answer.settings)


def recipe_system_steps(answer: Answer) -> tuple[Step, ...]:
    """The recipe's system steps (commands, openssl.cnf lines) as data, in the order config["system"]
    prints them: the lab applies the file steps it can to a copy of the build's openssl.cnf."""
    return answer.system_steps


ANSWER_FLOORS = (None, "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3")


def answer_path(major: str, series: str, platform: str, floor: str | None) -> str:
    return f"answers/postgresql-{major}/openssl-{series}/{platform}/{floor or 'default'}.json"


def all_answers(data: Dataset) -> dict[str, dict]:
    """The published answers: every major x buildable series on the default platform x floor."""
    found = {}
    for pg in data.postgresql:
        for series in data.buildable_series(pg):
            for floor in ANSWER_FLOORS:
                setup = Setup(pg.major, openssl=series.series, platform=DEFAULT_PLATFORM, min_protocol=floor)
                found[answer_path(pg.major, series.series, DEFAULT_PLATFORM, floor)] = \
                    resolve(data, setup).to_json()
    return found


def predict(data: Dataset, setup: Setup, settings: dict[str, str]) -> dict[str, str]:
    """What the server accepts with these postgresql.conf settings: protocol -> accepted | refused |
    not-known (where the data does not settle it).

    For the lab and the observation check: the same layers as resolve(), given settings instead of a recipe.
    """
    ctx = build_context(data, setup)
    return {p: state.outcome for p, state in evaluate(ctx, _applied(settings)).items()}


def predict_without_system_steps(data: Dataset, setup: Setup) -> dict[str, str]:
    """The answer's `after` with only the recipe's postgresql.conf settings in, the system steps
    (openssl.cnf edits) left out: what the lab can prove where it cannot apply a system step
    (a command, or a build that reads no openssl.cnf)."""
    ctx = build_context(data, setup)
    states = _after(ctx, _request_recipe(ctx, setup), evaluate(ctx), system_steps=False)
    return {p: state.outcome for p, state in states.items()}
