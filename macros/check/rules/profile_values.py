from macros.check.rules.base import Rule


def check(data, tree):
    """A profile's floor is written into ssl_min_protocol_version: it must be a value it accepts."""
    setting = data.setting("server", "ssl_min_protocol_version")
    accepted = sorted({v for r in setting.ranges for v in r.values or ()}) if setting else []
    for profile in data.profiles:
        if profile.min_protocol not in accepted:
            yield profile.origin.problem(RULE.name, f"min_protocol {profile.min_protocol} is not a value of "
                                         f"ssl_min_protocol_version (accepted: {', '.join(accepted)})",
                                         "min_protocol")


RULE = Rule("profile-values", "A profile's protocol floor is a value ssl_min_protocol_version accepts.",
            check)
