from macros.check.rules.base import Rule


def check(data, tree):
    """A default that is not an accepted value is a typo in one of the two."""
    for settings in data.settings.values():
        for setting in settings:
            for rng in setting.ranges:
                if rng.values is not None and rng.default is not None and rng.default not in rng.values:
                    shown = ", ".join(repr(v) for v in rng.values)
                    yield rng.origin.problem(RULE.name, f"default {rng.default!r} is not among the "
                                             f"accepted values ({shown})", "default")


RULE = Rule("default-in-values", "A setting's default is one of its accepted values.", check)
