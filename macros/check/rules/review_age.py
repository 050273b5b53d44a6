from macros.check.rules.base import Rule
from macros.core.clock import older_than_a_year
from macros.core.problems import WARNING


def check(data, tree):
    """Facts drift: a file nobody has checked against its sources for a year needs a look."""
    for loaded in tree.files():
        reviewed = loaded.data.get("reviewed") if isinstance(loaded.data, dict) else None
        if reviewed and older_than_a_year(reviewed):
            yield loaded.problem(("reviewed",), RULE.name,
                                 f"last reviewed on {reviewed}, more than a year ago: check the file "
                                 "against its sources, then update `reviewed`", WARNING)


RULE = Rule("review-age", "Warning: a file's `reviewed` date is more than a year old.", check)
