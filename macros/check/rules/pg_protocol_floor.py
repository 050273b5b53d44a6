from macros.check.rules.base import Rule


def check(data, tree):
    """Below the default ssl_min_protocol_version a protocol is off by default, whatever OpenSSL says."""
    for major in data.postgresql:
        floor = data.default_min_protocol(major)
        if not floor:
            continue
        floor_index = next((i for i, p in enumerate(data.protocols) if p.pg_value == floor), None)
        if floor_index is None:
            continue
        for index, protocol in enumerate(data.protocols[:floor_index]):
            cell = major.cells.get(protocol.id)
            if cell and cell.status in ("on", "conditional"):
                yield cell.origin.problem(
                    RULE.name, f"{protocol.id} is below the default ssl_min_protocol_version ({floor}) of "
                    f"PostgreSQL {major.major}, so it cannot be {cell.status}; use off with `enable:`",
                    "status")


RULE = Rule("pg-protocol-floor",
            "No PostgreSQL cell is on below that major's default ssl_min_protocol_version.", check)
