import re

from macros.check.rules.base import Rule

LINK = re.compile(r"\[[^\]]*\]\(([^)]*)\)")


def _walk(value, keys=()):
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _walk(child, keys + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _walk(child, keys + (index,))
    elif isinstance(value, str):
        yield keys, value


def check(data, tree):
    """Links in free text become live links on the site and in embeds: https only."""
    for loaded in tree.files():
        for keys, text in _walk(loaded.data):
            for target in LINK.findall(text):
                if not re.match(r"^https://[^\s<>\"']+$", target):
                    yield loaded.problem(keys, RULE.name, f"link target {target!r} must be an https:// URL")


RULE = Rule("text-links", "Links written in free text point at https URLs.", check)
