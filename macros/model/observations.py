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
    outcome: str  # accepted | refused | client-aborted | client-cannot-offer
    negotiated: str | None
    cipher: str | None
    error: str | None
    server_log: tuple[str, ...]
    origin: Origin
    client: str | None = None  # SSL 2.0/3.0: the client that made the offer

    @property
    def is_evidence(self) -> bool:
        """Only what the server decided counts. client-cannot-offer: no hello was sent;
        client-aborted: the client gave up on its own. Neither says anything about the server."""
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
class OpensslConf:
    """The openssl.cnf the server read: none (compiled-in defaults) or a file."""

    in_effect: str  # compiled-in default | file
    how: str
    path: str | None
    origin_package: str | None
    relevant_lines: tuple[str, ...]

    @property
    def changes_tls(self) -> bool:
        """A file with lines that change what a TLS server accepts (MinProtocol, CipherString…):
        the observation shows that configuration, not the library's own defaults."""
        return self.in_effect == "file" and bool(self.relevant_lines)


@dataclass(frozen=True)
class BuildSource:
    id: str | None
    source: str
    description: Text | None
    packages: tuple[str, ...]  # "deb postgresql-15=15.18-0+deb12u1 (bookworm)"
    patches: tuple[str, ...]


def _conf(d: dict | None) -> OpensslConf | None:
    if d is None:
        return None
    return OpensslConf(d["in_effect"], d["how"], d.get("path"), d.get("origin"),
                       tuple(d.get("relevant_lines", ())))


def _package_label(p: dict) -> str:
    joiner = "@" if p["kind"] == "npm" else "==" if p["kind"] == "wheel" else "="
    suite = f" ({p['suite']})" if p.get("suite") else ""
    return f"{p['kind']} {p['name']}{joiner}{p['version']}{suite}"


def _build(d: dict | None) -> BuildSource | None:
    if d is None:
        return None
    return BuildSource(d.get("id"), d["source"], text_of(d.get("description")),
                       tuple(_package_label(p) for p in d.get("packages", ())), tuple(d.get("patches", ())))


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
    conf: OpensslConf | None = None  # None: not recorded (older files)
    build: BuildSource | None = None
    host: str | None = None  # the machine that probed, when recorded

    @property
    def configured(self) -> bool:
        """The server read an openssl.cnf that changes what it accepts: the observation shows
        that configuration, not the library's compiled-in defaults the claims describe."""
        return self.conf is not None and self.conf.changes_tls

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
                                       Origin(loaded, ("scenarios", i, "results", protocol)), r.get("client"))
             for protocol, r in s["results"].items()},
            Origin(loaded, ("scenarios", i)))
        for i, s in enumerate(d["scenarios"]))
    return Observation(
        name=name, pg_major=d["postgresql"]["major"], pg_version=d["postgresql"]["version"],
        pg_version_string=d["postgresql"].get("version_string"),
        openssl_series=d["openssl"]["server_series"], openssl_release=d["openssl"].get("server_release"),
        openssl_library=d["openssl"]["server_library"], openssl_client=d["openssl"]["client"],
        platform=d["platform"]["pretty_name"], date=d["date"], scenarios=scenarios,
        origin=Origin(loaded, ()), conf=_conf(d["openssl"].get("conf")), build=_build(d.get("build")),
        host=d["host"]["pretty_name"] if "host" in d else None)
