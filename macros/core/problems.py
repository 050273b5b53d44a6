"""One problem found in the data, printed as `path:line:col: rule: message`."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    rule: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == WARNING else ""
        return f"{self.path}:{self.line}:{self.col}: {self.rule}: {prefix}{self.message}"


class DataError(Exception):
    """Raised when the data cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def errors_in(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]
