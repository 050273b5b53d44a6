from macros.check.rules.base import Rule
from macros.core.versions import is_pg_minor, openssl_series_of, pg_minor_parts


def _pg_release_problem(origin, release, major, *keys):
    if not is_pg_minor(release) or pg_minor_parts(release)[0] != major:
        return origin.problem(RULE.name, f"{release} is not a release of PostgreSQL {major} "
                              f"(write {major}.N)", *keys)


def _openssl_release_problem(origin, release, series, *keys, first_allowed=False):
    """first_allowed: the series' first release (1.0.2, 3.0.0) may be its latest, not a `from`."""
    try:
        belongs = openssl_series_of(release) == series and (first_allowed or release != series)
    except ValueError:
        belongs = False
    if not belongs:
        kind = "release" if first_allowed else "patch release"
        return origin.problem(RULE.name, f"{release} is not a {kind} of OpenSSL {series}", *keys)


def check(data, tree):
    """"from 9.4.12" on the 13 page, or "since 1.0.1s" on 1.0.2, would print a wrong version."""
    found = []
    for major in data.postgresql:
        if major.latest:
            found.append(_pg_release_problem(major.latest.origin, major.latest.version, major.major,
                                             "version"))
        for milestone in major.milestones:
            if milestone.since:
                found.append(_pg_release_problem(milestone.origin, milestone.since, major.major, "since"))
        for cell in major.cells.values():
            if cell.condition and cell.condition.from_release:
                found.append(_pg_release_problem(cell.origin, cell.condition.from_release, major.major,
                                                 "condition", "from"))
    for series in data.openssl:
        found.append(_openssl_release_problem(series.latest.origin, series.latest.version, series.series,
                                              "version", first_allowed=True))
        for cell in series.cells.values():
            if cell.condition and cell.condition.from_release:
                found.append(_openssl_release_problem(cell.origin, cell.condition.from_release,
                                                      series.series, "condition", "from"))
    yield from (p for p in found if p)


RULE = Rule("release-belongs", "A minor or patch release named in a file belongs to that file's version.",
            check)
