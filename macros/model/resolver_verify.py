"""How to check an answer on the real server (psql, openssl s_client) and what clients need."""

from __future__ import annotations

from macros.model.guide_values import DATABASE, FILES, PORT, SERVER_NAME, STAT_SSL_QUERY, STARTTLS
from macros.model.resolver_layers import Context
from macros.model.resolver_types import Check

CLIENT_LEVEL_CIPHERS = "DEFAULT@SECLEVEL="


def client_level(ctx: Context, protocol: str) -> int | None:
    """The level a client built with the same OpenSSL series must drop to for this protocol, if any."""
    rules = [r for r in ctx.data.level_rules if protocol in r.protocols and r.applies_to(ctx.series.series)]
    default = ctx.series.security_level.value
    if not rules or default is None:
        return None
    limit = min(r.max_level for r in rules)
    return limit if default > limit else None


def _s_client(ctx: Context, protocol: str) -> str | None:
    option = ctx.data.cli_feature(STARTTLS)
    proto = ctx.data.protocol(protocol)
    cell = ctx.series.cells.get(protocol)
    if not option or not option.available_in(ctx.series.series) or not proto.s_client_flag \
            or cell is None or cell.status in ("unsupported", "removed"):
        return None
    level = client_level(ctx, protocol)
    cipher = f" -cipher {CLIENT_LEVEL_CIPHERS}{level}" if level is not None else ""
    return (f"openssl s_client -starttls postgres -connect {SERVER_NAME}:{PORT} {proto.s_client_flag}"
            f"{cipher} -brief < /dev/null")


def _psql(ctx: Context, protocol: str) -> str | None:
    libpq = ctx.data.setting("libpq", "ssl_min_protocol_version")
    if libpq is None or not libpq.exists_in(ctx.pg.major) or not ctx.data.protocol(protocol).pg_value:
        return None
    conninfo = (f"host={SERVER_NAME} port={PORT} dbname={DATABASE} sslmode=verify-full "
                f"sslrootcert={FILES['ca_cert']} ssl_min_protocol_version={protocol} "
                f"ssl_max_protocol_version={protocol}")
    return f'psql "{conninfo}" -c "{STAT_SSL_QUERY}"'


def _client_offers(ctx: Context, protocol: str) -> bool:
    """Whether a client of this series can send it at all (on, or off only by the security level)."""
    cell = ctx.series.cells.get(protocol)
    return cell is not None and (cell.status == "on" or (cell.status == "off" and client_level(ctx, protocol)
                                                          is not None))


def verify_checks(ctx: Context, oldest: str | None, after) -> tuple[Check, ...]:
    """The oldest protocol that must get in, and the one below it that must not, where the server
    (`after`: each protocol's state once the recipe is applied) is known to refuse it."""
    target = oldest or next((p for p, s in after.items() if s.accepted), None)
    if target is None:
        return ()
    index = ctx.index(target)
    checks = [Check(target, "accepted", c) for c in (_psql(ctx, target), _s_client(ctx, target)) if c]
    below = ctx.data.protocols[index - 1].id if index > 0 else None
    refused = below is not None and after[below].decided and not after[below].accepted
    command = _s_client(ctx, below) if refused and _client_offers(ctx, below) else None
    if command:
        checks.append(Check(below, "refused", command))
    return tuple(checks)


def client_lines(ctx: Context, oldest: str, server_changed: bool) -> tuple[str, ...]:
    """libpq parameters and the client OpenSSL caveat; nothing when the client needs no change."""
    libpq = ctx.data.setting("libpq", "ssl_min_protocol_version")
    found = libpq.range_for(ctx.pg.major) if libpq else None
    params = f"sslmode=verify-full sslrootcert={FILES['ca_cert']}"
    lowers = found is not None and found.default and ctx.index(oldest) < ctx.index(found.default)
    level = client_level(ctx, oldest)
    if not (server_changed or lowers or level is not None):
        return ()
    lines = [f"{params} ssl_min_protocol_version={oldest}" if lowers else params]
    if found is None:
        lines.append(f"# libpq {ctx.pg.major} has no ssl_min_protocol_version: the client's OpenSSL sets its floor.")
    if level is not None:
        lines.append(f"# A client built with OpenSSL {ctx.series.series} offers {oldest} only at security level "
                     f"{level}; libpq has no cipher parameter, so run it with OPENSSL_CONF naming a file whose "
                     f"[system_default_sect] has CipherString = DEFAULT:@SECLEVEL={level}.")
    return tuple(lines)
