from macros.check.rules.base import Rule
from macros.core.versions import openssl_key


def check(data, tree):
    """Milestones are read 'closest older series wins', so order and duplicates matter."""
    for major in data.postgresql:
        keys = [openssl_key(m.openssl) for m in major.milestones]
        if keys != sorted(keys):
            yield major.origin.problem(RULE.name, "list openssl_support oldest series first",
                                       "build", "openssl_support", at_key=True)
        seen = set()
        for milestone in major.milestones:
            if milestone.openssl in seen:
                yield milestone.origin.problem(RULE.name, f"OpenSSL {milestone.openssl} is listed twice",
                                               "openssl")
            seen.add(milestone.openssl)
            if openssl_key(milestone.openssl) < openssl_key(major.min_openssl.series):
                yield milestone.origin.problem(RULE.name, f"OpenSSL {milestone.openssl} is below the "
                                               f"minimum ({major.min_openssl.series})", "openssl")
            if milestone.status == "supported" and not milestone.since:
                yield milestone.origin.problem(RULE.name, "a supported milestone needs `since:` "
                                               "(the first minor release with it)", "status")
            if milestone.inferred and not milestone.note:
                yield milestone.origin.problem(RULE.name, "an inferred milestone needs a `note:`",
                                               "inferred")


RULE = Rule("build-milestones", "OpenSSL build milestones are ordered, unique, above the minimum and dated.",
            check)
