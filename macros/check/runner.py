"""load -> schema -> rules: every problem in the data, in one list."""

from __future__ import annotations

from pathlib import Path

from macros.check.rules import RULES
from macros.core import clock
from macros.core.problems import DataError, Problem, errors_in
from macros.load.tree import read_tree
from macros.model.dataset import Dataset, build_dataset


def check_data(data_dir: Path) -> tuple[Dataset | None, list[Problem]]:
    """The dataset (None when a file could not be read or fails its schema) and all problems.

    Raises clock.BadDate, before reading anything, when TLSKB_TODAY is not a date.
    """
    clock.today()
    tree, problems = read_tree(Path(data_dir))
    if errors_in(problems):
        # Rules assume schema-valid files; running them now would only add noise.
        return None, sorted(set(problems))
    # A bug in the model or in a rule must still end in a message, not a traceback.
    try:
        dataset = build_dataset(tree)
    except Exception as error:
        return None, sorted(set(problems + [_internal_error(data_dir, "building the model", error)]))
    for rule in RULES:
        try:
            problems.extend(rule.check(dataset, tree))
        except Exception as error:
            problems.append(_internal_error(data_dir, f"rule {rule.name}", error))
    return dataset, sorted(set(problems))


def _internal_error(data_dir: Path, step: str, error: Exception) -> Problem:
    return Problem(str(data_dir), 1, 1, "internal-error", f"{step} failed: {type(error).__name__}: {error}")


def load_dataset(data_dir: Path) -> Dataset:
    """The checked dataset, or DataError with every problem: what the site and exports use."""
    dataset, problems = check_data(data_dir)
    if dataset is None or errors_in(problems):
        raise DataError(errors_in(problems))
    return dataset
