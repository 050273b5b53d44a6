"""The setup guides without a server: every major, every OpenSSL tab, the snippet objects the
pages print (macros/model/guide.py), and their Markdown (macros/render/guide_page.py, macros/render/markdown.py).

tests/lab/test_guide_server.py runs the same snippets against a real server.
"""

from __future__ import annotations

import re

import pytest
from conftest import DATA_DIR, ROOT

from macros.check.runner import load_dataset
from macros.model.common import Source
from macros.model.dataset import Dataset
from macros.model.guide import all_guides, conf_text, fill
from macros.model.guide_values import (
    MESSAGE_VALUES,
    REQUIRED_CLI_OPTIONS,
    REQUIRED_FEATURES,
    REQUIRED_PROFILES,
    REQUIRED_SETTINGS,
)
from macros.render.guide_page import guide_markdown, platform_tabs
from macros.render.markdown import (
    Md,
    code,
    environment,
    escape,
    fence,
    inline,
    sources,
    tab_title,
)

MAJORS = [m.major for m in load_dataset(DATA_DIR).postgresql]
# libpq parameters every connection string may use without being SSL settings.
BASIC_PARAMETERS = {"host", "hostaddr", "port", "dbname", "user"}


@pytest.fixture(scope="module")
def guides(dataset):
    return all_guides(dataset)


def every_conf(guide):
    """(tab, name of the snippet, postgresql.conf dict) for everything a guide prints."""
    for tab in guide.tabs:
        yield tab, "recommended", tab.content.postgresql_conf
        for snippet in tab.content.profiles:
            yield tab, snippet.profile.id, snippet.postgresql_conf


# ---------------------------------------------------------------- every major has a guide

def test_every_major_has_a_guide_with_every_section(dataset):
    assert MAJORS[0] == "9.4" and MAJORS[-1] == "19"
    for major in MAJORS:
        text = guide_markdown(dataset, major)
        headings = re.findall(r"^### (\d)\. ", text, re.MULTILINE)
        assert headings == [str(n) for n in range(1, 9)], major


def test_tabs_are_exactly_the_series_the_major_builds_with(dataset, guides):
    for major, guide in guides.items():
        in_tabs = [s for tab in guide.tabs for s in tab.series]
        buildable = [s.series for s in dataset.buildable_series(guide.major)]
        assert sorted(in_tabs) == sorted(buildable), major
        assert len(in_tabs) == len(set(in_tabs)), major


# ---------------------------------------------------------------- config snippets are valid

def test_conf_snippets_use_only_settings_and_values_of_that_major(dataset, guides):
    checked = 0
    for major, guide in guides.items():
        for tab, name, conf in every_conf(guide):
            for setting_name, value in conf.items():
                where = f"{major} {tab.first}-{tab.last} {name}: {setting_name}"
                setting = dataset.setting("server", setting_name)
                assert setting is not None and setting.exists_in(major), f"{where} does not exist"
                accepted = setting.range_for(major)
                if accepted.values is not None:
                    assert value in accepted.values, f"{where} = {value!r} not in {accepted.values}"
                if value == "":
                    assert "" in (accepted.values or ()) or accepted.default == "", f"{where} is empty"
                checked += 1
    assert checked > 500


def test_no_snippet_sets_an_empty_value_the_server_rejects(guides):
    # ssl_ciphers has no empty value: an empty list would make the server refuse to start.
    for major, guide in guides.items():
        for tab, name, conf in every_conf(guide):
            assert all(value != "" for value in conf.values()), (major, tab.first, name)


def test_conf_text_quotes_values_and_keeps_on_off_bare():
    assert conf_text({"ssl": "on", "ssl_ciphers": "A:B", "x": "it's"}) == \
        "ssl = on\nssl_ciphers = 'A:B'\nx = 'it''s'\n"


def test_profiles_are_offered_only_where_the_server_can_do_them(dataset, guides):
    for major, guide in guides.items():
        for tab in guide.tabs:
            for snippet in tab.content.profiles:
                protocol = snippet.profile.min_protocol
                for series in tab.series:
                    assert dataset.openssl_series(series).cells[protocol].available, (major, series, protocol)
                if "ssl_min_protocol_version" not in snippet.postgresql_conf:
                    # Only a cipher list can act without the setting; it shuts out older protocols
                    # only where the series has some (Legacy's TLS 1.0 is the lowest there is).
                    assert snippet.profile.ciphers, (major, snippet.profile.id)
                    assert snippet.floor_by_ciphers_only == (snippet.profile.id == "intermediate"), \
                        (major, tab.first, snippet.profile.id)


def test_modern_profile_needs_a_floor_setting_and_tls13(guides):
    for major, guide in guides.items():
        for tab in guide.tabs:
            offered = any(p.profile.id == "modern" for p in tab.content.profiles)
            assert offered == (guide.floor_setting is not None and tab.content.highest_protocol == "TLSv1.3"), \
                (major, tab.first)


def test_legacy_on_openssl_3_lowers_the_security_level_and_says_why(dataset, guides):
    text = guide_markdown(dataset, "15")
    tab = guides["15"].tab_for("3.0")
    legacy = next(p for p in tab.content.profiles if p.profile.id == "legacy")
    assert legacy.lowers_security_level
    assert legacy.postgresql_conf["ssl_ciphers"].endswith(":@SECLEVEL=0")
    assert "That level also accepts keys, signatures and parameters that every other level refuses" in text
    older = guides["15"].tab_for("1.1.1")
    assert not any(p.lowers_security_level for p in older.content.profiles)


# ---------------------------------------------------------------- what differs between majors

def floor_sentence(text: str) -> str:
    section = text.split("#### The protocol floor", 1)[1].split("####", 1)[0]
    return section.strip().splitlines()[0]


def test_12_and_13_state_different_default_floors(dataset, guides):
    assert (guides["12"].default_floor, guides["13"].default_floor) == ("TLSv1", "TLSv1.2")
    twelve = floor_sentence(guide_markdown(dataset, "12"))
    thirteen = floor_sentence(guide_markdown(dataset, "13"))
    assert "defaults to `TLSv1`," in twelve and "raises it to `TLSv1.2`" in twelve
    assert "defaults to `TLSv1.2`;" in thirteen
    assert twelve != thirteen


def test_majors_before_12_say_there_is_no_floor_setting(dataset):
    for major in ("9.4", "9.6", "11"):
        text = guide_markdown(dataset, major)
        assert "ssl_min_protocol_version = " not in text
        assert "has no setting for the protocol range" in floor_sentence(text)


@pytest.mark.parametrize("major, value", [("9.4", "1"), ("11", "1"), ("12", "verify-full"),
                                          ("13", "verify-full"), ("14", "verify-full"), ("19", "verify-full")])
def test_clientcert_syntax_per_major(dataset, guides, major, value):
    guide = guides[major]
    assert guide.clientcert_value == value
    assert any(f"clientcert={value}" in line for line in guide.mtls_hba_lines)
    assert value in dataset.setting("hba", "clientcert").range_for(major).values


def test_hba_lines_use_options_and_methods_of_that_major(dataset, guides):
    for major, guide in guides.items():
        for line in guide.hba_lines + guide.mtls_hba_lines:
            words = line.split()
            record, method = words[0], words[4]
            assert dataset.setting("hba", record).exists_in(major), (major, line)
            if method == "cert":
                assert dataset.setting("hba", "cert").exists_in(major)
            for option in words[5:]:
                name, value = option.split("=", 1)
                setting = dataset.setting("hba", name)
                assert setting.exists_in(major) and value in setting.range_for(major).values, (major, line)
        assert guide.password_method == ("md5" if major in ("9.4", "9.5", "9.6") else "scram-sha-256")


@pytest.mark.parametrize("major, apply", [("9.4", "restart"), ("9.6", "restart"), ("10", "reload"),
                                          ("18", "reload")])
def test_reload_from_10_restart_before(dataset, major, apply):
    text = guide_markdown(dataset, major)
    apply_section = text.split("#### Apply the changes", 1)[1].split("###", 1)[0]
    assert f"pg_ctl {apply}" in apply_section
    assert ("pg_ctl reload" in text) == (apply == "reload")


def test_connection_strings_use_only_libpq_parameters_of_that_major(dataset, guides):
    for major, guide in guides.items():
        for connection in guide.connections:
            for pair in connection.conninfo.split():
                name, value = pair.split("=", 1)
                if name in BASIC_PARAMETERS:
                    continue
                setting = dataset.setting("libpq", name)
                assert setting is not None and setting.exists_in(major), (major, connection.id, name)
                values = setting.range_for(major).values
                if values is not None:
                    assert value in values, (major, connection.id, pair)
        for variable, _ in guide.env:
            assert any(s.env == variable and s.exists_in(major) for s in dataset.settings["libpq"])


@pytest.mark.parametrize("connection_id, first_major", [("system", "16"), ("direct", "17"),
                                                        ("floor", "13"), ("below-floor", "13")])
def test_client_options_appear_from_their_major(guides, connection_id, first_major):
    for major, guide in guides.items():
        expected = [int(p) for p in major.split(".")] >= [int(p) for p in first_major.split(".")]
        assert (guide.connection(connection_id) is not None) == expected, (major, connection_id)


def test_every_sslmode_of_every_major_is_explained(dataset, guides):
    # No value is left out: the guide-requirements rule makes sure each has its words.
    for major, snippets in guides.items():
        rows = re.findall(r"^\| `([a-z-]+)` \|", guide_markdown(dataset, major), re.MULTILINE)
        assert rows == list(snippets.sslmodes), major


def test_the_guide_looks_up_exactly_the_ids_it_declares(dataset, monkeypatch):
    # The guide-requirements rule checks the declared ids (macros/model/guide.py REQUIRED_*); an id
    # looked up but not declared could be renamed in the data and end the build with a traceback.
    looked_up = set()
    for method in ("setting", "feature", "cli_feature", "profile", "message"):
        def recording(self, *key, _real=getattr(Dataset, method), _method=method):
            looked_up.add((_method, *key))
            return _real(self, *key)
        monkeypatch.setattr(Dataset, method, recording)
    for major in MAJORS:
        guide_markdown(dataset, major)
    platform_tabs(dataset)
    declared = ({("setting", kind, name) for kind, names in REQUIRED_SETTINGS.items() for name in names}
                | {("feature", f) for f in REQUIRED_FEATURES}
                | {("cli_feature", o) for o in REQUIRED_CLI_OPTIONS}
                | {("profile", p) for p in REQUIRED_PROFILES})
    assert looked_up == declared


def test_pg_stat_ssl_from_95_sslinfo_before(guides):
    assert "ssl_version()" in " ".join(guides["9.4"].verify_sql)
    assert all("pg_stat_ssl" in " ".join(g.verify_sql) for m, g in guides.items() if m != "9.4")


def test_sslinfo_is_created_by_a_superuser_in_its_own_step(guides):
    # The guide's login (app) is no superuser: CREATE EXTENSION may not be among its statements.
    assert "CREATE EXTENSION" in guides["9.4"].verify_setup
    assert not any("CREATE EXTENSION" in sql for g in guides.values() for sql in g.verify_sql)
    assert all(g.verify_setup is None for m, g in guides.items() if m != "9.4")


# ---------------------------------------------------------------- OpenSSL tabs

def tab_blocks(text: str) -> dict[str, list[str]]:
    """Rendered Markdown of every content tab, by label (Markdown escapes removed)."""
    blocks: dict[str, list[str]] = {}
    for match in re.finditer(r'^=== "([^"]+)"\n((?:\n|    .*\n)*)', text, re.MULTILINE):
        blocks.setdefault(re.sub(r"\\(.)", r"\1", match.group(1)), []).append(match.group(2))
    return blocks


def test_no_1_0_2_tab_offers_addext_or_tls13(dataset, guides):
    seen = 0
    for major, guide in guides.items():
        tab = guide.tab_for("1.0.2")
        if tab is None:
            continue
        seen += 1
        content = tab.content
        commands = content.ca_commands + content.server_commands + content.client_commands
        assert not content.uses_addext and not any("-addext" in c for c in commands), major
        assert content.highest_protocol != "TLSv1.3" and content.verify_command is None, major
        assert all(p.profile.min_protocol != "TLSv1.3" for p in content.profiles), major
        label = f"OpenSSL {tab.first} to {tab.last}"
        # What the reader copies: the code blocks of that tab, in every section.
        rendered = "".join(tab_blocks(guide_markdown(dataset, major))[label])
        snippets = "".join(re.findall(r"^    ```[a-z]*[^\n]*\n(.*?)^    ```$", rendered, re.DOTALL | re.MULTILINE))
        assert "openssl req" in snippets and "ssl = on" in snippets, major
        for offered in ("-addext", "TLSv1.3", "-tls1_3"):
            assert offered not in snippets, (major, offered)
    assert seen == len([m for m in MAJORS if m not in ("18", "19")])


def test_noenc_from_openssl_3_nodes_before(guides):
    for guide in guides.values():
        for tab in guide.tabs:
            expected = "-noenc" if tab.first.startswith(("3.", "4.")) else "-nodes"
            assert tab.content.key_option == expected
            assert all(expected in c for c in tab.content.ca_commands)


def test_starttls_postgres_only_from_1_1_1(guides):
    for guide in guides.values():
        for tab in guide.tabs:
            has = tab.content.verify_command is not None
            assert has == (tab.first in ("1.1.1",) or tab.first.startswith("3.")), tab.first


def test_tab_labels_name_the_series_they_cover(dataset):
    labels = list(tab_blocks(guide_markdown(dataset, "13")))
    assert labels[:4] == ["Debian / Ubuntu", "RHEL / Fedora / Rocky / Alma", "macOS (Homebrew)",
                          "Built from source"]
    assert labels[4:] == ["OpenSSL 3.0 to 3.6", "OpenSSL 1.1.1", "OpenSSL 1.0.1 to 1.1.0"]


# ---------------------------------------------------------------- troubleshooting

def test_message_placeholders_and_the_guides_example_values_match(dataset):
    assert set(MESSAGE_VALUES) == set(dataset.message_placeholders)


def test_troubleshooting_quotes_the_wording_of_each_major(guides):
    key = {t.message.id: t for t in guides["9.4"].troubles}["key-permissions"]
    assert key.server[1] == "DETAIL:  Permissions should be u=rw (0600) or less."
    key = {t.message.id: t for t in guides["15"].troubles}["key-permissions"]
    assert "(0640) or less if owned by root" in key.server[1]
    assert key.server[0] == 'FATAL:  private key file "server.key" has group or world access'
    assert "below-floor" not in {t.message.id for t in guides["11"].troubles}
    assert "tls10-openssl3" not in {t.message.id for t in guides["9.6"].troubles}  # no OpenSSL 3 build


def test_fill_leaves_no_placeholder(guides):
    for guide in guides.values():
        for trouble in guide.troubles:
            assert not any("{" in line for line in trouble.client + trouble.server)
    assert fill("user {user} as {cert_user}") == "user app as bob"


# ---------------------------------------------------------------- golden files

@pytest.mark.parametrize("major", ["12", "13", "18"])
def test_guide_golden(dataset, golden, major):
    golden(f"guide-{major}.md", guide_markdown(dataset, major))


# ---------------------------------------------------------------- platforms, typed once

def test_platform_tabs_come_from_the_registry(dataset):
    text = platform_tabs(dataset)
    for platform in dataset.platforms.platforms:
        assert f'=== "{tab_title(platform.name)}"' in text
        assert code(platform.openssldir) in text
    assert "$(brew --prefix)/bin/openssl version -d" in text


def test_home_page_prints_the_registry_instead_of_typing_it():
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    assert "{{ tlskb_platforms() }}" in index
    assert "/usr/lib/ssl" not in index and "/etc/pki/tls" not in index


# ---------------------------------------------------------------- Markdown escaping

def test_markdown_escaping_of_data_text():
    assert escape("a *b* <i>_c_</i> [x](y) #1") == r"a \*b\* &lt;i&gt;\_c\_&lt;/i&gt; \[x\]\(y\) \#1"
    assert inline("use `ssl = on` and [docs](https://x.org/a_b) *not*") == \
        r"use `ssl = on` and [docs](https://x.org/a\_b) \*not\*".replace(r"a\_b", "a_b")
    assert inline("[bad](javascript:alert(1))") == r"\[bad\]\(javascript:alert\(1\)\)"
    assert fence("a\n```\nb") == "````text\na\n```\nb\n````\n"
    assert code("x`y") == "``x`y``"
    assert tab_title('say "hi"') == "say &quot;hi&quot;"


def test_link_urls_in_data_text_are_percent_encoded_like_sources():
    # A backslash, backtick, brace or bar in the URL would change what Python-Markdown makes of it.
    url = "https://example.org/a`b\\c{d}|e^f"
    assert inline(f"[x]({url})") == "[x](https://example.org/a%60b%5Cc%7Bd%7D%7Ce%5Ef)"
    assert sources([Source(url=url, title={"en": "x"})]).endswith("(https://example.org/a%60b%5Cc%7Bd%7D%7Ce%5Ef)")


def test_templates_escape_whatever_is_not_marked_as_markdown():
    template = environment().from_string("{{ a }}|{{ b }}|{{ c | upper }}")
    assert template.render(a="*x*", b=Md("*x*"), c="_y_") == r"\*x\*|*x*|\_Y\_"
