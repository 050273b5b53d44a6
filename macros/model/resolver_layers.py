"""The layers that decide whether a server accepts one protocol version, from the data.

In the order OpenSSL and PostgreSQL apply them: what the OpenSSL series can do at all, what
PostgreSQL always refuses, the protocol floor (PostgreSQL's setting, or before 12 the platform's
openssl.cnf / crypto policy), the security level (series default, platform, or @SECLEVEL in
ssl_ciphers) and what the platform blocks beyond PostgreSQL's reach. evaluate() runs them for the
defaults (an empty Applied) or for a recipe, so a recipe is checked by the same code that explains.
"""

from __future__ import annotations

from dataclasses import dataclass

from macros.core.versions import pg_release_key
from macros.model.common import Source
from macros.model.dataset import Dataset
from macros.model.openssl import OpenSSLSeries
from macros.model.platform_releases import LevelRule, PlatformRelease
from macros.model.postgresql import PostgresMajor
from macros.model.resolver_types import Applied, ProtocolState, Reason


@dataclass(frozen=True)
class Context:
    data: Dataset
    pg: PostgresMajor
    pg_minor: str | None
    series: OpenSSLSeries
    release: PlatformRelease
    default_floor: str | None  # ssl_min_protocol_version's default; None: no such setting

    @property
    def has_floor_setting(self) -> bool:
        return self.default_floor is not None

    @property
    def default_level(self) -> int | None:
        fact = self.release.security_level
        return fact.value if fact is not None else self.series.security_level.value

    def level_origin(self) -> tuple[str, tuple[Source, ...]]:
        fact = self.release.security_level
        if fact is not None:
            return f"{fact.set_by} on {self.release.name}", fact.sources
        return f"the default of OpenSSL {self.series.series}", self.series.security_level.sources

    def index(self, protocol: str) -> int:
        return self.data.protocol_index(protocol)

    def level_rules(self, protocol: str) -> list[LevelRule]:
        upstream = [r for r in self.data.level_rules if protocol in r.protocols and r.applies_to(self.series.series)]
        return upstream + [r for r in self.release.level_rules if protocol in r.protocols]

    def max_level(self, protocol: str) -> LevelRule | None:
        """The strictest rule for this protocol: the highest level it works at."""
        rules = self.level_rules(protocol)
        return min(rules, key=lambda r: (r.max_level, r.known)) if rules else None


class _Chain:
    """Collects the reasons of one protocol and what they imply."""

    def __init__(self):
        self.why: list[Reason] = []
        self.refused_by: list[str] = []
        self.refused_surely = False  # some layer refuses on settled facts
        self.impossible = False
        self.unknown = False
        self.inferred: list[Source] = []

    def add(self, layer: str, text: str, sources=(), refuses=False, impossible=False, unknown=False,
            inferred=False):
        self.why.append(Reason(layer, text, tuple(sources)))
        if refuses or impossible:
            self.refused_by.append(layer)
            self.refused_surely |= not unknown
        self.impossible |= impossible
        self.unknown |= unknown
        if inferred:  # True: every source of this reason; a tuple: just those
            self.inferred.extend(sources if inferred is True else inferred)


def _openssl_layer(ctx: Context, protocol: str, chain: _Chain) -> None:
    series = ctx.series
    cell = series.cells.get(protocol)
    name = f"OpenSSL {series.series}"
    if cell is None or cell.status in ("unsupported", "removed"):
        chain.add("openssl-series", f"{name} does not implement {protocol}.",
                  cell.sources if cell else (), impossible=True)
        return
    if cell.status == "off" and ctx.max_level(protocol) is None:
        chain.add("openssl-series", f"{name} has {protocol} off at build time; no PostgreSQL or "
                  "configuration setting turns it on.", cell.sources, impossible=True)
        return
    chain.add("openssl-series", f"{name} implements {protocol}.", cell.sources, inferred=cell.inferred)


def _postgresql_layer(ctx: Context, protocol: str, chain: _Chain) -> None:
    cell = ctx.pg.cells.get(protocol)
    name = f"PostgreSQL {ctx.pg.major}"
    if cell is None:
        chain.add("postgresql", f"The data of {name} says nothing about {protocol}.", unknown=True)
        return
    if cell.status == "unsupported":
        chain.add("postgresql", f"{name} always refuses {protocol}.", cell.sources, impossible=True)
        return
    condition = cell.condition
    if condition is None or cell.status != "conditional":
        return
    otherwise = getattr(condition, "otherwise", None)
    if not condition.admits_series(ctx.series.series) and otherwise == "unsupported":
        chain.add("postgresql", f"{name} cannot use {protocol} with OpenSSL {ctx.series.series}.",
                  cell.sources, impossible=True, inferred=cell.inferred)
    elif condition.from_release:
        _from_release(ctx, protocol, cell, otherwise, chain)


def _from_release(ctx: Context, protocol: str, cell, otherwise, chain: _Chain) -> None:
    since = cell.condition.from_release
    if ctx.pg_minor is None:
        chain.add("postgresql", f"{protocol} needs {since} or later (assumed: the newest minor release).",
                  cell.sources, inferred=cell.inferred)
    elif pg_release_key(ctx.pg_minor) < pg_release_key(since):
        known = otherwise is not None
        chain.add("postgresql", f"{ctx.pg_minor} is older than {since}, the first release with {protocol}"
                  + ("." if known else "; what it does without it is not known."),
                  cell.sources, impossible=True, unknown=not known)


def _floor_layer(ctx: Context, protocol: str, applied: Applied, chain: _Chain) -> None:
    precedence = ctx.data.precedence
    below = lambda floor: ctx.index(protocol) < ctx.index(floor)  # noqa: E731
    if ctx.has_floor_setting:
        floor = applied.floor or ctx.default_floor
        setting = ctx.data.setting("server", "ssl_min_protocol_version")
        where = "set" if applied.floor else f"the default in {ctx.pg.major}"
        verdict = "refuses" if below(floor) else "allows"
        chain.add("postgresql-setting", f"ssl_min_protocol_version = '{floor}' ({where}) {verdict} {protocol}.",
                  setting.range_for(ctx.pg.major).sources or setting.sources, refuses=below(floor))
        if applied.ceiling and ctx.index(protocol) > ctx.index(applied.ceiling):
            chain.add("postgresql-setting", f"ssl_max_protocol_version = '{applied.ceiling}' refuses {protocol}.",
                      refuses=True)
        platform_floor = ctx.release.min_protocol.value
        if platform_floor and below(platform_floor) and "floor" in precedence:
            chain.add("precedence", precedence["floor"].text["en"], precedence["floor"].sources)
        return
    chain.add("postgresql-setting", f"PostgreSQL {ctx.pg.major} has no protocol setting "
              "(ssl_min_protocol_version arrived in 12).",
              precedence["no-setting"].sources if "no-setting" in precedence else ())
    if applied.cipher_floor and below(applied.cipher_floor):
        chain.add("postgresql-setting", f"The profile's ssl_ciphers has no cipher suite for {protocol}.",
                  refuses=True)
    _platform_floor(ctx, protocol, applied, chain)


def _platform_floor(ctx: Context, protocol: str, applied: Applied, chain: _Chain) -> None:
    fact = ctx.release.min_protocol
    if not fact.value or ctx.index(protocol) >= ctx.index(fact.value):
        return
    relaxed = applied.system_floor and fact.relax
    if relaxed:
        chain.add("platform-floor", f"The system step lowers the {fact.set_by} floor ({fact.value}) of "
                  f"{ctx.release.name}.", fact.sources, inferred=fact.relax_inferred or fact.inferred)
        return
    fixable = bool(fact.relax)
    chain.add("platform-floor", f"The {fact.set_by} of {ctx.release.name} sets MinProtocol {fact.value}, "
              f"which refuses {protocol}" + ("." if fixable else "; no documented system step lowers it."),
              fact.sources, refuses=True, impossible=not fixable, unknown=not fixable,
              inferred=fact.inferred)


def _level_layer(ctx: Context, protocol: str, applied: Applied, chain: _Chain) -> None:
    rule = ctx.max_level(protocol)
    level = applied.level if applied.level is not None else ctx.default_level
    if rule is None or level is None:
        return
    precedence = ctx.data.precedence.get("level")
    fact = ctx.release.security_level
    if applied.level is not None:
        origin, sources = "@SECLEVEL in ssl_ciphers", precedence.sources if precedence else ()
    else:
        origin, sources = ctx.level_origin()
    inferred = (rule.sources if rule.inferred else ()) + \
        (fact.sources if applied.level is None and fact is not None and fact.inferred else ())
    sources = tuple(sources) + rule.sources
    if level <= rule.max_level:
        chain.add("security-level", f"Security level {level} ({origin}) allows {protocol} "
                  f"(it works up to level {rule.max_level}).", sources, inferred=inferred)
        return
    if rule.known:
        chain.add("security-level", f"Security level {level} ({origin}) refuses {protocol}: it works only "
                  f"at level {rule.max_level} or below.", sources, refuses=True, inferred=inferred)
    else:
        chain.add("security-level", f"At security level {level} ({origin}) whether {protocol} works is not "
                  f"known; level {rule.max_level} is the safe side.", sources, refuses=True, unknown=True)
    if precedence and fact is not None:
        chain.add("precedence", precedence.text["en"], precedence.sources)


def _block_layer(ctx: Context, protocol: str, applied: Applied, chain: _Chain) -> None:
    for block in ctx.release.blocks:
        if protocol not in block.protocols:
            continue
        note = f" {block.note['en']}" if block.note else ""
        if applied.system_blocks and block.relax:
            chain.add("platform-block", f"The system step relaxes {block.by} on {ctx.release.name}."
                      + ("" if block.known_after_relax else f" Whether {protocol} then works is not known."),
                      block.sources, unknown=not block.known_after_relax, inferred=block.inferred)
            continue
        chain.add("platform-block", f"{ctx.release.name} refuses {protocol} through {block.by}; no "
                  f"PostgreSQL setting overrides it.{note}", block.sources, refuses=True,
                  impossible=not block.relax, unknown=not block.known_after_relax, inferred=block.inferred)


def _verdict(chain: _Chain, protocol: str) -> str:
    if not chain.refused_by:
        return f"{protocol} is accepted: no layer refuses it."
    layers = ", ".join(dict.fromkeys(chain.refused_by))
    return f"{protocol} is refused; deciding layer(s): {layers}."


def evaluate_one(ctx: Context, protocol: str, applied: Applied) -> _Chain:
    chain = _Chain()
    _openssl_layer(ctx, protocol, chain)
    _postgresql_layer(ctx, protocol, chain)
    if chain.impossible:  # the layers below cannot bring it back
        return chain
    _floor_layer(ctx, protocol, applied, chain)
    _level_layer(ctx, protocol, applied, chain)
    _block_layer(ctx, protocol, applied, chain)
    return chain


def most_open(ctx: Context, protocol: str) -> Applied:
    """Everything a recipe may change, opened as far as it goes for this protocol."""
    rule = ctx.max_level(protocol)
    level = rule.max_level if rule and ctx.default_level is not None and ctx.default_level > rule.max_level \
        else None
    return Applied(floor=protocol if ctx.has_floor_setting else None, level=level, system_floor=True,
                   system_blocks=True)


def _settled(chain: _Chain) -> bool:
    """Accepted on settled facts only, or refused by at least one settled fact."""
    return chain.refused_surely if chain.refused_by else not chain.unknown


def state(ctx: Context, protocol: str, applied: Applied) -> ProtocolState:
    chain = evaluate_one(ctx, protocol, applied)
    best = evaluate_one(ctx, protocol, most_open(ctx, protocol))
    possible = not best.refused_by
    known = _settled(chain) and _settled(best)
    why = list(chain.why) + [Reason("verdict", _verdict(chain, protocol))]
    if chain.refused_by and not possible:
        why.append(Reason("verdict", f"{protocol} cannot be enabled on this setup."))
    elif not known:
        why.append(Reason("verdict", "Not known: see the reasons above."))
    return ProtocolState(protocol, not chain.refused_by, possible, known, tuple(why),
                         tuple(chain.inferred), _settled(chain))


def evaluate(ctx: Context, applied: Applied = Applied()) -> dict[str, ProtocolState]:
    return {p.id: state(ctx, p.id, applied) for p in ctx.data.protocols}
