from macros.check.rules.base import Rule


def check(data, tree):
    """Dates are strings in the files; ISO format makes text order the calendar order."""
    for version in data.openssl + data.postgresql:
        released, eol, latest = version.released, version.eol, version.latest
        if released and eol and not released < eol:
            yield version.origin.problem(RULE.name, f"end of life {eol} is not after the release {released}",
                                         "eol")
        if latest and released and latest.date < released:
            yield latest.origin.problem(RULE.name, f"{latest.version} ({latest.date}) is dated before the "
                                        f"first release ({released})", "date")


RULE = Rule("date-order", "A release comes before its end of life, and its latest patch after it.",
            check)
