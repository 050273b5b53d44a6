from macros.check.rules.base import Rule


def check(data, tree):
    """A branch that ended before an OpenSSL series appeared is "unsupported" for it, never "unknown".

    No release of the branch came out after the series, so none can support it: one situation,
    one status (9.4 x 3.0 and 12 x 4.0 alike). Only the entry written for that series is checked;
    a later series inherits the entry before it.
    """
    for major in data.postgresql:
        if not major.eol:
            continue
        for milestone in major.milestones:
            series = data.openssl_series(milestone.openssl)
            if series and milestone.status == "unknown" and major.eol < series.released:
                yield milestone.origin.problem(
                    RULE.name, f"PostgreSQL {major.major} ended ({major.eol}) before OpenSSL "
                    f"{series.series} appeared ({series.released}): use status unsupported, with a note "
                    "saying the branch ended first", "status")


RULE = Rule("ended-before-series",
            "A branch that ended before an OpenSSL series appeared is unsupported for it, not unknown.", check)
