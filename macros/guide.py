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
import shlex
from dataclasses import dataclass

from macros.model import (CliFeature, Dataset, Feature, Message, MessageVersion, OpenSSLSeries,
                          PostgresMajor, Profile, Protocol, Setting, SettingRange)
from macros.versions import openssl_key

# ---------------------------------------------------------------- the guide's example setup

SERVER_NAME = "db.example.com"      # the host name clients use, and the certificate's DNS name
OTHER_NAME = "db"                   # a name that is not in the certificate (troubleshooting)
PORT = 5432
DATABASE = "app"
CERT_USER = "app"                   # logs in with a client certificate (CN=app)
OTHER_CERT_USER = "bob"             # someone else's certificate (troubleshooting)
PASSWORD_USER = "alice"             # logs in with a password and a client certificate
SERVER_OS_USER = "postgres"         # the operating system user of distribution packages
CA_SUBJECT = "/CN=Example Root CA"
CA_DAYS = 3650
CERT_DAYS = 365
KEY = "rsa:2048"
NETWORKS = ("0.0.0.0/0", "::/0")    # every address: readers narrow these to their networks
FILES = {"ca_cert": "root.crt", "ca_key": "root.key", "server_cert": "server.crt",
         "server_key": "server.key", "client_cert": "client.crt", "client_key": "client.key"}
ROOT_FILE_EXAMPLE = f"/home/{CERT_USER}/.postgresql/root.crt"
# Placeholders of data/messages.yaml, filled with this guide's example setup.
MESSAGE_VALUES = {"key_file": FILES["server_key"], "cert_name": SERVER_NAME, "host": OTHER_NAME,
                  "root_file": ROOT_FILE_EXAMPLE, "user": CERT_USER, "cert_user": OTHER_CERT_USER}
# 9.4 to 9.6 have no SCRAM (features.yaml scram_sha_256); md5 is their password method.
OLD_PASSWORD_METHOD = "md5"
# pg_stat_ssl / sslinfo: the columns the verify step selects, and what psql prints for them.
STAT_SSL_QUERY = "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid();"
SSLINFO_QUERY = "SELECT ssl_is_used(), ssl_version();"
SSLINFO_SETUP = "CREATE EXTENSION IF NOT EXISTS sslinfo;"

SERVER_EXTENSIONS = ("basicConstraints = critical,CA:FALSE",
                     "keyUsage = critical,digitalSignature,keyEncipherment",
                     "extendedKeyUsage = serverAuth",
                     f"subjectAltName = DNS:{SERVER_NAME}")
CLIENT_EXTENSIONS = ("basicConstraints = critical,CA:FALSE",
                     "keyUsage = critical,digitalSignature",
                     "extendedKeyUsage = clientAuth")


# ---------------------------------------------------------------- what the guide needs from the data

# Every id and name the guide looks up. macros/rules/guide_requirements.py fails the check when
# one is missing, so the code below assumes them: a renamed id must be renamed here too.
# profiles.yaml
RECOMMENDED_PROFILE = "intermediate"
MODERN_PROFILE = "modern"              # the client-side floor example
REQUIRED_PROFILES = (MODERN_PROFILE, RECOMMENDED_PROFILE)
# features.yaml
STAT_SSL = "pg_stat_ssl"
ROOT_OWNED_KEY = "key_file_root_group_read"
SCRAM = "scram_sha_256"
SYSTEM_ROOT_CERT = "sslrootcert_system"
REQUIRED_FEATURES = (STAT_SSL, ROOT_OWNED_KEY, SCRAM, SYSTEM_ROOT_CERT)
# openssl-cli.yaml
NOENC = "req-noenc"
ADDEXT = "req-addext"
STARTTLS = "s-client-starttls-postgres"
SECLEVEL = "cipher-string-seclevel"
REQUIRED_CLI_OPTIONS = (NOENC, ADDEXT, STARTTLS, SECLEVEL)
# data/settings/: by kind. The guide looks no message or platform up by id: it prints them all,
# and each message needs its words (guide.troubles.<id>) in macros/locales/en.yaml.
REQUIRED_SETTINGS = {"server": ("ssl", "ssl_library", "ssl_min_protocol_version"),
                     "libpq": ("sslmode", "sslrootcert", "sslnegotiation", "ssl_min_protocol_version"),
                     "hba": ("clientcert",)}
# Read in every major's guide: the setting must exist in every major on file.
IN_EVERY_MAJOR = (("server", "ssl"), ("libpq", "sslmode"), ("hba", "clientcert"))
# The field of a setting's version range that the guide prints, wherever the setting exists.
RANGE_FIELDS = {("server", "ssl"): "apply", ("server", "ssl_min_protocol_version"): "values",
                ("libpq", "sslmode"): "values", ("hba", "clientcert"): "values"}


# ---------------------------------------------------------------- the snippet objects

@dataclass(frozen=True)
class ProfileSnippet:
    profile: Profile
    postgresql_conf: dict[str, str]        # the whole file section: base settings + the profile's
    lowers_security_level: bool            # @SECLEVEL=0 added for this OpenSSL series
    floor_by_ciphers_only: bool            # no ssl_min_protocol_version: the cipher list is the floor


@dataclass(frozen=True)
class TabContent:
    """What a guide says for one OpenSSL series; equal contents share a tab."""

    key_option: str                        # -noenc or -nodes
    uses_addext: bool
    ca_commands: tuple[str, ...]
    server_commands: tuple[str, ...]
    client_commands: tuple[str, ...]
    verify_command: str | None             # s_client -starttls postgres, where the series has it
    verify_expected: tuple[str, ...]       # lines s_client prints on success
    below_floor_command: str | None        # s_client forcing the protocol under the floor
    highest_protocol: str                  # what pg_stat_ssl shows with default settings
    expected_output: str                   # psql's output of the verify query
    profiles: tuple[ProfileSnippet, ...]
    missing_profiles: tuple[tuple[Profile, str], ...]  # (profile, protocol | setting | seclevel)
    postgresql_conf: dict[str, str]        # the recommended profile (or the base settings)


@dataclass(frozen=True)
class OpenSSLTab:
    series: tuple[str, ...]                # consecutive series the major builds with
    content: TabContent

    @property
    def first(self) -> str:
        return self.series[0]

    @property
    def last(self) -> str:
        return self.series[-1]

    def covers(self, series: str) -> bool:
        return series in self.series


@dataclass(frozen=True)
class Trouble:
    """One troubleshooting entry: the message as this major prints it, for the guide's setup."""

    message: Message
    version: MessageVersion
    client: tuple[str, ...]
    server: tuple[str, ...]


@dataclass(frozen=True)
class Connection:
    id: str                                # verify-full, mutual, system, direct, floor
    conninfo: str


@dataclass(frozen=True)
class GuideSnippets:
    major: PostgresMajor
    tabs: tuple[OpenSSLTab, ...]
    install_commands: tuple[str, ...]
    install_root_owned: str | None         # the 0640 root-owned alternative, where accepted
    apply: str                             # reload | restart (the `ssl` setting of this major)
    apply_commands: tuple[str, ...]
    floor_setting: Setting | None          # ssl_min_protocol_version, when this major has it
    default_floor: str | None
    password_method: str
    hba_lines: tuple[str, ...]
    mtls_hba_lines: tuple[str, ...]
    clientcert_value: str
    connections: tuple[Connection, ...]
    env: tuple[tuple[str, str], ...]       # (variable, value) for the verify-full connection
    sslmodes: tuple[str, ...]
    verify_sql: tuple[str, ...]            # statements to run, in order
    troubles: tuple[Trouble, ...]

    def tab_for(self, series: str) -> OpenSSLTab | None:
        return next((tab for tab in self.tabs if tab.covers(series)), None)

    def connection(self, connection_id: str) -> Connection | None:
        return next((c for c in self.connections if c.id == connection_id), None)


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
        install_commands=_install_commands(),
        install_root_owned=(_root_owned_command() if _feature_in(data, ROOT_OWNED_KEY, major.major)
                            else None),
        apply=ssl_apply,
        apply_commands=_apply_commands(ssl_apply),
        floor_setting=floor_setting,
        default_floor=data.default_min_protocol(major),
        password_method=password_method,
        hba_lines=_hba_lines(password_method),
        mtls_hba_lines=_mtls_hba_lines(password_method, clientcert),
        clientcert_value=clientcert,
        connections=_connections(data, major.major),
        env=_env(data, major.major),
        sslmodes=required_range(data, "libpq", "sslmode", major.major).values,
        verify_sql=((STAT_SSL_QUERY,) if _feature_in(data, STAT_SSL, major.major)
                    else (SSLINFO_SETUP, SSLINFO_QUERY)),
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
        ca_commands=_ca_commands(key_option),
        server_commands=_server_commands(key_option, addext),
        client_commands=_client_commands(key_option, CERT_USER),
        verify_command=_verify_command() if starttls else None,
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
    """The profile's settings for this major and series, or why the server cannot do it."""
    if not _available(series, profile.min_protocol):
        return "protocol"
    floor = _setting_in(data, "server", "ssl_min_protocol_version", major.major)
    if floor is None and not profile.ciphers:
        return "setting"  # nothing in this major can enforce the profile's floor
    # A protocol OpenSSL has "off" by default needs its security level lowered (OpenSSL 3).
    lowers = series.cells[profile.min_protocol].status == "off" and profile.security_level is not None
    if lowers and not required_cli_option(data, SECLEVEL).available_in(series.series):
        return "seclevel"
    conf = _base_conf()
    if floor is not None:
        conf["ssl_min_protocol_version"] = profile.min_protocol
    if profile.ciphers:
        conf["ssl_ciphers"] = ":".join(profile.ciphers) + (
            f":@SECLEVEL={profile.security_level}" if lowers else "")
    # Without a floor setting, a profile that shuts out older protocols does so by its ciphers.
    shuts_out = any(p.pg_value and _available(series, p.id)
                    for p in data.protocols[:data.protocol_index(profile.min_protocol)])
    return ProfileSnippet(profile, conf, lowers, floor is None and shuts_out)


# -- commands

COMMAND_WIDTH = 72  # longer commands continue on the next line: readable on a phone, same for bash


def _command(*args: str) -> str:
    """A shell command, continued on the next line (backslash) when it gets long.

    It breaks before a word, but never between an option and its value.
    """
    lines, current, previous = [], "", ""
    for word in (shlex.quote(a) for a in args):
        keeps_with_option = previous.startswith("-") and not word.startswith("-")
        if current and not keeps_with_option and len(current) + 1 + len(word) > COMMAND_WIDTH:
            lines.append(current)
            current = "  " + word
        else:
            current = f"{current} {word}" if current else word
        previous = word
    return " \\\n".join(lines + [current])


def _ca_commands(key_option: str) -> tuple[str, ...]:
    return (_command("openssl", "req", "-x509", "-newkey", KEY, key_option, "-sha256",
                     "-days", str(CA_DAYS), "-subj", CA_SUBJECT,
                     "-keyout", FILES["ca_key"], "-out", FILES["ca_cert"]),)


def _extension_file(lines: tuple[str, ...], name: str) -> str:
    return _command("printf", "%s\\n", *lines) + f" > {name}"


def _sign(csr: str, extensions: str, cert: str) -> str:
    return _command("openssl", "x509", "-req", "-in", csr, "-CA", FILES["ca_cert"],
                    "-CAkey", FILES["ca_key"], "-CAcreateserial", "-days", str(CERT_DAYS), "-sha256",
                    "-extfile", extensions, "-out", cert)


def _server_commands(key_option: str, addext: bool) -> tuple[str, ...]:
    request = ["openssl", "req", "-new", "-newkey", KEY, key_option, "-sha256",
               "-subj", f"/CN={SERVER_NAME}"]
    if addext:
        # The request names what it asks for; the extension file decides what is signed
        # (`x509 -req` does not copy extensions from a request).
        request += ["-addext", f"subjectAltName=DNS:{SERVER_NAME}"]
    request += ["-keyout", FILES["server_key"], "-out", "server.csr"]
    return (_command(*request), _extension_file(SERVER_EXTENSIONS, "server.ext"),
            _sign("server.csr", "server.ext", FILES["server_cert"]))


def _client_commands(key_option: str, user: str) -> tuple[str, ...]:
    return (_command("openssl", "req", "-new", "-newkey", KEY, key_option, "-sha256", "-subj", f"/CN={user}",
                     "-keyout", FILES["client_key"], "-out", "client.csr"),
            _extension_file(CLIENT_EXTENSIONS, "client.ext"),
            _sign("client.csr", "client.ext", FILES["client_cert"]),
            _command("chmod", "0600", FILES["client_key"]))


def _install_commands() -> tuple[str, ...]:
    owner = f"-o {SERVER_OS_USER} -g {SERVER_OS_USER}"
    return (f"install {owner} -m 0600 {FILES['server_key']} \"$PGDATA/\"",
            f"install {owner} -m 0644 {FILES['server_cert']} {FILES['ca_cert']} \"$PGDATA/\"")


def _root_owned_command() -> str:
    return f"install -o root -g {SERVER_OS_USER} -m 0640 {FILES['server_key']} \"$PGDATA/\""


def _apply_commands(apply: str) -> tuple[str, ...]:
    if apply == "reload":
        return ("pg_ctl reload -D \"$PGDATA\"", "psql -c 'SELECT pg_reload_conf();'")
    return ("pg_ctl restart -D \"$PGDATA\"",)


def _verify_command() -> str:
    return _command("openssl", "s_client", "-starttls", "postgres", "-connect", f"{SERVER_NAME}:{PORT}",
                    "-CAfile", FILES["ca_cert"], "-verify_hostname", SERVER_NAME,
                    "-verify_return_error", "-brief") + " < /dev/null"


def _below_floor_command(data: Dataset, series: OpenSSLSeries) -> str | None:
    below = _protocol_below(data, required_profile(data, RECOMMENDED_PROFILE).min_protocol)
    if below is None or not below.s_client_flag or not _available(series, below.id):
        return None
    return _command("openssl", "s_client", "-starttls", "postgres", "-connect", f"{SERVER_NAME}:{PORT}",
                    below.s_client_flag, "-brief") + " < /dev/null"


def psql_table(columns: tuple[str, ...], row: tuple[str, ...]) -> str:
    """What psql prints (aligned format) for a one-row result."""
    widths = [max(len(c), len(v)) for c, v in zip(columns, row)]
    header = " | ".join(c.center(w) for c, w in zip(columns, widths)) + " "  # psql pads every header
    rule = "-+-".join("-" * w for w in widths)
    line = " | ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip()
    return f" {header}\n-{rule}-\n {line}\n(1 row)\n"


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
