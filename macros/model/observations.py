"""Handshake observations of real servers: data/observations/<name>.yaml (python -m macros probe)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from macros.load.yamlfile import LoadedFile
from macros.model.common import Origin, Text, text_of


@dataclass(frozen=True)
class HandshakeResult:
    """What happened when the client forced one protocol version."""

    protocol: str
    outcome: str  # accepted | refused | client-cannot-offer
    negotiated: str | None
    cipher: str | None
    error: str | None
    server_log: tuple[str, ...]
    origin: Origin

    @property
    def is_evidence(self) -> bool:
        """client-cannot-offer: no hello was sent, so it says nothing about the server."""
        return self.outcome in ("accepted", "refused")


_SECLEVEL = re.compile(r"@SECLEVEL=(\d)")


@dataclass(frozen=True)
class ObservedScenario:
    id: str
    description: Text
    settings: dict  # postgresql.conf settings of the scenario; {} = server defaults
    in_effect: dict  # ssl_* values the running server reported
    command: str
    results: dict[str, HandshakeResult]  # by protocol id
    origin: Origin

    @property
    def server_defaults(self) -> bool:
        return not self.settings

    @property
    def security_level(self) -> int | None:
        """The OpenSSL security level the scenario sets in ssl_ciphers (@SECLEVEL=N), if any."""
        match = _SECLEVEL.search(str(self.settings.get("ssl_ciphers", "")))
        return int(match.group(1)) if match else None


@dataclass(frozen=True)
class Observation:
    """One probe of a real server build: data/observations/<name>.yaml."""

    name: str
    pg_major: str
    pg_version: str
    pg_version_string: str | None  # SELECT version()
    openssl_series: str  # of the library the server loads
    openssl_release: str | None
    openssl_library: str
    openssl_client: str
    platform: str
    date: str
    scenarios: tuple[ObservedScenario, ...]
    origin: Origin

    @property
    def data_path(self) -> str:
        return f"data/observations/{self.name}.yaml"

    @property
    def protocols(self) -> tuple[str, ...]:
        """The protocols tried, in the order of the first scenario."""
        return tuple(self.scenarios[0].results) if self.scenarios else ()

    def covers(self, protocol: str) -> bool:
        """Whether some scenario got an answer from the server for this protocol."""
        return any(s.results[protocol].is_evidence for s in self.scenarios if protocol in s.results)


def read_observation(name: str, loaded: LoadedFile) -> Observation:
    d = loaded.data
    scenarios = tuple(
        ObservedScenario(
            s["id"], text_of(s["description"]), dict(s["settings"]), dict(s.get("in_effect", {})),
            s["command"],
            {protocol: HandshakeResult(protocol, r["outcome"], r.get("negotiated"), r.get("cipher"),
                                       r.get("error"), tuple(r.get("server_log", ())),
                                       Origin(loaded, ("scenarios", i, "results", protocol)))
             for protocol, r in s["results"].items()},
            Origin(loaded, ("scenarios", i)))
        for i, s in enumerate(d["scenarios"]))
    return Observation(
        name=name, pg_major=d["postgresql"]["major"], pg_version=d["postgresql"]["version"],
        pg_version_string=d["postgresql"].get("version_string"),
        openssl_series=d["openssl"]["server_series"], openssl_release=d["openssl"].get("server_release"),
        openssl_library=d["openssl"]["server_library"], openssl_client=d["openssl"]["client"],
        platform=d["platform"]["pretty_name"], date=d["date"], scenarios=scenarios,
        origin=Origin(loaded, ()))
