from macros.check.rules.base import Rule


def _series_text(series):
    return ", ".join(s.series for s in series)


def check(data, tree):
    """PostgreSQL can only offer what the OpenSSL it was built with offers by default.

    A cell "on" must hold for every OpenSSL series the major can be built with; a conditional
    cell must hold for every buildable series inside its condition. This is what catches
    "TLS 1.3: on" for a major that still builds with OpenSSL 1.0.2.
    """
    for major in data.postgresql:
        buildable = data.buildable_series(major)
        for protocol, cell in major.cells.items():
            if cell.status == "on":
                scope = buildable
            elif cell.status == "conditional" and cell.condition:
                scope = [s for s in buildable if cell.condition.admits_series(s.series)]
            else:
                continue
            lacking = [s for s in scope if s.cells.get(protocol) and s.cells[protocol].status != "on"]
            if lacking:
                hint = ("add or tighten `condition: {openssl: ...}` / `openssl_before`"
                        if cell.status == "conditional" else "use status conditional with an OpenSSL condition")
                yield cell.origin.problem(
                    RULE.name, f"{protocol} is not on by default in OpenSSL {_series_text(lacking)}, "
                    f"which PostgreSQL {major.major} can be built with; {hint}", "status")
            if cell.status == "conditional" and cell.condition and cell.condition.otherwise:
                yield from _otherwise_problems(major, protocol, cell, buildable)
            if cell.status == "conditional" and cell.condition and not scope and (
                    cell.condition.openssl or cell.condition.openssl_before):
                yield cell.origin.problem(RULE.name, f"no OpenSSL series that PostgreSQL {major.major} "
                                          "builds with satisfies this condition", "condition")


def _otherwise_problems(major, protocol, cell, buildable):
    """`otherwise` must be what every buildable OpenSSL series outside the condition does by default."""
    outside = [s for s in buildable if not cell.condition.admits_series(s.series)]
    differing = [s for s in outside if s.cells.get(protocol)
                 and s.cells[protocol].status != cell.condition.otherwise]
    if differing:
        found = ", ".join(f"{s.series}: {s.cells[protocol].status}" for s in differing)
        yield cell.origin.problem(
            RULE.name, f"`otherwise: {cell.condition.otherwise}` disagrees with OpenSSL ({found}), which "
            f"PostgreSQL {major.major} can be built with outside the condition; leave `otherwise` out "
            "when the outcome differs", "condition", "otherwise")


RULE = Rule("pg-openssl-consistency",
            "A PostgreSQL protocol cell agrees with every OpenSSL series that major builds with.", check)
