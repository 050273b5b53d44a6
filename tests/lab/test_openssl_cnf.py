"""apply_steps: a system step's `Key = Value` lines replace the same key's line in an openssl.cnf;
anything it would have to guess is refused with StepNotApplicable."""

from __future__ import annotations

import pytest

from macros.lab.openssl_cnf import StepNotApplicable, apply_steps
from macros.model.platform_releases import Step

CONF = "/etc/ssl/openssl.cnf"

# The end of Debian 11's /etc/ssl/openssl.cnf, as the lab's -cnf builds read it.
DEBIAN_11_TAIL = (
    "openssl_conf = default_conf\n"
    "\n"
    "[default_conf]\n"
    "ssl_conf = ssl_sect\n"
    "\n"
    "[ssl_sect]\n"
    "system_default = system_default_sect\n"
    "\n"
    "[system_default_sect]\n"
    "MinProtocol = TLSv1.2\n"
    "CipherString = DEFAULT@SECLEVEL=2\n"
)


def file_step(*lines: str, file: str = CONF) -> Step:
    return Step(None, file, lines, None)


def test_a_line_replaces_the_same_keys_line_and_nothing_else():
    out = apply_steps(DEBIAN_11_TAIL, CONF, (file_step("MinProtocol = TLSv1"),))
    assert out == DEBIAN_11_TAIL.replace("MinProtocol = TLSv1.2", "MinProtocol = TLSv1")


def test_steps_apply_in_order_and_keep_line_endings_and_indentation():
    text = "[system_default_sect]\r\n   MinProtocol=TLSv1.2  \r\n\tCipherString  =  DEFAULT@SECLEVEL=2\r\n"
    out = apply_steps(text, CONF, (file_step("MinProtocol = TLSv1"),
                                   file_step("CipherString = DEFAULT@SECLEVEL=1")))
    assert out == "[system_default_sect]\r\n   MinProtocol = TLSv1\r\n\tCipherString = DEFAULT@SECLEVEL=1\r\n"


def test_ssl_conf_keys_match_without_case_as_openssl_reads_them():
    out = apply_steps("[s]\nminprotocol = TLSv1.2\n", CONF, (file_step("MinProtocol = TLSv1"),))
    assert out == "[s]\nMinProtocol = TLSv1\n"


def test_other_keys_match_only_with_their_case():
    with pytest.raises(StepNotApplicable, match="no openssl_conf line"):
        apply_steps("OPENSSL_CONF = other\n", CONF, (file_step("openssl_conf = default_conf"),))


def test_a_commented_out_line_is_no_setting():
    with pytest.raises(StepNotApplicable, match="no MinProtocol line"):
        apply_steps("[s]\n# MinProtocol = TLSv1.2\n", CONF, (file_step("MinProtocol = TLSv1"),))


def test_a_key_the_file_does_not_set_is_refused():
    with pytest.raises(StepNotApplicable, match="no CipherString line"):
        apply_steps("[s]\nMinProtocol = TLSv1.2\n", CONF, (file_step("CipherString = DEFAULT@SECLEVEL=1"),))


def test_a_key_set_twice_is_refused():
    text = "[a]\nMinProtocol = TLSv1.2\n[b]\nMinProtocol = TLSv1.2\n"
    with pytest.raises(StepNotApplicable, match="set 2 times"):
        apply_steps(text, CONF, (file_step("MinProtocol = TLSv1"),))


def test_a_continued_line_is_refused():
    with pytest.raises(StepNotApplicable, match="continues"):
        apply_steps("CipherString = DEFAULT:\\\n  @SECLEVEL=2\n", CONF, (file_step("CipherString = DEFAULT"),))


def test_a_command_is_refused():
    with pytest.raises(StepNotApplicable, match="is a command"):
        apply_steps(DEBIAN_11_TAIL, CONF, (Step("update-crypto-policies --set LEGACY", None, (), None),))


def test_a_step_for_another_file_is_refused():
    with pytest.raises(StepNotApplicable, match="edits /etc/pki/tls/openssl.cnf"):
        apply_steps(DEBIAN_11_TAIL, CONF, (file_step("MinProtocol = TLSv1", file="/etc/pki/tls/openssl.cnf"),))


def test_a_section_header_is_refused():
    with pytest.raises(StepNotApplicable, match="not a `Key = Value` line"):
        apply_steps(DEBIAN_11_TAIL, CONF, (file_step("[system_default_sect]"),))


def test_the_datas_steps(dataset):
    """Debian 11's floor step applies to Debian 11's file; Ubuntu 20.04's (it adds sections) and
    RHEL's (a command) are refused, so the lab keeps its postgresql.conf-only proof there."""
    debian = dataset.release("debian-11").min_protocol.relax
    assert apply_steps(DEBIAN_11_TAIL, CONF, debian).count("MinProtocol = TLSv1\n") == 1
    with pytest.raises(StepNotApplicable):
        apply_steps(DEBIAN_11_TAIL, CONF, dataset.release("ubuntu-20.04").security_level.relax)
    commands = [s for r in dataset.releases for b in r.blocks for s in b.relax if s.command]
    assert commands
    with pytest.raises(StepNotApplicable):
        apply_steps(DEBIAN_11_TAIL, CONF, tuple(commands))
