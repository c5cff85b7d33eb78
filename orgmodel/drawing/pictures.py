"""The picture ``orgmodel plot`` draws of a history: the org chart in force on a date, the
change chart between two dates, or a small change chart for each step between them.

The snapshots and diffs come from the history (the engine says what changed); the chart
functions of :mod:`orgmodel.drawing.orgchart` draw them.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from orgmodel.dates import DateLike
from orgmodel.errors import DateError

if TYPE_CHECKING:
    from orgmodel.drawing.orgchart import Chart, Steps
    from orgmodel.history import History

__all__ = ["draw_history", "used_words"]


def draw_history(
    history: History,
    date: DateLike,
    compare: DateLike | None = None,
    *,
    steps: bool = False,
    root: str | None = None,
    depth: int | None = None,
    lang: str = "en",
    title: str | None = None,
    width: float | None = None,
    leaders: bool = False,
    citations: bool = True,
) -> Chart | Steps:
    """The org chart of the snapshot in force on ``date``; with ``compare``, the change chart
    from it to the one in force on ``compare``; with ``steps`` too, each step between them
    (:func:`~orgmodel.drawing.draw_change_steps`), so that a round trip shows. ``leaders``
    belongs to the org chart, ``root`` and ``depth`` to the single charts; ``width`` is in
    inches. The result's ``dates`` are the snapshot dates drawn."""
    from orgmodel.drawing.orgchart import draw_change_chart, draw_change_steps, draw_org_chart

    if compare is None:
        if steps:
            raise DateError(f"--steps draws the steps from {date} to a later date: give --compare")
        return draw_org_chart(
            history.at(date),
            root=root,
            depth=depth,
            lang=lang,
            title=title,
            width=width,
            kinds=history.kind_order,
            sources=history.sources,
            leaders=leaders,
            citations=citations,
        )
    start, stop = history.span(date, compare)
    chain = list(history.snapshots[start : stop + 1])
    if steps:
        if len(chain) < 2:
            raise DateError(
                f"--steps: {date} and {compare} fall in one snapshot ({chain[0].date}); "
                "give dates further apart"
            )
        diffs = [history.diff(x.date, y.date) for x, y in itertools.pairwise(chain)]
        return draw_change_steps(chain, diffs, lang=lang, title=title, width=width)
    first, second = chain[0], chain[-1]
    return draw_change_chart(
        first,
        second,
        history.diff(first.date, second.date),
        root=root,
        depth=depth,
        lang=lang,
        title=title,
        width=width,
        sources=history.sources,
        citations=citations,
    )


def used_words(drawn: Chart | Steps) -> str:
    """Which snapshots a picture drew, in words: ``snapshot of D`` or ``snapshots of A -> B``."""
    dates = " -> ".join(dict.fromkeys(day.isoformat() for day in drawn.dates))
    return f"snapshot{'s' if ' -> ' in dates else ''} of {dates}"
