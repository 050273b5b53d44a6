from macros.check.rules.base import Rule
from macros.model.openssl import OpenSSLSeries


def check(data, tree):
    """A status alone is not enough: readers need to know how to enable it, or when it applies."""
    for version in data.openssl + data.postgresql:
        is_openssl = isinstance(version, OpenSSLSeries)
        for cell in version.cells.values():
            # "otherwise: off" makes a conditional cell off by default outside its condition.
            off_somewhere = cell.status == "off" or (cell.status == "conditional" and cell.condition
                                                     and cell.condition.otherwise == "off")
            if off_somewhere and not cell.enable:
                yield cell.origin.problem(RULE.name, "status off (or `otherwise: off`) needs `enable:` "
                                          "(how to turn it on)", "status")
            if not off_somewhere and cell.enable:
                yield cell.origin.problem(RULE.name, "`enable:` only goes with status off or `otherwise: off`, "
                                          f"not {cell.status}", "enable", at_key=True)
            if cell.status == "conditional" and not cell.condition:
                yield cell.origin.problem(RULE.name, "status conditional needs `condition:`", "status")
            if cell.status != "conditional" and cell.condition:
                yield cell.origin.problem(RULE.name,
                                          f"`condition:` only goes with status conditional, not {cell.status}",
                                          "condition", at_key=True)
            if cell.status == "conditional" and not cell.note:
                yield cell.origin.problem(RULE.name, "status conditional needs a `note:` saying why",
                                          "status")
            if cell.inferred and not cell.note:
                yield cell.origin.problem(RULE.name, "an inferred fact needs a `note:` saying from what",
                                          "inferred")
            if is_openssl and cell.condition and (cell.condition.openssl or cell.condition.openssl_before):
                yield cell.origin.problem(RULE.name, "an OpenSSL series cannot depend on an OpenSSL version; "
                                          "use `from:` with a patch release", "condition")


RULE = Rule("cell-requirements",
            "off (and otherwise: off) needs enable; conditional needs condition and note; inferred needs note.", check)
