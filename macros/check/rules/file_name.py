from macros.check.rules.base import Rule


def check(data, tree):
    """data/openssl/3.0.yaml must describe series "3.0": links and pages are built from names."""
    for stem, loaded in tree.openssl.items():
        if loaded.data["series"] != stem:
            yield loaded.problem(("series",), RULE.name,
                                 f"series \"{loaded.data['series']}\" does not match the file name {stem}.yaml")
    for stem, loaded in tree.postgresql.items():
        if loaded.data["major"] != stem:
            yield loaded.problem(("major",), RULE.name,
                                 f"major \"{loaded.data['major']}\" does not match the file name {stem}.yaml")


RULE = Rule("file-name", "A version file is named after the version it describes.", check)
