from macros.check.rules.base import Rule


def check(data, tree):
    """The guides compare these versions with the data files; an unknown one would never match."""
    openssl = [s.series for s in data.openssl]
    pg = [m.major for m in data.postgresql]

    def unknown(origin, value, known, product, *keys):
        if value is not None and value not in known:
            return origin.problem(RULE.name, f"{product} \"{value}\" has no data file "
                                  f"(known: {', '.join(known)})", *keys)

    found = [unknown(f.origin, f.since, openssl, "OpenSSL series", "since") for f in data.cli_features]
    found += [unknown(f.origin, f.added, pg, "PostgreSQL major", "added") for f in data.features]
    for message in data.messages:
        for version in message.versions:
            found.append(unknown(version.origin, version.start, pg, "PostgreSQL major", "from"))
            found.append(unknown(version.origin, version.end, pg, "PostgreSQL major", "to"))
            found.append(unknown(version.origin, version.openssl, openssl, "OpenSSL series", "openssl"))
    yield from (p for p in found if p)


RULE = Rule("registry-versions",
            "Versions in openssl-cli.yaml, features.yaml and messages.yaml have data files.", check)
