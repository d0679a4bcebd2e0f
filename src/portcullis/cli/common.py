"""Pieces every command group shares: the --home option and one-line failures."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from portcullis.errors import PortcullisError

console = Console()
err_console = Console(stderr=True)

HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home",
        help="Workspace folder (default: $PORTCULLIS_HOME, else ./portcullis-home).",
        show_default=False,
    ),
]


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a one-line reason on stderr and exit non-zero."""
    err_console.print(f"portcullis: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def one_line_errors() -> Iterator[None]:
    """Turn any PortcullisError raised inside into a one-line failure."""
    try:
        yield
    except PortcullisError as exc:
        fail(str(exc))
