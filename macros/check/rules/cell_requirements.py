from macros.check.rules.base import Rule
from macros.model.openssl import OpenSSLSeries


def check(data, tree):
    """A status alone is not enough: readers need to know how to enable it, or when it applies."""
    for version in data.openssl + data.postgresql:
        is_openssl = isinstance(version, OpenSSLSeries)
        for cell in version.cells.values():
            if cell.status == "off" and not cell.enable:
                yield cell.origin.problem(RULE.name, "status off needs `enable:` (how to turn it on)",
                                          "status")
            if cell.status != "off" and cell.enable:
                yield cell.origin.problem(RULE.name, f"`enable:` only goes with status off, not {cell.status}",
                                          "enable", at_key=True)
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
            "off needs enable; conditional needs condition and note; inferred needs note.", check)
