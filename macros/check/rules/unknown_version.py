from macros.check.rules.base import Rule


def check(data, tree):
    """A reference to a version without a data file cannot be rendered or checked."""
    openssl = [s.series for s in data.openssl]
    pg = [m.major for m in data.postgresql]

    def missing_openssl(origin, value, *keys):
        if value is not None and value not in openssl:
            return origin.problem(RULE.name, f"OpenSSL series \"{value}\" has no data file "
                                  f"(known: {', '.join(openssl)})", *keys)

    def missing_pg(origin, value, *keys):
        if value is not None and value not in pg:
            return origin.problem(RULE.name, f"PostgreSQL major \"{value}\" has no data file "
                                  f"(known: {', '.join(pg)})", *keys)

    found = []
    for version in data.openssl + data.postgresql:
        for cell in version.cells.values():
            if cell.condition:
                found.append(missing_openssl(cell.origin, cell.condition.openssl, "condition", "openssl"))
                found.append(missing_openssl(cell.origin, cell.condition.openssl_before,
                                             "condition", "openssl_before"))
    for major in data.postgresql:
        found.append(missing_openssl(major.min_openssl.origin, major.min_openssl.series, "series"))
        for milestone in major.milestones:
            found.append(missing_openssl(milestone.origin, milestone.openssl, "openssl"))
    for settings in data.settings.values():
        for setting in settings:
            found.append(missing_pg(setting.origin, setting.added, "added"))
            found.append(missing_pg(setting.origin, setting.removed, "removed"))
            for rng in setting.ranges:
                found.append(missing_pg(rng.origin, rng.start, "from"))
                found.append(missing_pg(rng.origin, rng.end, "to"))
    yield from (p for p in found if p)


RULE = Rule("unknown-version", "Every version a file refers to has its own data file.", check)
