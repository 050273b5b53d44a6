from macros.check.rules.base import Rule
from macros.core.clock import passed
from macros.core.problems import WARNING


def check(data, tree):
    """An end of life reached after the last review: the file may miss the final release, and
    the site (which speaks for the newest `reviewed` date) may still show the version as alive."""
    for version in data.openssl + data.postgresql:
        if version.eol and version.reviewed < version.eol and passed(version.eol):
            key = "latest_release" if hasattr(version, "series") else "latest_minor"
            yield version.origin.problem(
                RULE.name, f"end of life {version.eol} has passed since this file was last reviewed "
                f"({version.reviewed}): check `{key}` for the final release, then update `reviewed`",
                "eol", severity=WARNING)


RULE = Rule("eol-since-review",
            "Warning: a version reached its end of life after its file was last reviewed.", check)
