"""What a rule is: a name, one sentence, and a check over the whole dataset."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from macros.core.problems import Problem
from macros.load.tree import DataTree
from macros.model.dataset import Dataset


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    check: Callable[[Dataset, DataTree], Iterable[Problem]]
