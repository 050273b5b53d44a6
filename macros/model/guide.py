"""The setup guide of one PostgreSQL major, as data: every snippet a reader copies.

Built from the dataset only: server settings, libpq parameters and pg_hba.conf options per
major, the OpenSSL series the major builds with, and the guide registries (openssl-cli,
profiles, features, messages, platforms). templates/guide*.md.j2 print these objects, and the
tests check these same objects (and run them against a real server), so what a reader copies
is what was checked.

The example names below (db.example.com, app, ...) are placeholders of the guide, not facts.
"""

from __future__ import annotations

import re

from macros.core.versions import openssl_key
from macros.model.dataset import Dataset
from macros.model.guide_commands import (
    apply_commands,
    ca_commands,
    client_commands,
    command,
    install_commands,
    psql_table,
    root_owned_command,
    server_commands,
    verify_command,
)
from macros.model.guide_types import (
    Connection,
    GuideSnippets,
    OpenSSLTab,
    ProfileSnippet,
    TabContent,
    Trouble,
)
from macros.model.guide_values import (
    ADDEXT,
    CERT_USER,
    DATABASE,
    FILES,
    MESSAGE_VALUES,
    MODERN_PROFILE,
    NETWORKS,
    NOENC,
    OLD_PASSWORD_METHOD,
    PASSWORD_USER,
    PORT,
    RECOMMENDED_PROFILE,
    ROOT_OWNED_KEY,
    SCRAM,
    SECLEVEL,
    SERVER_NAME,
    SSLINFO_QUERY,
    SSLINFO_SETUP,
    STARTTLS,
    STAT_SSL,
    STAT_SSL_QUERY,
    SYSTEM_ROOT_CERT,
)
from macros.model.openssl import OpenSSLSeries
from macros.model.postgresql import PostgresMajor
from macros.model.protocols import Protocol
from macros.model.recipes import profile_recipe
from macros.model.registries import (
    CliFeature,
    Feature,
    Profile,
)
from macros.model.resolver import build_context
from macros.model.resolver_types import Setup
from macros.model.settings import Setting, SettingRange

# ---------------------------------------------------------------- the guide's example setup


# ---------------------------------------------------------------- what the guide needs from the data


# ---------------------------------------------------------------- the snippet objects


# ---------------------------------------------------------------- building

def guide_snippets(data: Dataset, major_name: str) -> GuideSnippets:
    major = data.pg(major_name)
    if major is None:
        raise KeyError(f"no data file for PostgreSQL {major_name}")
    floor_setting = _setting_in(data, "server", "ssl_min_protocol_version", major.major)
    ssl_apply = required_range(data, "server", "ssl", major.major).apply
    password_method = ("scram-sha-256" if _feature_in(data, SCRAM, major.major)
                       else OLD_PASSWORD_METHOD)
    clientcert = _clientcert_value(data, major.major)
    return GuideSnippets(
        major=major,
        tabs=_tabs(data, major),
        install_commands=install_commands(),
        install_root_owned=(root_owned_command() if _feature_in(data, ROOT_OWNED_KEY, major.major)
                            else None),
        apply=ssl_apply,
        apply_commands=apply_commands(ssl_apply),
        floor_setting=floor_setting,
        default_floor=data.default_min_protocol(major),
        password_method=password_method,
        hba_lines=_hba_lines(password_method),
        mtls_hba_lines=_mtls_hba_lines(password_method, clientcert),
        clientcert_value=clientcert,
        connections=_connections(data, major.major),
        env=_env(data, major.major),
        sslmodes=required_range(data, "libpq", "sslmode", major.major).values,
        verify_sql=((STAT_SSL_QUERY,) if _feature_in(data, STAT_SSL, major.major) else (SSLINFO_QUERY,)),
        # CREATE EXTENSION sslinfo needs a superuser, which the guide's login is not: its own step.
        verify_setup=(None if _feature_in(data, STAT_SSL, major.major)
                      else f"psql -d {DATABASE} -c '{SSLINFO_SETUP}'"),
        troubles=_troubles(data, major),
    )


# -- lookups of what the guide requires (see REQUIRED_* above)

def _required(found, what: str):
    # Only reached with data the check has not passed (a test, a library caller): say what.
    if found is None:
        raise LookupError(f"{what} is missing; `python -m macros check` reports it (guide-requirements)")
    return found


def required_setting(data: Dataset, kind: str, name: str) -> Setting:
    return _required(data.setting(kind, name), f"{kind} setting {name}")


def required_range(data: Dataset, kind: str, name: str, major: str) -> SettingRange:
    """The range of a setting the guide reads in this major (IN_EVERY_MAJOR, or one it exists in)."""
    return _required(required_setting(data, kind, name).range_for(major),
                     f"{kind} setting {name} in PostgreSQL {major}")


def required_feature(data: Dataset, feature_id: str) -> Feature:
    return _required(data.feature(feature_id), f"feature {feature_id} (features.yaml)")


def required_cli_option(data: Dataset, option_id: str) -> CliFeature:
    return _required(data.cli_feature(option_id), f"OpenSSL option {option_id} (openssl-cli.yaml)")


def required_profile(data: Dataset, profile_id: str) -> Profile:
    return _required(data.profile(profile_id), f"profile {profile_id} (profiles.yaml)")


def _setting_in(data: Dataset, kind: str, name: str, major: str) -> Setting | None:
    """A setting if this major has it; None for settings added later or removed."""
    found = required_setting(data, kind, name)
    return found if found.exists_in(major) else None


def _feature_in(data: Dataset, feature_id: str, major: str) -> bool:
    return required_feature(data, feature_id).exists_in(major)


# -- OpenSSL tabs

def _tabs(data: Dataset, major: PostgresMajor) -> tuple[OpenSSLTab, ...]:
    """Consecutive buildable series whose guide text is the same share one tab (newest first)."""
    groups: list[tuple[list[str], TabContent]] = []
    for series in data.buildable_series(major):
        content = _tab_content(data, major, series)
        if groups and groups[-1][1] == content:
            groups[-1][0].append(series.series)
        else:
            groups.append(([series.series], content))
    return tuple(OpenSSLTab(tuple(names), content) for names, content in reversed(groups))


def _tab_content(data: Dataset, major: PostgresMajor, series: OpenSSLSeries) -> TabContent:
    name = series.series
    noenc = required_cli_option(data, NOENC)
    key_option = noenc.option if noenc.available_in(name) else noenc.replaces
    addext = required_cli_option(data, ADDEXT).available_in(name)
    built = [(profile, _profile_snippet(data, major, series, profile)) for profile in data.profiles]
    profiles = tuple(snippet for _, snippet in built if isinstance(snippet, ProfileSnippet))
    missing = tuple((profile, reason) for profile, reason in built if isinstance(reason, str))
    recommended = next((p for p in profiles if p.profile.id == RECOMMENDED_PROFILE), None)
    highest = _highest_protocol(data, series)
    starttls = required_cli_option(data, STARTTLS).available_in(name)
    return TabContent(
        key_option=key_option,
        uses_addext=addext,
        ca_commands=ca_commands(key_option),
        server_commands=server_commands(key_option, addext),
        client_commands=client_commands(key_option, CERT_USER),
        verify_command=verify_command() if starttls else None,
        verify_expected=(f"Protocol version: {highest}", "Verification: OK") if starttls else (),
        below_floor_command=(_below_floor_command(data, series)
                             if starttls and _setting_in(data, "server", "ssl_min_protocol_version", major.major)
                             else None),
        highest_protocol=highest,
        expected_output=psql_table(_verify_columns(data, major.major), ("t", highest)),
        profiles=profiles,
        missing_profiles=missing,
        postgresql_conf=recommended.postgresql_conf if recommended else _base_conf(),
    )


def _available(series: OpenSSLSeries, protocol_id: str) -> bool:
    cell = series.cells.get(protocol_id)
    return cell is not None and cell.available


def _highest_protocol(data: Dataset, series: OpenSSLSeries) -> str:
    # PostgreSQL offers up to the highest version OpenSSL has on by default.
    on = [p for p in data.protocols if p.pg_value and series.cells.get(p.id)
          and series.cells[p.id].status == "on"]
    return on[-1].pg_value


def _protocol_below(data: Dataset, protocol_id: str) -> Protocol | None:
    """The protocol version just under this one, if PostgreSQL settings can name it."""
    index = data.protocol_index(protocol_id)
    below = data.protocols[index - 1] if index > 0 else None
    return below if below and below.pg_value else None


def _base_conf() -> dict[str, str]:
    return {"ssl": "on", "ssl_cert_file": FILES["server_cert"], "ssl_key_file": FILES["server_key"],
            "ssl_ca_file": FILES["ca_cert"]}


def _profile_snippet(data: Dataset, major: PostgresMajor, series: OpenSSLSeries,
                     profile: Profile) -> ProfileSnippet | str:
    """The profile's settings for this major and series (the resolver's recipe), or why there are none."""
    if not _available(series, profile.min_protocol):
        return "protocol"
    ctx = build_context(data, Setup(major.major, openssl=series.series))  # upstream OpenSSL defaults
    recipe = profile_recipe(ctx, profile)
    if not recipe.reachable:
        return "setting"  # nothing in this major can enforce the profile's floor
    level = recipe.applied.level
    if level is not None and not required_cli_option(data, SECLEVEL).available_in(series.series):
        return "seclevel"
    conf = _base_conf()
    conf.update(recipe.settings)
    # Without a floor setting, a profile that shuts out older protocols does so by its ciphers.
    shuts_out = any(p.pg_value and _available(series, p.id)
                    for p in data.protocols[:data.protocol_index(profile.min_protocol)])
    return ProfileSnippet(profile, conf, level is not None, recipe.applied.cipher_floor is not None and shuts_out,
                          level)


# -- commands


def _below_floor_command(data: Dataset, series: OpenSSLSeries) -> str | None:
    below = _protocol_below(data, required_profile(data, RECOMMENDED_PROFILE).min_protocol)
    if below is None or not below.s_client_flag or not _available(series, below.id):
        return None
    return command("openssl", "s_client", "-starttls", "postgres", "-connect", f"{SERVER_NAME}:{PORT}",
                    below.s_client_flag, "-brief") + " < /dev/null"


def _verify_columns(data: Dataset, major: str) -> tuple[str, ...]:
    return ("ssl", "version") if _feature_in(data, STAT_SSL, major) else ("ssl_is_used", "ssl_version")


# -- pg_hba.conf

def _hba_lines(method: str) -> tuple[str, ...]:
    lines = [f"hostnossl all all {net} reject" for net in NETWORKS]
    lines += [f"hostssl   all all {net} {method}" for net in NETWORKS]
    return tuple(lines)


def _mtls_hba_lines(method: str, clientcert: str) -> tuple[str, ...]:
    lines = [f"hostssl all {CERT_USER} {net} cert" for net in NETWORKS]
    lines += [f"hostssl all {PASSWORD_USER} {net} {method} clientcert={clientcert}" for net in NETWORKS]
    return tuple(lines)


def _clientcert_value(data: Dataset, major: str) -> str:
    """verify-full where the major has it (12+), else 1, the only value that turns the check on."""
    values = required_range(data, "hba", "clientcert", major).values
    return "verify-full" if "verify-full" in values else "1"


# -- libpq

def _conninfo(**params: str) -> str:
    return " ".join(f"{key}={value}" for key, value in params.items())


def _connections(data: Dataset, major: str) -> tuple[Connection, ...]:
    base = {"host": SERVER_NAME, "port": str(PORT), "dbname": DATABASE}
    verify = dict(base, user=PASSWORD_USER, sslmode="verify-full", sslrootcert=FILES["ca_cert"])
    found = [Connection("verify-full", _conninfo(**verify)),
             # The same, with the SSL parameters in environment variables (GuideSnippets.env).
             Connection("environment", _conninfo(**dict(base, user=PASSWORD_USER))),
             Connection("mutual", _conninfo(**dict(base, user=CERT_USER, sslmode="verify-full",
                                                   sslrootcert=FILES["ca_cert"], sslcert=FILES["client_cert"],
                                                   sslkey=FILES["client_key"])))]
    if _feature_in(data, SYSTEM_ROOT_CERT, major):
        found.append(Connection("system", _conninfo(**dict(base, user=PASSWORD_USER, sslrootcert="system"))))
    if _setting_in(data, "libpq", "sslnegotiation", major):
        found.append(Connection("direct", _conninfo(**dict(verify, sslnegotiation="direct"))))
    if _setting_in(data, "libpq", "ssl_min_protocol_version", major):
        modern = required_profile(data, MODERN_PROFILE).min_protocol
        found.append(Connection("floor", _conninfo(**dict(verify, ssl_min_protocol_version=modern))))
        below = _protocol_below(data, required_profile(data, RECOMMENDED_PROFILE).min_protocol)
        if below and _setting_in(data, "server", "ssl_min_protocol_version", major):
            found.append(Connection("below-floor", _conninfo(**dict(
                verify, ssl_min_protocol_version=below.pg_value, ssl_max_protocol_version=below.pg_value))))
    return tuple(found)


def _env(data: Dataset, major: str) -> tuple[tuple[str, str], ...]:
    wanted = {"sslmode": "verify-full", "sslrootcert": FILES["ca_cert"]}
    found = []
    for name, value in wanted.items():
        setting = _setting_in(data, "libpq", name, major)
        if setting and setting.env:
            found.append((setting.env, value))
    return tuple(found)


# -- troubleshooting

def _troubles(data: Dataset, major: PostgresMajor) -> tuple[Trouble, ...]:
    buildable = [s.series for s in data.buildable_series(major)]
    found = []
    for message in data.messages:
        version = message.for_major(major.major)
        if version is None:
            continue
        if version.openssl and not any(openssl_key(s) >= openssl_key(version.openssl) for s in buildable):
            continue  # worded by an OpenSSL this major never builds with
        found.append(Trouble(message, version, tuple(fill(line) for line in version.client),
                             tuple(fill(line) for line in version.server)))
    return tuple(found)


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill(line: str, values: dict | None = None) -> str:
    """A message line with its {placeholders} replaced by the guide's example values."""
    values = MESSAGE_VALUES if values is None else values
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], line)


def all_guides(data: Dataset) -> dict[str, GuideSnippets]:
    """Every major's guide, oldest first (data.postgresql is already in version order)."""
    return {m.major: guide_snippets(data, m.major) for m in data.postgresql}


def conf_text(conf: dict[str, str]) -> str:
    """postgresql.conf lines: on/off bare, everything else quoted ('' for a quote)."""
    def literal(value: str) -> str:
        return value if value in ("on", "off") else "'" + value.replace("'", "''") + "'"
    return "".join(f"{name} = {literal(value)}\n" for name, value in conf.items())
