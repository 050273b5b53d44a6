"""What a rule is: a name, one sentence, and a check over the whole dataset."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from macros.model import Dataset
from macros.problems import Problem
from macros.tree import DataTree


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    check: Callable[[Dataset, DataTree], Iterable[Problem]]
