"""load -> schema -> rules: every problem in the data, in one list."""

from __future__ import annotations

from pathlib import Path

from macros.model import Dataset, build_dataset
from macros.problems import DataError, Problem, errors_in
from macros.rules import RULES
from macros.tree import read_tree


def check_data(data_dir: Path) -> tuple[Dataset | None, list[Problem]]:
    """The dataset (None when a file could not be read or fails its schema) and all problems."""
    tree, problems = read_tree(Path(data_dir))
    if errors_in(problems):
        # Rules assume schema-valid files; running them now would only add noise.
        return None, sorted(problems)
    dataset = build_dataset(tree)
    for rule in RULES:
        try:
            problems.extend(rule.check(dataset, tree))
        except Exception as error:  # a rule bug must still end in a message, not a traceback
            problems.append(Problem(str(data_dir), 1, 1, "internal-error",
                                    f"rule {rule.name} failed: {type(error).__name__}: {error}"))
    return dataset, sorted(set(problems))


def load_dataset(data_dir: Path) -> Dataset:
    """The checked dataset, or DataError with every problem: what the site and exports use."""
    dataset, problems = check_data(data_dir)
    if dataset is None or errors_in(problems):
        raise DataError(errors_in(problems))
    return dataset
