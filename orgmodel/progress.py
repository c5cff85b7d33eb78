"""Progress of long work: a bar on standard error when it is a terminal, nothing otherwise.

Library code marks its long loops with :func:`track` (or :func:`task`); that costs nothing and
shows nothing unless a caller has turned progress on with :func:`on_terminal`, as the command
line does. Then a bar appears on the terminal once the work has taken :data:`DELAY` seconds,
and goes when it ends, so quick commands never flicker. The bar is drawn with rich, which typer
brings, imported only when one is drawn.

Examples
--------
>>> [n for n in track(range(3), "Counting")]  # progress is off: nothing is drawn
[0, 1, 2]
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator, Sized
from contextvars import ContextVar
from typing import IO, Any, TypeVar

__all__ = ["DELAY", "on_terminal", "task", "track"]

#: Seconds of work after which a bar is shown.
DELAY = 1.0

_T = TypeVar("_T")


class _Terminal:
    """Bars on one terminal stream, drawn by rich once a task has run for :data:`DELAY`."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.progress: Any = None
        self.open = 0

    def show(self, description: str, total: int | None, done: int) -> Any:
        if self.progress is None:
            from rich.console import Console
            from rich.progress import Progress

            self.progress = Progress(console=Console(file=self.stream), transient=True)
            self.progress.start()
        self.open += 1
        return self.progress.add_task(description, total=total, completed=done)

    def hide(self, bar: Any) -> None:
        self.progress.remove_task(bar)
        self.open -= 1
        if self.open == 0:
            self.progress.stop()
            self.progress = None


_terminal: ContextVar[_Terminal | None] = ContextVar("orgmodel_progress", default=None)


@contextlib.contextmanager
def on_terminal(stream: IO[str]) -> Iterator[None]:
    """Draw the progress of long work on ``stream`` in this block, if it is a terminal."""
    isatty = getattr(stream, "isatty", None)
    token = _terminal.set(_Terminal(stream) if isatty is not None and isatty() else None)
    try:
        yield
    finally:
        _terminal.reset(token)


@contextlib.contextmanager
def task(description: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """A unit of long work: the block calls what it is given with the amount done since."""
    terminal = _terminal.get()
    if terminal is None:
        yield _nothing
        return
    started = time.monotonic()
    done = 0
    bar: Any = None

    def advance(amount: int = 1) -> None:
        nonlocal done, bar
        done += amount
        if bar is None:
            if time.monotonic() - started >= DELAY:
                bar = terminal.show(description, total, done)
        else:
            terminal.progress.update(bar, completed=done)

    try:
        yield advance
    finally:
        if bar is not None:
            terminal.hide(bar)


def _nothing(amount: int = 1) -> None:
    return None


def track(items: Iterable[_T], description: str, total: int | None = None) -> Iterator[_T]:
    """Each of ``items``, drawing the share done while progress is on."""
    if total is None and isinstance(items, Sized):
        total = len(items)
    with task(description, total) as advance:
        for item in items:
            yield item
            advance(1)
