from macros.check.rules.base import Rule


def check(data, tree):
    """'Removed' means it was there in the previous version; otherwise it is 'unsupported'."""
    for product in (data.openssl, data.postgresql):
        for older, newer in zip(product, product[1:]):
            for protocol, cell in newer.cells.items():
                before = older.cells.get(protocol)
                if cell.status == "removed" and before and not before.available:
                    yield cell.origin.problem(
                        RULE.name, f"{protocol} is marked removed, but {older.version} did not have it "
                        f"either ({before.status}); use unsupported", "status")


RULE = Rule("removed-history", "A protocol is 'removed' only in the version right after one that had it.",
            check)
