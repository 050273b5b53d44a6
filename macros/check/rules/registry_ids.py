from macros.check.rules.base import Rule


def check(data, tree):
    """The guide code looks entries up by id: a second entry with the same id would be ignored."""
    platforms = data.platforms.platforms if data.platforms else ()
    for registry, entries in (("openssl-cli.yaml", data.cli_features), ("platforms.yaml", platforms),
                              ("profiles.yaml", data.profiles), ("features.yaml", data.features),
                              ("messages.yaml", data.messages)):
        seen = set()
        for entry in entries:
            if entry.id in seen:
                yield entry.origin.problem(RULE.name, f"id {entry.id} is used twice in {registry}", "id")
            seen.add(entry.id)


RULE = Rule("registry-ids", "Ids are unique in each guide registry.", check)
