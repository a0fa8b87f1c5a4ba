"""The one place where errors become what a person sees on the terminal."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console

from staffpath.errors import DesignError, InternalError, UserError

P = ParamSpec("P")
R = TypeVar("R")

err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """User errors: the message, exit 1, no traceback. Bugs: a traceback and a plea to report."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except DesignError as exc:
            for problem in exc.problems:
                err_console.print(problem.render(exc.source), markup=False)
            raise typer.Exit(1) from None
        except UserError as exc:
            err_console.print(f"error: {exc}", markup=False)
            raise typer.Exit(1) from None
        except InternalError:
            err_console.print("staffpath hit an internal error; please report it with this output:")
            raise
        except KeyboardInterrupt:
            err_console.print("interrupted")
            sys.exit(130)

    return wrapper
