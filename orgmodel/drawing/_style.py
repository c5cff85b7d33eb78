"""What the pictures share: colours, fonts, text measurement, saving.

matplotlib is imported inside the functions that need it, never at module level, so that
importing :mod:`orgmodel.drawing` costs nothing until something is drawn.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orgmodel.errors import OutputError

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

__all__ = [
    "CJK_FONTS",
    "FORMATS",
    "TextMeasure",
    "find_cjk_font",
    "kind_colours",
    "lighten",
    "save_figure",
]

#: The suffixes :func:`save_figure` writes, and the format each one means.
FORMATS: Mapping[str, str] = {".png": "png", ".svg": "svg", ".pdf": "pdf"}

#: CJK font families looked for, best first, among the fonts matplotlib can find.
CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
    "Noto Sans CJK HK",
    "Noto Sans CJK KR",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Source Han Sans",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "Noto Serif CJK SC",
    "Noto Serif CJK TC",
    "Noto Serif CJK JP",
    "Source Han Serif SC",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
)

# A qualitative palette that stays apart for colour-blind readers (Okabe & Ito), then tab10's
# remaining hues; kinds beyond these reuse the list.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#8c564b",
    "#7f7f7f",
    "#bcbd22",
    "#9467bd",
    "#17becf",
)

#: The main text colour of every picture.
INK = "#222222"
#: Connectors and other quiet lines.
QUIET = "#8a8a8a"


@functools.cache
def find_cjk_font() -> str | None:
    """The family name of the first of :data:`CJK_FONTS` that matplotlib can find, or None."""
    from matplotlib import font_manager

    available = {entry.name for entry in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in available:
            return name
    return None


def text_families(lang: str, texts: Iterable[str] = ()) -> tuple[list[str] | None, bool]:
    """The font families for labels in ``lang``, and whether labels may use ``name_zh``.

    For ``zh`` this is the CJK font first (so that Chinese names have their glyphs) and the
    default sans-serif after it; with no CJK font installed it warns once and falls back to
    English names.
    """
    if lang == "en":
        # An English name now and then holds a Chinese character; let a CJK font supply it
        # (only then: falling back glyph by glyph makes drawing slower).
        cjk = find_cjk_font() if any(ord(ch) >= 0x2E80 for text in texts for ch in text) else None
        return ([_default_family(), cjk] if cjk else None), False
    if lang != "zh":
        raise ValueError(f"unknown language '{lang}': use 'en' or 'zh'")
    font = find_cjk_font()
    if font is None:
        warnings.warn(
            "no CJK font found (looked for Noto Sans CJK, Source Han Sans, WenQuanYi, Droid Sans "
            "Fallback, AR PL); drawing English names instead. Install one, e.g. the Debian "
            "package fonts-noto-cjk.",
            UserWarning,
            stacklevel=3,
        )
        return None, False
    # The CJK font first, for its glyphs; the default sans-serif after it, for anything it lacks.
    return [font, _default_family()], True


def _default_family() -> str:
    from matplotlib.font_manager import FontProperties, findfont, get_font

    return str(get_font(findfont(FontProperties(family=["sans-serif"]))).family_name)


def kind_colours(
    kinds: Mapping[str, Any] | Sequence[str] | None, present: Iterable[str]
) -> dict[str, str]:
    """A colour for each kind: the palette in the order of ``kinds``, then of ``present``.

    Taking the order from the history's list of kinds keeps a kind's colour the same in every
    picture of that history, whatever appears in each.

    >>> kind_colours(["holding", "group"], ["group", "lab"])
    {'holding': '#0072B2', 'group': '#E69F00', 'lab': '#009E73'}
    """
    order = list(kinds or ())
    for kind in present:
        if kind not in order:
            order.append(kind)
    return {kind: PALETTE[index % len(PALETTE)] for index, kind in enumerate(order)}


def lighten(colour: str, amount: float) -> tuple[float, float, float]:
    """``colour`` mixed with white: 0 keeps it, 1 makes it white.

    >>> lighten("#000000", 0.5)
    (0.5, 0.5, 0.5)
    """
    from matplotlib.colors import to_rgb

    red, green, blue = to_rgb(colour)
    return (
        red + (1 - red) * amount,
        green + (1 - green) * amount,
        blue + (1 - blue) * amount,
    )


class TextMeasure:
    """Sizes of text in points, as matplotlib draws it, measured without drawing it.

    Widths add up the advance of each glyph, taken from the first font of ``families`` that has
    it (the fallback a :class:`matplotlib.text.Text` uses too), plus a little for the rounding
    that hinting does; heights come from matplotlib's own layout of one and of two lines. Shaping
    every label with FreeType is much slower and gains only a point or two.
    """

    #: Points added per character for hinting, which rounds each advance to whole pixels.
    SLACK_PER_CHAR = 0.4

    def __init__(self, families: list[str] | None = None, linespacing: float = 1.2) -> None:
        self.families = families
        self.linespacing = linespacing
        self._fonts: dict[tuple[float, str], FontProperties] = {}
        self._faces: dict[str, list[Any]] = {}
        self._advances: dict[tuple[str, str], float] = {}  # at 1 pt
        self._heights: dict[tuple[float, str], tuple[float, float]] = {}

    def font(self, size: float, weight: str = "normal") -> FontProperties:
        """The font properties used for ``size`` and ``weight``."""
        key = (size, weight)
        if key not in self._fonts:
            from matplotlib.font_manager import FontProperties

            self._fonts[key] = FontProperties(family=self.families, size=size, weight=weight)
        return self._fonts[key]

    def _font_faces(self, weight: str) -> list[Any]:
        if weight not in self._faces:
            from matplotlib.font_manager import FontProperties, findfont, get_font
            from matplotlib.ft2font import LoadFlags

            families = self.families or [self.font(10).get_family()[0]]
            faces = []
            for family in families:
                face = get_font(findfont(FontProperties(family=[family], weight=weight)))
                face.set_size(100, 72)
                faces.append(face)
            self._faces[weight] = faces
            self._flags = LoadFlags.NO_HINTING
        return self._faces[weight]

    def _advance(self, char: str, weight: str) -> float:
        key = (char, weight)
        if key not in self._advances:
            faces = self._font_faces(weight)
            face = next((f for f in faces if f.get_char_index(ord(char))), None)
            if face is None:  # drawn as a missing-glyph box: count a full em
                self._advances[key] = 1.0
            else:
                glyph = face.load_char(ord(char), flags=self._flags)
                self._advances[key] = glyph.linearHoriAdvance / 65536 / 100
        return self._advances[key]

    def width(self, text: str, size: float, weight: str = "normal") -> float:
        """The width in points of one line of ``text``."""
        if not text:
            return 0.0
        advance = sum(self._advance(char, weight) for char in text)
        return advance * size + self.SLACK_PER_CHAR * len(text) * size / 10 + 1.0

    def size(self, text: str, size: float, weight: str = "normal") -> tuple[float, float]:
        """``(width, height)`` in points of ``text`` (lines split on newlines)."""
        key = (size, weight)
        if key not in self._heights:
            self._heights[key] = (
                self._measure("lp", size, weight)[1],
                self._measure("lp\nlp", size, weight)[1],
            )
        one, two = self._heights[key]
        lines = text.split("\n")
        width = max(self.width(line, size, weight) for line in lines)
        return width, one + (len(lines) - 1) * (two - one)

    def _measure(self, text: str, size: float, weight: str) -> tuple[float, float]:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.text import Text

        figure = Figure(dpi=72)
        renderer = FigureCanvasAgg(figure).get_renderer()  # type: ignore[no-untyped-call]
        label = Text(
            0, 0, text, linespacing=self.linespacing, fontproperties=self.font(size, weight)
        )
        label.set_figure(figure)
        extent = label.get_window_extent(renderer)
        return float(extent.width), float(extent.height)


def wrap_to_width(
    text: str, width: float, measure: TextMeasure, size: float, separator: str = " "
) -> list[str]:
    """Break ``text`` at ``separator`` into lines no wider than ``width`` points (a word longer
    than the width gets a line of its own)."""
    lines: list[str] = []
    current = ""
    for word in text.split(separator):
        candidate = f"{current}{separator}{word}" if current else word
        if current and measure.width(candidate, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def save_figure(figure: Figure, path: str | Path, *, dpi: float | None = None) -> Path:
    """Save ``figure`` to ``path`` in the format its suffix names: ``.png``, ``.svg`` or ``.pdf``.

    The file is written under a temporary name in the same folder and renamed into place once
    complete, so a failure never leaves a half-written file. Raises :class:`OutputError` for any
    other suffix, or when the file cannot be written.
    """
    from orgmodel.output import write_atomic

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        allowed = ", ".join(FORMATS)
        raise OutputError(
            f"{target}: cannot save a picture as '{target.suffix or '(no suffix)'}'; "
            f"use one of {allowed}"
        )
    fmt = FORMATS[suffix]
    options: dict[str, Any] = {"format": fmt, "facecolor": "white"}
    if dpi is not None:
        options["dpi"] = dpi
    if fmt == "svg":
        options["metadata"] = {"Date": None}
    if fmt == "png":
        width, height = figure.get_size_inches() * (dpi or figure.dpi)
        if width * height > 8e6:
            # A chart of a thousand units is tens of megapixels: light compression saves
            # seconds and costs little on flat colours.
            options["pil_kwargs"] = {"compress_level": 1}
    return write_atomic(target, lambda handle: figure.savefig(handle, **options))
