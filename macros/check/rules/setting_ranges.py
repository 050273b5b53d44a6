from macros.check.rules.base import Rule
from macros.core.versions import pg_major_key


def _problems(setting, majors):
    if setting.removed and pg_major_key(setting.removed) <= pg_major_key(setting.added):
        yield setting.origin.problem(RULE.name, f"removed in {setting.removed}, not after added "
                                     f"in {setting.added}", "removed")
        return
    if setting.renamed_to and not setting.removed:
        yield setting.origin.problem(RULE.name, "renamed_to needs `removed:` (the first major with the "
                                     "new name)", "renamed_to")
    # The majors this setting exists in, each of which must fall in exactly one range.
    alive = [m for m in majors if setting.exists_in(m)]
    for rng in setting.ranges:
        if rng.end and pg_major_key(rng.end) < pg_major_key(rng.start):
            yield rng.origin.problem(RULE.name, f"range ends ({rng.end}) before it starts ({rng.start})", "to")
        if pg_major_key(rng.start) < pg_major_key(setting.added):
            yield rng.origin.problem(RULE.name, f"range starts at {rng.start}, before the setting was "
                                     f"added in {setting.added}", "from")
        if setting.removed and pg_major_key(rng.start) >= pg_major_key(setting.removed):
            yield rng.origin.problem(RULE.name, f"range starts at {rng.start}, after the setting was "
                                     f"removed in {setting.removed}", "from")
    for major in alive:
        covering = [r for r in setting.ranges if r.covers(major)]
        if len(covering) > 1:
            yield covering[1].origin.problem(RULE.name, f"ranges overlap: {major} falls in more than one",
                                             "from")
        elif not covering:
            yield setting.origin.problem(RULE.name, f"no range covers {major}", "versions", at_key=True)
    starts = [pg_major_key(r.start) for r in setting.ranges]
    if starts != sorted(starts):
        yield setting.origin.problem(RULE.name, "list the ranges oldest first", "versions", at_key=True)


def check(data, tree):
    """Exactly one behaviour per major: gaps would print nothing, overlaps two contradicting facts."""
    majors = [m.major for m in data.postgresql]
    for settings in data.settings.values():
        for setting in settings:
            yield from _problems(setting, majors)


RULE = Rule("setting-ranges", "A setting's version ranges are ordered, do not overlap and leave no gap.",
            check)
