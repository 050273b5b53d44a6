"""A resolver's system steps applied to the text of an openssl.cnf, or a plain refusal.

The lab proves an answer's full `after` only where it can make the platform's change for real:
each `Key = Value` line of a file step replaces the one line that sets the same key in the build's
openssl.cnf. Anything else (a command such as update-crypto-policies, a section header, a key the
file does not set, or sets more than once) raises StepNotApplicable instead of guessing where the
line would go.
"""

from __future__ import annotations

import re

from macros.model.platform_releases import Step

# What OpenSSL reads in an SSL configuration section (system_default = ...): it looks these names up
# with strcasecmp (ssl/ssl_conf.c, ssl_conf_cmd_lookup under SSL_CONF_FLAG_FILE), so MinProtocol and
# minprotocol are one key. Every other key of openssl.cnf (openssl_conf, ssl_conf, ...) is matched
# exactly, as the configuration parser does.
SSL_CONF_COMMANDS = frozenset(name.lower() for name in (
    "SignatureAlgorithms", "ClientSignatureAlgorithms", "Curves", "Groups", "ECDHParameters",
    "CipherString", "Ciphersuites", "Protocol", "MinProtocol", "MaxProtocol", "Options", "VerifyMode",
    "Certificate", "PrivateKey", "ServerInfoFile", "ChainCAPath", "ChainCAFile", "ChainCAStore",
    "VerifyCAPath", "VerifyCAFile", "VerifyCAStore", "RequestCAFile", "ClientCAFile", "RequestCAPath",
    "ClientCAPath", "RequestCAStore", "ClientCAStore", "DHParameters", "RecordPadding", "NumTickets"))

# `Key = Value`, spaces around either side optional; a comment (#) or a [section] is no setting.
SETTING = re.compile(r"^(?P<indent>\s*)(?P<key>[^\s=#\[\]]+)\s*=(?P<value>.*)$")


class StepNotApplicable(ValueError):
    """This step cannot be applied to this openssl.cnf without guessing; the message says why."""


def apply_steps(text: str, conf_path: str, steps: tuple[Step, ...]) -> str:
    """`text` (the openssl.cnf the platform keeps at `conf_path`) with every step's lines in."""
    for step in steps:
        if step.command:
            raise StepNotApplicable(f"{step.command!r} is a command, not an openssl.cnf line")
        if step.file != conf_path:
            raise StepNotApplicable(f"the step edits {step.file}, not {conf_path}")
        for line in step.lines:
            text = _replace_setting(text, line)
    return text


def same_key(a: str, b: str) -> bool:
    if a.lower() in SSL_CONF_COMMANDS:
        return a.lower() == b.lower()
    return a == b


def _replace_setting(text: str, wanted: str) -> str:
    new = SETTING.match(wanted)
    if new is None:
        raise StepNotApplicable(f"{wanted!r} is not a `Key = Value` line")
    lines = text.splitlines(keepends=True)
    found = [i for i, line in enumerate(lines)
             if (old := SETTING.match(line.rstrip("\r\n"))) and same_key(new["key"], old["key"])]
    if not found:
        raise StepNotApplicable(f"no {new['key']} line to replace")
    if len(found) > 1:
        raise StepNotApplicable(f"{new['key']} is set {len(found)} times: which one the step means is not said")
    index = found[0]
    current = lines[index]
    if current.rstrip("\r\n").endswith("\\"):   # a value continued on the next line
        raise StepNotApplicable(f"the {new['key']} line continues on the next line")
    ending = current[len(current.rstrip("\r\n")):]
    lines[index] = SETTING.match(current.rstrip("\r\n"))["indent"] + wanted.strip() + ending
    return "".join(lines)
