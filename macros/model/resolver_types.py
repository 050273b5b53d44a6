"""What the resolver takes and gives: Setup, the per-protocol verdicts, the Answer and its JSON."""

from __future__ import annotations

from dataclasses import dataclass, field

from macros.model.common import Source
from macros.model.platform_releases import Step

DEFAULT_PLATFORM = "upstream"


class ResolveError(ValueError):
    """The setup cannot be answered: unknown version or platform, or a combination that does not build."""


@dataclass(frozen=True)
class Setup:
    pg_major: str
    pg_minor: str | None = None
    openssl: str | None = None
    platform: str = DEFAULT_PLATFORM
    min_protocol: str | None = None
    profile: str | None = None
    upgrade_from: str | None = None


@dataclass(frozen=True)
class Reason:
    """One link of a protocol's chain: which layer says what, and on what evidence."""

    layer: str  # openssl-series | postgresql | postgresql-setting | platform-floor | security-level
    #             | platform-block | precedence | verdict
    text: str
    sources: tuple[Source, ...] = ()

    def to_json(self) -> dict:
        return {"layer": self.layer, "text": self.text, "sources": source_refs(self.sources)}


@dataclass(frozen=True)
class Applied:
    """What a recipe changes; the empty Applied is the platform's defaults."""

    floor: str | None = None          # ssl_min_protocol_version (12 and later)
    ceiling: str | None = None        # ssl_max_protocol_version (12 and later; recipes never set it)
    level: int | None = None          # @SECLEVEL=N in ssl_ciphers
    ciphers: tuple[str, ...] = ()     # a profile's cipher list for ssl_ciphers
    cipher_floor: str | None = None   # before 12: a profile's ciphers shut out older protocols
    system_floor: bool = False        # the platform's floor relaxed by its system steps
    system_blocks: bool = False       # the platform's blocks relaxed by their system steps


@dataclass(frozen=True)
class ProtocolState:
    protocol: str
    accepted: bool
    possible: bool
    known: bool
    why: tuple[Reason, ...]
    inferred: tuple[Source, ...] = ()  # sources of inferred facts that were used
    decided: bool = True  # `accepted` rests on settled facts (`known` also covers `possible`)

    @property
    def outcome(self) -> str:
        """accepted | refused, or not-known where the facts do not settle it."""
        return ("accepted" if self.accepted else "refused") if self.decided else "not-known"

    def to_json(self) -> dict:
        return {"default": "accepted" if self.accepted else "refused", "possible": self.possible,
                "known": self.known, "why": [r.to_json() for r in self.why]}


@dataclass(frozen=True)
class Warning:
    kind: str  # end-of-life | insecure-protocol | inferred | not-known | unreachable | build
    text: str
    sources: tuple[Source, ...] = ()

    def to_json(self) -> dict:
        return {"kind": self.kind, "text": self.text, "sources": source_refs(self.sources)}


@dataclass(frozen=True)
class Check:
    """One verify command and what it must show."""

    protocol: str
    expect: str  # accepted | refused
    command: str

    def to_json(self) -> dict:
        return {"protocol": self.protocol, "expect": self.expect, "command": self.command}


@dataclass(frozen=True)
class Answer:
    """The resolver's answer for one Setup.

    to_json() is a stable interface (the CLI, the JSON API and the lab use it):
      setup         the normalised request: postgresql, postgresql_minor, openssl, platform,
                    min_protocol, profile, upgrade_from
      protocols     protocol id -> {default: "accepted"|"refused", possible: bool, known: bool,
                    why: [{layer, text, sources: [url or "owner/repo path @ ref"]}]}, SSLv2 .. TLSv1.3
      reachable     whether the recipe reaches the request (true when nothing was requested)
      config        {"postgresql.conf": [...], "pg_hba.conf": [...], "system": [...], "client": [...]}
                    plain lines; "system" lines starting with "# " are comments
      settings      the postgresql.conf settings as a name -> value object (unquoted)
      verify        [{protocol, expect: "accepted"|"refused", command}]
      after         null when nothing was requested, else protocol id -> "accepted"|"refused"|
                    "not-known": what the server does once every step of the recipe is applied
                    (the lab checks it on real servers, tests/lab/test_lab_answers.py)
      warnings      [{kind, text, sources}]
      observations  [{file, postgresql, openssl, date, scenarios: [{id, settings, results}]}]
      upgrade       null, or {from, to, settings: [{kind, name, change: added|removed|renamed|default,
                    renamed_to, old_default, new_default, text}], protocols: [{protocol, from, to}],
                    note, actions}
      sources       every source cited above, sorted, once
    """

    setup: Setup
    protocols: dict[str, ProtocolState]
    reachable: bool
    settings: dict[str, str]
    config: dict[str, tuple[str, ...]]
    verify: tuple[Check, ...]
    warnings: tuple[Warning, ...]
    observations: tuple[dict, ...] = ()
    upgrade: dict | None = None
    after: dict[str, ProtocolState] | None = None  # once the recipe is applied; None: nothing asked
    extra_sources: tuple[Source, ...] = field(default=())
    # The recipe's system steps as data, for the lab (macros/lab/openssl_cnf.py applies them);
    # to_json() prints them as config["system"] lines only.
    system_steps: tuple[Step, ...] = ()

    def to_json(self) -> dict:
        s = self.setup
        cited = [src for state in self.protocols.values() for r in state.why for src in r.sources]
        cited += [src for w in self.warnings for src in w.sources] + list(self.extra_sources)
        return {
            "setup": {"postgresql": s.pg_major, "postgresql_minor": s.pg_minor, "openssl": s.openssl,
                      "platform": s.platform, "min_protocol": s.min_protocol, "profile": s.profile,
                      "upgrade_from": s.upgrade_from},
            "protocols": {p: state.to_json() for p, state in self.protocols.items()},
            "reachable": self.reachable,
            "config": {name: list(lines) for name, lines in self.config.items()},
            "settings": dict(self.settings),
            "verify": [c.to_json() for c in self.verify],
            "after": None if self.after is None else {p: state.outcome for p, state in self.after.items()},
            "warnings": [w.to_json() for w in self.warnings],
            "observations": list(self.observations),
            "upgrade": self.upgrade,
            "sources": sorted(set(source_refs(cited))),
        }


def source_refs(sources) -> list[str]:
    """Citations in order, each once."""
    return list(dict.fromkeys(s.reference for s in sources))
