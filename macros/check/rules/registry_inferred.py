from macros.check.rules.base import Rule


def check(data, tree):
    """Readers see "(inferred)" and follow the note to learn how the version was worked out."""
    for feature in data.cli_features:
        if feature.inferred and not feature.note:
            yield feature.origin.problem(RULE.name, "an inferred `since` needs a `note:` saying from what",
                                         "inferred")


RULE = Rule("registry-inferred", "An inferred OpenSSL option version has a note.", check)
