"""The resolver (macros/model/resolver.py): every combination resolves, its properties hold, and
a handful of hand-checked answers stay as they are (tests/golden/answers/)."""

from __future__ import annotations

import json

import pytest

from macros.model.recipes import floor_recipe, profile_recipe, system_lines
from macros.model.resolver import (
    build_context,
    predict,
    recipe_settings,
    recipe_system_steps,
    resolve,
)
from macros.model.resolver_layers import evaluate
from macros.model.resolver_types import ResolveError, Setup


def combinations(data):
    """major x buildable series x platform (that ships it, or names none) x floor (none or each protocol)."""
    floors = [None] + [p.id for p in data.protocols]
    for pg in data.postgresql:
        for series in data.buildable_series(pg):
            for release in data.releases:
                if release.openssl not in (None, series.series):
                    continue
                for floor in floors:
                    yield Setup(pg.major, openssl=series.series, platform=release.id, min_protocol=floor)


@pytest.fixture(scope="module")
def answers(dataset):
    return [(setup, resolve(dataset, setup)) for setup in combinations(dataset)]


def test_every_combination_resolves(answers):
    assert len(answers) > 1000  # every major, series, platform and floor: not a handful
    for _, answer in answers:
        json.dumps(answer.to_json())  # plain JSON all the way down


def test_a_protocol_the_series_lacks_is_never_possible(dataset, answers):
    for setup, answer in answers:
        series = dataset.openssl_series(setup.openssl)
        for protocol, state in answer.protocols.items():
            cell = series.cells.get(protocol)
            if cell is None or cell.status in ("unsupported", "removed"):
                assert not state.possible, (setup, protocol)


def test_a_recipe_names_only_settings_the_major_has(dataset, answers):
    for setup, answer in answers:
        for name in recipe_settings(answer):
            setting = dataset.setting("server", name)
            assert setting is not None and setting.exists_in(setup.pg_major), (setup, name)
        if not dataset.setting("server", "ssl_min_protocol_version").exists_in(setup.pg_major):
            assert "ssl_min_protocol_version" not in recipe_settings(answer)


def test_no_change_when_the_defaults_already_allow_the_floor(answers):
    for setup, answer in answers:
        if setup.min_protocol is None:
            continue
        wanted = [p for p, s in answer.protocols.items()
                  if list(answer.protocols).index(p) >= list(answer.protocols).index(setup.min_protocol)
                  and s.possible]
        if all(answer.protocols[p].accepted for p in wanted) and answer.protocols[setup.min_protocol].accepted:
            assert not any(answer.config.values()), setup


def test_a_reached_floor_accepts_every_protocol_it_asked_for(dataset, answers):
    for setup, answer in answers:
        if setup.min_protocol is None or not answer.reachable:
            continue
        ctx = build_context(dataset, setup)
        after = evaluate(ctx, floor_recipe(ctx, setup.min_protocol).applied)
        assert after[setup.min_protocol].accepted, setup
        assert answer.protocols[setup.min_protocol].possible, setup


def test_the_settings_alone_do_what_the_recipe_says_where_no_system_step_is_needed(dataset, answers):
    # What the lab applies to a real server is recipe_settings(answer): it must be the whole story.
    for setup, answer in answers[::7]:
        if setup.min_protocol is None or answer.config["system"] or not answer.reachable:
            continue
        ctx = build_context(dataset, setup)
        expected = {p: "accepted" if s.accepted else "refused"
                    for p, s in evaluate(ctx, floor_recipe(ctx, setup.min_protocol).applied).items()}
        assert predict(dataset, setup, recipe_settings(answer)) == expected, setup


def test_a_profile_recipe_reaches_exactly_its_protocols(dataset):
    checked = 0
    for setup in combinations(dataset):
        if setup.min_protocol is not None:
            continue
        ctx = build_context(dataset, setup)
        for profile in dataset.profiles:
            recipe = profile_recipe(ctx, profile)
            if not recipe.reachable:
                continue
            checked += 1
            after = evaluate(ctx, recipe.applied)
            start = dataset.protocol_index(profile.min_protocol)
            best = evaluate(ctx)  # possible is the same with or without a recipe
            expected = {p for i, p in enumerate(after) if i >= start and best[p].possible}
            assert {p for p, s in after.items() if s.accepted} == expected, (setup, profile.id)
    assert checked > 500


def test_observations_agree_with_the_layers(dataset):
    """Where the data settles a protocol, a real server on that platform did the same."""
    compared = 0
    for observation in dataset.observations:
        platform = observation.name.split(f"-openssl-{observation.openssl_series}-", 1)[-1]
        if dataset.release(platform) is None:
            continue  # a build of its own (a wheel, a configured openssl.cnf): no platform release to check
        setup = Setup(observation.pg_major, openssl=observation.openssl_series, platform=platform)
        for scenario in observation.scenarios:
            if set(scenario.settings) - {"ssl_min_protocol_version", "ssl_max_protocol_version", "ssl_ciphers"}:
                continue
            predicted = predict(dataset, setup, {k: str(v) for k, v in scenario.settings.items()})
            for protocol, result in scenario.results.items():
                if result.is_evidence and predicted[protocol] != "not-known":
                    compared += 1
                    assert predicted[protocol] == result.outcome, (observation.name, scenario.id, protocol)
    assert compared > 20


def test_the_observed_recipe_is_backed_by_its_observation(dataset):
    answer = resolve(dataset, Setup("15", openssl="3.0", platform="debian-12", min_protocol="TLSv1"))
    observed = answer.to_json()["observations"]
    assert [o["file"] for o in observed] == ["data/observations/postgresql-15-openssl-3.0-debian-12.yaml"]
    # The very settings of the recipe were tried on a real server, and let TLS 1.0 and 1.1 in.
    scenario = next(s for s in observed[0]["scenarios"] if s["settings"] == recipe_settings(answer))
    assert scenario["results"]["TLSv1"] == scenario["results"]["TLSv1.1"] == "accepted"


@pytest.mark.parametrize("setup, message", [
    (Setup("42", openssl="3.0"), "unknown PostgreSQL major '42'"),
    (Setup("16", openssl="3.0", platform="solaris"), "unknown platform 'solaris'"),
    (Setup("18", openssl="1.0.2"), "PostgreSQL 18 does not build with OpenSSL 1.0.2"),
    (Setup("16"), "upstream does not imply an OpenSSL series"),
    (Setup("16", platform="debian-13"), "debian-13 does not imply an OpenSSL series"),
    (Setup("16", openssl="3.5", platform="debian-12"), "ships OpenSSL 3.0, not 3.5"),
    (Setup("16", openssl="9.9"), "unknown OpenSSL series '9.9'"),
    (Setup("16", openssl="3.0", profile="paranoid"), "unknown profile 'paranoid'"),
    (Setup("16", openssl="3.0", min_protocol="TLSv1.0"), "unknown protocol 'TLSv1.0'"),
    (Setup("16", "15.2", openssl="3.0"), "15.2 is not a release of PostgreSQL 16"),
    (Setup("15", "15.5", openssl="3.2"), "15.6 is the first release that does"),
    (Setup("16", openssl="3.0", upgrade_from="7"), "unknown PostgreSQL major '7'"),
])
def test_refusals_are_one_clear_line(dataset, setup, message):
    with pytest.raises(ResolveError) as raised:
        resolve(dataset, setup)
    assert message in str(raised.value) and "\n" not in str(raised.value)


def test_rhel_9_legacy_tls_is_marked_not_known(dataset):
    answer = resolve(dataset, Setup("14", platform="rhel-9", min_protocol="TLSv1.1"))
    state = answer.protocols["TLSv1.1"]
    assert not state.accepted and state.possible and not state.known
    assert "update-crypto-policies --set LEGACY" in answer.config["system"]
    assert any(w.kind == "not-known" for w in answer.warnings)


def test_before_12_the_floor_is_a_system_step(dataset):
    answer = resolve(dataset, Setup("11", platform="debian-11", min_protocol="TLSv1"))
    assert "ssl_min_protocol_version" not in recipe_settings(answer)
    assert "MinProtocol = TLSv1" in answer.config["system"]


def test_the_system_lines_are_the_system_steps_printed(answers):
    # The lab applies recipe_system_steps(answer); the reader copies config["system"]: the same steps.
    with_steps = 0
    for setup, answer in answers:
        steps = recipe_system_steps(answer)
        with_steps += bool(steps)
        assert system_lines(steps) == answer.config["system"], setup
    assert with_steps > 20  # Debian 11 before 12, RHEL's crypto policies, ...: not a handful


def test_the_system_steps_are_the_platforms_own(dataset):
    answer = resolve(dataset, Setup("11", platform="debian-11", profile="legacy"))
    assert recipe_system_steps(answer) == dataset.release("debian-11").min_protocol.relax
    assert recipe_system_steps(resolve(dataset, Setup("11", platform="debian-11"))) == ()


def test_ubuntu_needs_the_level_lowered_not_only_the_floor(dataset):
    answer = resolve(dataset, Setup("12", platform="ubuntu-20.04", min_protocol="TLSv1"))
    assert recipe_settings(answer) == {"ssl_ciphers": "DEFAULT:@SECLEVEL=1"}


GOLDEN = {
    "pg15-openssl3.0-debian-12-min-tlsv1": Setup("15", openssl="3.0", platform="debian-12", min_protocol="TLSv1"),
    "pg14-rhel-9-min-tlsv1.1": Setup("14", platform="rhel-9", min_protocol="TLSv1.1"),
    "pg11-debian-11-min-tlsv1": Setup("11", platform="debian-11", min_protocol="TLSv1"),
    "pg16-openssl3.5-upstream-defaults": Setup("16", openssl="3.5"),
    "pg16-openssl1.1.1-upgrade-from-11-min-tlsv1": Setup("16", openssl="1.1.1", min_protocol="TLSv1",
                                                           upgrade_from="11"),
    "pg16-openssl3.0-profile-legacy": Setup("16", openssl="3.0", profile="legacy"),
}


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_answers(dataset, golden, name):
    answer = resolve(dataset, GOLDEN[name]).to_json()
    golden(f"answers/{name}.json", json.dumps(answer, indent=2, ensure_ascii=False) + "\n")


def test_the_answer_is_deterministic(dataset):
    setup = GOLDEN["pg14-rhel-9-min-tlsv1.1"]
    assert json.dumps(resolve(dataset, setup).to_json()) == json.dumps(resolve(dataset, setup).to_json())


def test_the_answer_does_not_depend_on_the_build_date(dataset, monkeypatch):
    # End of life is judged as of the data's date (Dataset.as_of), so a later build publishes the same.
    setup = GOLDEN["pg16-openssl3.0-profile-legacy"]
    before = json.dumps(resolve(dataset, setup).to_json())
    monkeypatch.setenv("TLSKB_TODAY", "2031-01-01")
    assert json.dumps(resolve(dataset, setup).to_json()) == before
