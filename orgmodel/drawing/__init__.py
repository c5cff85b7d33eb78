"""Drawing: org charts, change charts, timelines and flow charts.

matplotlib is imported inside the drawing functions only, so importing this package (or
:mod:`orgmodel`) does not pay for it. Each function takes ``ax=None`` (draw into a new figure
sized to the picture) or an existing ``Axes``, and returns what it drew; :func:`save_figure`
writes a figure to a file.

Each public name is imported from its module the first time it is used (PEP 562): an org chart
does not load the timeline's or the flow chart's code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from orgmodel._lazy import lazy_names

if TYPE_CHECKING:
    from orgmodel.drawing._style import (
        CJK_FONTS,
        DEFAULT_DPI,
        FORMATS,
        find_cjk_font,
        picture_width,
        save_figure,
    )
    from orgmodel.drawing._words import LANGUAGES, WORDS, kind_word, word
    from orgmodel.drawing.flow import FlowChart, draw_flow_chart
    from orgmodel.drawing.orgchart import (
        Chart,
        Steps,
        draw_change_chart,
        draw_change_steps,
        draw_org_chart,
    )
    from orgmodel.drawing.pictures import draw_history
    from orgmodel.drawing.timeline import Timeline, draw_timeline

#: The module each public name comes from.
_HOMES: dict[str, tuple[str, ...]] = {
    "_style": (
        "CJK_FONTS",
        "DEFAULT_DPI",
        "FORMATS",
        "find_cjk_font",
        "picture_width",
        "save_figure",
    ),
    "_words": ("LANGUAGES", "WORDS", "kind_word", "word"),
    "flow": ("FlowChart", "draw_flow_chart"),
    "orgchart": (
        "Chart",
        "Steps",
        "draw_change_chart",
        "draw_change_steps",
        "draw_org_chart",
    ),
    "pictures": ("draw_history",),
    "timeline": ("Timeline", "draw_timeline"),
}
__all__ = [
    "CJK_FONTS",
    "DEFAULT_DPI",
    "FORMATS",
    "LANGUAGES",
    "WORDS",
    "Chart",
    "FlowChart",
    "Steps",
    "Timeline",
    "draw_change_chart",
    "draw_change_steps",
    "draw_flow_chart",
    "draw_history",
    "draw_org_chart",
    "draw_timeline",
    "find_cjk_font",
    "kind_word",
    "picture_width",
    "save_figure",
    "word",
]


__getattr__, __dir__ = lazy_names(__name__, _HOMES, globals())
