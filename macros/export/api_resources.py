"""API v1 resources beyond the whole-subject documents: one file per PostgreSQL major, per OpenSSL
series and per observation (an ETag-friendly layout: a program fetches only what it watches)."""

from __future__ import annotations

from macros.export.context import ExportContext
from macros.model.dataset import Dataset
from macros.model.observations import Observation, ObservedScenario
from macros.load.i18n import localize

# Each kind of resource: its folder under /api/v1/, its schema, and the key its body sits under.
PER_VERSION = {"postgresql": ("postgresql-major", "major"), "openssl": ("openssl-series", "series")}
OBSERVATIONS = "observations"


def resource_path(folder: str, name: str) -> str:
    return f"{folder}/{name}.json"


def per_version(product: str, versions: list[dict]) -> dict[str, dict]:
    """{path: body} for each version of a product, from the subject document's entries."""
    _, key = PER_VERSION[product]
    return {resource_path(product, entry[key]): {key: entry} for entry in versions}


def observation(obs: Observation, context: ExportContext) -> dict:
    return {
        "name": obs.name, "page": context.url("observed/"), "data_file": obs.data_path, "date": obs.date,
        "platform": obs.platform,
        "postgresql": {"major": obs.pg_major, "version": obs.pg_version, "version_string": obs.pg_version_string},
        "openssl": {"series": obs.openssl_series, "release": obs.openssl_release,
                    "library": obs.openssl_library, "client": obs.openssl_client},
        "scenarios": [_scenario(s) for s in obs.scenarios],
    }


def _scenario(scenario: ObservedScenario) -> dict:
    return {
        "id": scenario.id, "description": localize(scenario.description) or None,
        "server_defaults": scenario.server_defaults,
        "settings": {k: _scalar(v) for k, v in sorted(scenario.settings.items())},
        "in_effect": {k: _scalar(v) for k, v in sorted(scenario.in_effect.items())},
        "command": scenario.command,
        "results": [{"protocol": r.protocol, "outcome": r.outcome, "negotiated": r.negotiated,
                     "cipher": r.cipher, "error": r.error, "server_log": list(r.server_log)}
                    for r in scenario.results.values()],
    }


def _scalar(value) -> str | int | float | bool | None:
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def observations(data: Dataset, context: ExportContext) -> dict[str, dict]:
    return {resource_path(OBSERVATIONS, obs.name): {"observation": observation(obs, context)}
            for obs in data.observations}
