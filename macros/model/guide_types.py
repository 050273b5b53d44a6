"""What a setup guide holds: the snippet objects that templates/guide*.md.j2 print."""

from __future__ import annotations

from dataclasses import dataclass

from macros.model.postgresql import PostgresMajor
from macros.model.registries import Message, MessageVersion, Profile
from macros.model.settings import Setting


@dataclass(frozen=True)
class ProfileSnippet:
    profile: Profile
    postgresql_conf: dict[str, str]        # the whole file section: base settings + the profile's
    lowers_security_level: bool            # @SECLEVEL=0 added for this OpenSSL series
    floor_by_ciphers_only: bool            # no ssl_min_protocol_version: the cipher list is the floor
    security_level: int | None = None      # the level the recipe puts in ssl_ciphers (@SECLEVEL=N)


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
    verify_setup: str | None               # run once by a superuser before verify_sql (sslinfo), or None
    troubles: tuple[Trouble, ...]

    def tab_for(self, series: str) -> OpenSSLTab | None:
        return next((tab for tab in self.tabs if tab.covers(series)), None)

    def connection(self, connection_id: str) -> Connection | None:
        return next((c for c in self.connections if c.id == connection_id), None)
