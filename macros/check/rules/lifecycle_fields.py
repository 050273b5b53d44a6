from macros.check.rules.base import Rule


def check(data, tree):
    """A beta has no release or end-of-life date yet; a released major must have both."""
    for major in data.postgresql:
        if major.status == "beta":
            for key in ("released", "eol", "latest_minor"):
                if key in major.origin.file.data:
                    yield major.origin.problem(RULE.name, f"a beta has no `{key}` yet", key, at_key=True)
        else:
            for key in ("released", "eol", "latest_minor"):
                if key not in major.origin.file.data:
                    yield major.origin.problem(RULE.name, f"a released major needs `{key}`", "status")


RULE = Rule("lifecycle-fields", "Released majors have release, end-of-life and latest-minor facts; betas none.",
            check)
