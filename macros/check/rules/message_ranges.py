from macros.check.rules.base import Rule
from macros.core.versions import pg_major_key


def _problems(message):
    for version in message.versions:
        if version.end and pg_major_key(version.end) < pg_major_key(version.start):
            yield version.origin.problem(RULE.name, f"range ends ({version.end}) before it starts "
                                         f"({version.start})", "to")
        if version.inferred and not version.note:
            yield version.origin.problem(RULE.name, "an inferred text needs a `note:` saying from what",
                                         "inferred")
    for before, after in zip(message.versions, message.versions[1:]):
        if pg_major_key(after.start) <= pg_major_key(before.start):
            yield after.origin.problem(RULE.name, "list the ranges oldest first", "from")
        elif before.end is None or pg_major_key(before.end) >= pg_major_key(after.start):
            yield after.origin.problem(RULE.name, f"ranges overlap: {after.start} is already covered by "
                                       f"the range from {before.start}", "from")


def check(data, tree):
    """A guide quotes one wording per major: overlapping ranges would give two."""
    for message in data.messages:
        yield from _problems(message)


RULE = Rule("message-ranges",
            "A message's ranges are ordered and do not overlap; inferred wording has a note.", check)
