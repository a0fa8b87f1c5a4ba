"""The one error hierarchy of staffpath.

Every exception staffpath raises on purpose is a :class:`StaffpathError`. The split
that matters is *whose mistake it is*::

    StaffpathError
    ├── UserError              the user can fix it; shown without a traceback (exit 1 / HTTP 4xx)
    │   ├── DesignError        a design file is broken: carries every Problem found, located
    │   ├── InputError         a missing file, a bad flag value, an unreadable path
    │   └── SimulationBudgetError  a simulation ran past its event or wall-clock budget
    └── InternalError          a bug in staffpath; shown with a traceback and a request to report it

The CLI renders these in one place (``staffpath.cli.errors``); the web app will map them
to status codes in one handler. Nothing else should catch them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a design, located in its source text.

    ``line`` and ``column`` are 1-based; 0 means "the file as a whole". ``path`` is the
    dotted address of the field (``workload.flows.read.steps[2].hit``), empty for the
    document itself.
    """

    line: int
    column: int
    path: str
    message: str
    hint: str = ""
    severity: Severity = "error"

    def render(self, file: str) -> str:
        """``file:line:column: path: message (hint)``, the form editors and CI logs link."""
        where = f"{file}:{self.line}:{self.column}"
        what = f"{self.path}: {self.message}" if self.path else self.message
        text = f"{where}: {what}"
        if self.severity == "warning":
            text = f"{where}: warning: {what}"
        return f"{text} ({self.hint})" if self.hint else text

    def to_dict(self, file: str) -> dict[str, object]:
        return {"file": file, **asdict(self)}


class StaffpathError(Exception):
    """Base of every error staffpath raises on purpose."""


class UserError(StaffpathError):
    """Something the user can fix: the message says what and how."""


class InputError(UserError):
    """A file that cannot be read, a flag out of range, a path that does not exist."""


class DesignError(UserError):
    """A design that does not load. ``problems`` holds every problem found, in file order."""

    def __init__(self, problems: Iterable[Problem], *, source: str = "<design>") -> None:
        self.problems: tuple[Problem, ...] = tuple(
            sorted(problems, key=lambda p: (p.line, p.column, p.path, p.message))
        )
        self.source = source
        errors = [p for p in self.problems if p.severity == "error"]
        first = errors[0].render(source) if errors else "no problems"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{first}{more}")

    @property
    def errors(self) -> Sequence[Problem]:
        return [p for p in self.problems if p.severity == "error"]


class SimulationBudgetError(UserError):
    """A simulation that would not finish within its budgets: a model that does not drain."""


class InternalError(StaffpathError):
    """A bug in staffpath, never the user's fault."""
