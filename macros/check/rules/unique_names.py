from macros.check.rules.base import Rule


def check(data, tree):
    """Two entries for one setting would give two answers to one question."""
    for kind, settings in data.settings.items():
        seen = set()
        for setting in settings:
            if setting.name in seen:
                yield setting.origin.problem(RULE.name, f"{kind} setting {setting.name} is listed twice", "name")
            seen.add(setting.name)
            if setting.renamed_to:
                target = next((s for s in settings if s.name == setting.renamed_to), None)
                if target is None:
                    yield setting.origin.problem(RULE.name, f"renamed_to {setting.renamed_to}, which is not "
                                                 f"a {kind} setting here", "renamed_to")
                elif target.added != setting.removed:
                    yield setting.origin.problem(RULE.name, f"{setting.renamed_to} is added in {target.added}, "
                                                 f"but {setting.name} is removed in {setting.removed}",
                                                 "renamed_to")


RULE = Rule("unique-names", "Setting names are unique per kind, and renames point at a real setting.",
            check)
