"""The probe's scenarios: sets of postgresql.conf settings, each tried only on majors that have
every setting it names (data/settings/server.yaml: ssl_min_protocol_version came in 12)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from macros.load.yamlfile import load_file
from macros.model.settings import read_settings

SERVER_SETTINGS = Path(__file__).resolve().parents[2] / "data" / "settings" / "server.yaml"


@dataclass(frozen=True)
class Scenario:
    id: str
    description: str
    settings: dict = field(default_factory=dict)


SCENARIOS = (
    Scenario("defaults", "Only ssl = on: the server's own defaults for every other setting."),
    Scenario("seclevel-0", "Security level 0 in ssl_ciphers; protocol settings untouched.",
             {"ssl_ciphers": "DEFAULT:@SECLEVEL=0"}),
    Scenario("min-tlsv1", "Lowest protocol setting only; OpenSSL's security level untouched.",
             {"ssl_min_protocol_version": "TLSv1"}),
    Scenario("min-tlsv1-seclevel-0", "Lowest protocol setting and security level 0 in ssl_ciphers.",
             {"ssl_min_protocol_version": "TLSv1", "ssl_ciphers": "DEFAULT:@SECLEVEL=0"}),
    Scenario("min-tlsv1-seclevel-1", "Lowest protocol setting and security level 1 "
             "(the upstream OpenSSL 3.0 default) in ssl_ciphers.",
             {"ssl_min_protocol_version": "TLSv1", "ssl_ciphers": "DEFAULT:@SECLEVEL=1"}),
    Scenario("max-tlsv1.2", "Highest protocol capped at TLS 1.2.",
             {"ssl_max_protocol_version": "TLSv1.2"}),
    Scenario("min-tlsv1.3", "TLS 1.3 only.", {"ssl_min_protocol_version": "TLSv1.3"}),
)


@lru_cache(maxsize=None)
def _server_settings(path: Path = SERVER_SETTINGS) -> tuple:
    return tuple(read_settings(load_file(path)))


def setting_exists(name: str, major: str) -> bool:
    """Whether the settings data says PostgreSQL `major` has this server setting."""
    setting = next((s for s in _server_settings() if s.name == name), None)
    return setting is not None and setting.exists_in(major)


def scenarios_for(major: str, scenarios=SCENARIOS) -> list[Scenario]:
    """The scenarios whose every setting exists in `major`."""
    return [s for s in scenarios if all(setting_exists(name, major) for name in s.settings)]
