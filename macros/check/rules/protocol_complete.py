from macros.check.rules.base import Rule


def check(data, tree):
    """Every table has a column per protocol: a missing cell would render as a silent gap."""
    ids = [p.id for p in data.protocols]
    for protocol in data.protocols:
        if ids.count(protocol.id) > 1:
            yield protocol.origin.problem(RULE.name, f"protocol {protocol.id} is listed twice", "id")
    for version in data.openssl + data.postgresql:
        for missing in [i for i in dict.fromkeys(ids) if i not in version.cells]:
            yield version.origin.problem(RULE.name, f"no cell for protocol {missing}", "protocols",
                                         at_key=True)
        for extra in [p for p in version.cells if p not in ids]:
            yield version.cells[extra].origin.problem(
                RULE.name, f"{extra} is not in data/protocols.yaml (ids: {', '.join(ids)})", at_key=True)


RULE = Rule("protocol-complete", "Each version file has exactly one cell per registered protocol.",
            check)
