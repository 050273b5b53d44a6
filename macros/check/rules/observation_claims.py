"""An observed handshake must not contradict the claims for the build that was probed.

An observation (data/observations/*.yaml) names the PostgreSQL major and the OpenSSL series the
server loaded. For each scenario and protocol whose outcome is `accepted` or `refused`
(`client-cannot-offer` and `client-aborted` are no evidence: the client, not the server, ended
the handshake), the claims predict outcomes, each on its own, and every prediction that differs
from the outcome is an error naming the observation line and the claim line:

Refused, whatever else the data says:
  1. range: the protocol is below `ssl_min_protocol_version` or above `ssl_max_protocol_version`,
     taking each from the scenario's settings or, when the scenario leaves it alone, from its
     claimed default for that major in data/settings/server.yaml (empty: no limit);
  2. PostgreSQL cell `unsupported` or `removed`: no setting brings it back;
  3. OpenSSL cell `unsupported` or `removed`;
  4. OpenSSL cell `off`, unless the scenario lowers the security level to 0 (`@SECLEVEL=0` in
     `ssl_ciphers`). At level 0 an `off` cell predicts nothing: what enables it is free text
     (`enable:`), and for some cells the level is not the whole story (SSL 3.0 in OpenSSL 3.x
     also needs a build option), so an acceptance there is allowed, not required;
  5. in the server-defaults scenario (no settings), PostgreSQL cell `off`. Elsewhere the range
     of 1 speaks for it: every PostgreSQL `off` cell is off through the default floor (its
     `enable:` is `ssl_min_protocol_version`).
Accepted:
  6. OpenSSL cell `on`, when neither 1 nor 2 nor 5 (PostgreSQL's own limits) applies and the
     scenario does not raise the security level above the series' default (a stricter level
     may refuse the certificate itself);
  7. in the server-defaults scenario, PostgreSQL cell `on`: "on by default" is exactly what a
     default server with this build does.
A `conditional` cell counts as `on` when its condition holds for the probed build (OpenSSL
series; `from` against the probed PostgreSQL version or OpenSSL release) and as `off` when it
does not. Predictions are not merged: conflicting claims are other rules' business, and the
observation tells which of them is wrong.

The claims describe each library with its compiled-in defaults. When the server read an
openssl.cnf with lines that change what it accepts (`openssl.conf.relevant_lines`: Debian 11's
`MinProtocol = TLSv1.2` and `CipherString = DEFAULT@SECLEVEL=2`), only the predictions no
configuration file can overturn remain: 1 (PostgreSQL sets its range after reading the file) and
the `unsupported`/`removed` cells of 2 and 3. Such a file legitimately refuses TLS 1.0 on
PostgreSQL 11; that is not a contradiction of the claims.

The ssl_* values the server reported (`in_effect`) for settings a scenario leaves alone must
equal their claimed defaults, since prediction 1 relies on them.
"""

from __future__ import annotations

from dataclasses import dataclass

from macros.check.rules.base import Rule
from macros.model.common import release_key
from macros.model.observations import Observation, ObservedScenario
from macros.model.protocols import Cell

RANGE_SETTINGS = ("ssl_min_protocol_version", "ssl_max_protocol_version")
REFUSING_STATUSES = ("unsupported", "removed")
SHOWN_CHARS = 80  # a reported value is quoted in the message, never at any length


@dataclass(frozen=True)
class Prediction:
    outcome: str  # accepted | refused
    where: str  # path:line of the claim
    claim: str  # the claim in a few words
    config_proof: bool = False  # no openssl.cnf can overturn it


def effective_status(cell: Cell, release: str | None, series: str) -> str | None:
    """on/off/unsupported/removed for the probed build; None when it cannot be told."""
    if cell.status != "conditional":
        return cell.status
    condition = cell.condition
    if condition is None:
        return None
    if not condition.admits_series(series):
        return condition.otherwise or "off"
    if condition.from_release:
        if release is None:
            return None
        return "on" if release_key(release) >= release_key(condition.from_release) else "off"
    return "on"


def claim_text(cell: Cell, status: str | None, observation: Observation) -> str:
    if cell.status != "conditional":
        return cell.status
    verdict = "holds" if status == "on" else "does not hold"
    return (f"conditional, which {verdict} for PostgreSQL {observation.pg_version} with OpenSSL "
            f"{observation.openssl_release or observation.openssl_series}")


def range_predictions(data, major, scenario: ObservedScenario, protocol: str) -> list[Prediction]:
    index = data.protocol_index(protocol)
    found = []
    for name in RANGE_SETTINGS:
        setting = data.setting("server", name)
        rng = setting.range_for(major.major) if setting else None
        if rng is None:
            continue  # no such setting in this major: no range to respect
        if name in scenario.settings:
            value, where = str(scenario.settings[name]), rng.origin.where()
            claim = f"{name} = '{value}' in PostgreSQL {major.major}"
        else:
            value, where = rng.default or "", rng.origin.where("default")
            claim = f"{name} defaults to '{value}' in PostgreSQL {major.major}"
        bound = next((data.protocol_index(p.id) for p in data.protocols if p.pg_value == value), None)
        if bound is None:
            continue  # empty: no limit
        outside = index < bound if name == "ssl_min_protocol_version" else index > bound
        if outside:
            found.append(Prediction("refused", where, claim, config_proof=True))
    return found


def predictions(data, observation: Observation, scenario: ObservedScenario, protocol: str) -> list[Prediction]:
    major = data.pg(observation.pg_major)
    series = data.openssl_series(observation.openssl_series)
    pg_side = range_predictions(data, major, scenario, protocol)
    pg_cell = major.cells.get(protocol)
    if pg_cell:
        status = effective_status(pg_cell, observation.pg_version, observation.openssl_series)
        claim = f"PostgreSQL {major.major} {protocol}: {claim_text(pg_cell, status, observation)}"
        where = pg_cell.origin.where("status")
        if status in REFUSING_STATUSES or (scenario.server_defaults and status == "off"):
            pg_side.append(Prediction("refused", where, claim, status in REFUSING_STATUSES))
        elif scenario.server_defaults and status == "on":
            pg_side.append(Prediction("accepted", where, claim))
    found = list(pg_side)
    ssl_cell = series.cells.get(protocol)
    if ssl_cell:
        status = effective_status(ssl_cell, observation.openssl_release, observation.openssl_series)
        claim = f"OpenSSL {series.series} {protocol}: {claim_text(ssl_cell, status, observation)}"
        where = ssl_cell.origin.where("status")
        level, default_level = scenario.security_level, series.security_level.value
        if status in REFUSING_STATUSES or (status == "off" and level != 0):
            found.append(Prediction("refused", where, claim, status in REFUSING_STATUSES))
        elif status == "on" and not any(p.outcome == "refused" for p in pg_side) and (
                level is None or default_level is None or level <= default_level):
            found.append(Prediction("accepted", where, claim))
    return found


def outcome_problems(data, observation: Observation, scenario: ObservedScenario):
    configured = observation.configured
    for protocol, result in scenario.results.items():
        if not result.is_evidence:
            continue
        for prediction in predictions(data, observation, scenario, protocol):
            if configured and not prediction.config_proof:
                continue
            if prediction.outcome != result.outcome:
                yield result.origin.problem(
                    RULE.name, f"{protocol} was {result.outcome} in scenario '{scenario.id}' "
                    f"({result.origin.where('outcome')}), but {prediction.where} "
                    f"({prediction.claim}) predicts {prediction.outcome}", "outcome")


def default_problems(data, observation: Observation, scenario: ObservedScenario):
    for name, value in scenario.in_effect.items():
        setting = data.setting("server", name)
        rng = setting.range_for(observation.pg_major) if setting else None
        if name in scenario.settings or rng is None or not rng.has_default:
            continue
        claimed = "" if rng.default is None else str(rng.default)
        if str(value) != claimed:
            yield scenario.origin.problem(
                RULE.name, f"PostgreSQL {observation.pg_version} reported {name} = '{shown(value)}' with "
                f"the setting left alone ({scenario.origin.where('in_effect', name)}), but "
                f"{rng.origin.where('default')} claims the default is '{shown(claimed)}'", "in_effect", name)


def shown(value) -> str:
    text = str(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def check(data, tree):
    for observation in data.observations:
        if data.pg(observation.pg_major) is None:
            yield observation.origin.problem(
                RULE.name, f"PostgreSQL {observation.pg_major} has no data file to compare this "
                "observation with", "postgresql", "major")
            continue
        if data.openssl_series(observation.openssl_series) is None:
            yield observation.origin.problem(
                RULE.name, f"OpenSSL {observation.openssl_series} has no data file to compare this "
                "observation with", "openssl", "server_series")
            continue
        for scenario in observation.scenarios:
            yield from default_problems(data, observation, scenario)
            yield from outcome_problems(data, observation, scenario)


RULE = Rule("observation-claims",
            "An observed handshake agrees with the claims for the PostgreSQL major and OpenSSL "
            "series that were probed.", check)
