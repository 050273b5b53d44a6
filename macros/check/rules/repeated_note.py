from macros.check.rules.base import Rule


def _entries(major):
    yield from ((m.origin, m.note) for m in major.milestones)
    yield major.min_openssl.origin, major.min_openssl.note


def check(data, tree):
    """A build-support note is said once per row: an entry that copies another entry's note word
    for word (the way inherited cells once did) should refer to that entry instead."""
    for major in data.postgresql:
        seen = {}
        for origin, note in _entries(major):
            text = (note or {}).get("en", "").strip()
            if not text:
                continue
            first = seen.setdefault(text, origin)
            if first is not origin:
                yield origin.problem(RULE.name, f"this note repeats the one at {first.where()} word for "
                                     "word; say it once and refer to it", "note")


RULE = Rule("repeated-note",
            "A build-support note of a major does not repeat another note of the same major verbatim.", check)
