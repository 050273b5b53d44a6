from macros.check.rules.base import Rule
from macros.core.problems import Problem
from macros.load.tree import FOLDERS, SINGLE_FILES, single_file_attribute

PREFIX = "# yaml-language-server: $schema="


def check(data, tree):
    """Editors validate as you type only when the first line names the right schema."""
    expected = [(getattr(tree, single_file_attribute(name)), f"schemas/{schema}")
                for name, schema in SINGLE_FILES.items() if getattr(tree, single_file_attribute(name))]
    for folder, schema in FOLDERS.items():
        expected += [(loaded, f"../schemas/{schema}") for loaded in getattr(tree, folder).values()]
    for loaded, schema in expected:
        if loaded.text.split("\n", 1)[0].strip() != PREFIX + schema:
            yield Problem(loaded.display, 1, 1, RULE.name, f"the first line must be: {PREFIX}{schema}")


RULE = Rule("schema-line", "Each data file starts with the yaml-language-server line for its schema.",
            check)
