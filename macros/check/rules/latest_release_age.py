from macros.check.rules.base import Rule
from macros.core.clock import older_than_a_year, passed
from macros.core.problems import WARNING
from macros.model.openssl import OpenSSLSeries


def _supported(version) -> bool:
    """Released and not past its end of life (a PostgreSQL beta has no releases yet)."""
    return getattr(version, "status", "released") == "released" and not (version.eol and passed(version.eol))


def check(data, tree):
    """Supported versions get patch releases several times a year; a year without one is suspect."""
    for version in data.openssl + data.postgresql:
        latest = version.latest
        if latest and _supported(version) and older_than_a_year(latest.date):
            product = "OpenSSL" if isinstance(version, OpenSSLSeries) else "PostgreSQL"
            until = f"until {version.eol}" if version.eol else "still"
            yield latest.origin.problem(
                RULE.name, f"{product} {version.version} is supported {until}, but its latest release "
                f"{latest.version} is dated {latest.date}, more than a year ago: look for a newer one",
                "date", severity=WARNING)


RULE = Rule("latest-release-age",
            "Warning: a supported version's latest release is more than a year old.", check)
