"""What the pictures share: colours, fonts, text measurement, saving.

matplotlib is imported inside the functions that need it, never at module level, so that
importing :mod:`orgmodel.drawing` costs nothing until something is drawn.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import math
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orgmodel.errors import OutputError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.text import Text

__all__ = [
    "CJK_FONTS",
    "EVENT_STYLE",
    "FORMATS",
    "TextMeasure",
    "find_cjk_font",
    "kind_colours",
    "lighten",
    "picture_width",
    "png_dpi",
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

#: How every event kind is drawn, as a colour and a marker, in every picture that shows events
#: (a test checks that every kind of :data:`orgmodel.events.KINDS` has one).
EVENT_STYLE: Mapping[str, tuple[str, str]] = {
    "added": ("#1a9850", "P"),
    "removed": ("#d73027", "X"),
    "renamed": ("#b8860b", "s"),
    "moved": ("#2166ac", "D"),
    "split": ("#e08214", "<"),
    "merged": ("#8073ac", ">"),
    "spun_off": ("#c51b7d", "^"),
    "returned": ("#01665e", "v"),
    "status_changed": ("#762a83", "h"),
    "plan_changed": ("#4393c3", "*"),
    "kind_changed": ("#4d4d4d", "p"),
    "leader_changed": ("#35978f", "o"),
    "updated": ("#999999", "."),
}

#: The main text colour of every picture.
INK = "#222222"
#: Connectors and other quiet lines.
QUIET = "#8a8a8a"


@functools.cache
def find_cjk_font() -> str | None:
    """The family name of the first of :data:`CJK_FONTS` that matplotlib can find, or None.

    matplotlib keeps its list of the system's fonts in a cache of its own, which a font
    installed after that cache was made does not reach. Then the system's CJK font files are
    added to matplotlib's font manager, as :meth:`~matplotlib.font_manager.FontManager.addfont`
    would add them; what that finds is kept in orgmodel's cache (:func:`_font_cache_file`), so
    that a later process adds the same fonts without searching for them or reading their faces.
    """
    from matplotlib import font_manager

    manager = font_manager.fontManager
    found = _first_cjk_family(manager)
    if found is None:
        _add_system_cjk_fonts(manager)
        found = _first_cjk_family(manager)
    return found


#: File names of the fonts that may hold a family of :data:`CJK_FONTS`.
_CJK_FILE = re.compile(
    r"cjk|sourcehan|wqy|wenquanyi|droidsansfallback|ukai|uming|yahei|"
    r"simhei|msyh|pingfang|hiragino",
    re.IGNORECASE,
)


def _add_system_cjk_fonts(manager: Any) -> None:
    """Add the system's CJK font files to ``manager``, from orgmodel's cache when it still
    describes the same files and font folders, else by searching for them (and caching it)."""
    from matplotlib import font_manager

    cache = _font_cache_file()
    stamp = _font_folders_stamp()
    entries = _cached_font_entries(cache, stamp) if cache is not None else None
    if entries is not None and _add_font_entries(manager, entries):
        return
    before = len(manager.ttflist)
    files = sorted(p for p in font_manager.findSystemFonts() if _CJK_FILE.search(Path(p).name))
    for path in files:
        with contextlib.suppress(Exception):
            manager.addfont(path)
    if cache is not None:
        added = [dataclasses.asdict(entry) for entry in manager.ttflist[before:]]
        _write_font_cache(cache, stamp, files, added)


def _font_cache_file() -> Path | None:
    """Where the CJK fonts found are kept: beside the validated files, in orgmodel's cache
    folder (None when the cache is off)."""
    from orgmodel.cache import cache_folder

    folder = cache_folder()
    return None if folder is None else folder.parent / "orgmodel-fonts" / "cjk-fonts.json"


def _font_folders_stamp() -> dict[str, int]:
    """The modification times of the system's font folders two levels down: installing or
    removing a font package changes one of them."""
    from matplotlib import font_manager

    roots = [*font_manager.X11FontDirectories, *font_manager.OSXFontDirectories]
    stamp: dict[str, int] = {}
    pending = [(Path(root), 0) for root in roots]
    while pending:
        folder, level = pending.pop()
        try:
            stamp[str(folder)] = folder.stat().st_mtime_ns
            if level < 2:
                pending.extend((sub, level + 1) for sub in folder.iterdir() if sub.is_dir())
        except OSError:
            continue
    return stamp


def _cached_font_entries(cache: Path, stamp: Mapping[str, int]) -> list[dict[str, Any]] | None:
    """The font entries cached, if the cache was written by this matplotlib for the same font
    folders and every file it names is unchanged; else None."""
    import json

    import matplotlib

    try:
        kept = json.loads(cache.read_text(encoding="utf-8"))
        if kept["matplotlib"] != matplotlib.__version__ or kept["folders"] != stamp:
            return None
        for path, (size, mtime) in kept["files"].items():
            info = Path(path).stat()
            if (info.st_size, info.st_mtime_ns) != (size, mtime):
                return None
        entries = kept["entries"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return entries if isinstance(entries, list) else None


def _add_font_entries(manager: Any, entries: Sequence[Mapping[str, Any]]) -> bool:
    """Add cached font entries to ``manager`` as ``addfont`` adds them; False (and nothing
    added) if this matplotlib's font manager does not work that way."""
    from matplotlib.font_manager import FontEntry

    clear = getattr(getattr(manager, "_findfont_cached", None), "cache_clear", None)
    if clear is None or not isinstance(getattr(manager, "ttflist", None), list):
        return False
    try:
        made = [FontEntry(**entry) for entry in entries]
    except TypeError:
        return False
    manager.ttflist.extend(made)
    clear()  # as addfont does: a family looked up before may be there now
    return True


def _write_font_cache(
    cache: Path, stamp: Mapping[str, int], files: Sequence[str], entries: list[dict[str, Any]]
) -> None:
    import json

    import matplotlib

    from orgmodel.output import write_atomic

    sizes: dict[str, tuple[int, int]] = {}
    for path in files:
        with contextlib.suppress(OSError):
            info = Path(path).stat()
            sizes[path] = (info.st_size, info.st_mtime_ns)
    kept = {
        "matplotlib": matplotlib.__version__,
        "folders": dict(stamp),
        "files": sizes,
        "entries": entries,
    }
    with contextlib.suppress(OSError, OutputError):
        cache.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cache, json.dumps(kept, sort_keys=True) + "\n")


def _first_cjk_family(manager: Any) -> str | None:
    available = {entry.name for entry in manager.ttflist}
    return next((name for name in CJK_FONTS if name in available), None)


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

    Taking the order from the history (:attr:`History.kind_order`) keeps a kind's colour the
    same in every picture of that history, whatever appears in each. Without it, the usual kinds
    (:data:`orgmodel.model.COMMON_KINDS`) keep their places, present or not, so that two
    pictures drawn without a history still agree on them.

    >>> kind_colours(["holding", "group"], ["group", "lab"])
    {'holding': '#0072B2', 'group': '#E69F00', 'lab': '#009E73'}
    >>> kind_colours(None, ["company"]) == kind_colours(None, ["lab", "company"])
    True
    """
    from orgmodel.model import COMMON_KINDS

    order = list(kinds if kinds is not None else COMMON_KINDS)
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


@dataclass(frozen=True, slots=True)
class _Outline:
    """A glyph at 1 pt: its outline (x to the right, y up from the baseline), the path codes,
    its advance, and how far its ink reaches above and below the baseline."""

    vertices: Any
    codes: Any
    advance: float
    top: float
    bottom: float


@dataclass(frozen=True, slots=True)
class _LineInk:
    """The glyphs of one line at 1 pt: the outlines of those that have ink, one after the
    other (each from its own origin), with how many vertices each has; the advance of every
    glyph and whether it has ink; the line's advance, and how far its ink reaches above and
    below the baseline."""

    vertices: Any
    codes: Any
    counts: Any
    advances: tuple[float, ...]
    drawn: tuple[bool, ...]
    advance: float
    top: float
    bottom: float


class TextMeasure:
    """Sizes of text in points, as matplotlib draws it, measured without drawing it.

    Widths add up the advance of each glyph, taken from the first font of ``families`` that has
    it (the fallback a :class:`matplotlib.text.Text` uses too), plus a little for the rounding
    that hinting does; heights come from matplotlib's own layout of one and of two lines. Shaping
    every label with FreeType is much slower and gains only a point or two.

    The same glyphs, as outlines, let :func:`label_text` draw many labels quickly (see there).
    The faces are private copies: matplotlib's shared ones change size and transform as it
    draws, which would corrupt advances measured between two drawings.
    """

    #: Points added per character for hinting, which rounds each advance to whole pixels.
    SLACK_PER_CHAR = 0.4

    def __init__(self, families: list[str] | None = None, linespacing: float = 1.2) -> None:
        self.families = families
        self.linespacing = linespacing
        self._fonts: dict[tuple[float, str], FontProperties] = {}
        self._faces: dict[str, list[Any]] = {}
        self._advances: dict[tuple[str, str], float] = {}  # at 1 pt
        self._line_advances: dict[tuple[str, str], float] = {}  # of whole lines, at 1 pt
        self._heights: dict[tuple[float, str], tuple[float, float]] = {}
        self._outlines: dict[tuple[str, str], _Outline | None] = {}  # at 1 pt
        self._lines: dict[tuple[str, str], _LineInk | None] = {}
        self._metrics: dict[str, tuple[float, float, float]] = {}

    def font(self, size: float, weight: str = "normal") -> FontProperties:
        """The font properties used for ``size`` and ``weight``."""
        key = (size, weight)
        if key not in self._fonts:
            from matplotlib.font_manager import FontProperties

            self._fonts[key] = FontProperties(family=self.families, size=size, weight=weight)
        return self._fonts[key]

    def _font_faces(self, weight: str) -> list[Any]:
        if weight not in self._faces:
            from matplotlib.font_manager import FontProperties, findfont
            from matplotlib.ft2font import FT2Font, LoadFlags

            families = self.families or [self.font(10).get_family()[0]]
            faces = []
            for family in families:
                face = FT2Font(findfont(FontProperties(family=[family], weight=weight)))
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

    def outline(self, char: str, weight: str = "normal") -> _Outline | None:
        """The outline of ``char`` in ``weight`` at 1 pt (y up from the baseline), or None
        when no face has it."""
        if (char, weight) not in self._outlines:
            import numpy as np

            faces = self._font_faces(weight)
            face = next((f for f in faces if f.get_char_index(ord(char))), None)
            found = None
            if face is not None:
                glyph = face.load_char(ord(char), flags=self._flags)
                vertices, codes = face.get_path()
                points = np.array(vertices, dtype=float) / 100  # a copy: FreeType reuses it
                found = _Outline(
                    points,
                    np.array(codes, dtype=np.uint8),
                    glyph.linearHoriAdvance / 65536 / 100,
                    float(points[:, 1].max()) if len(points) else 0.0,
                    float(-points[:, 1].min()) if len(points) else 0.0,
                )
            self._outlines[char, weight] = found
        return self._outlines[char, weight]

    def line_ink(self, line: str, weight: str = "normal") -> _LineInk | None:
        """The outlines of the glyphs of ``line`` in ``weight`` (see :class:`_LineInk`), or
        None when a glyph has none."""
        if (line, weight) not in self._lines:
            self._lines[line, weight] = self._read_line_ink(line, weight)
        return self._lines[line, weight]

    def _read_line_ink(self, line: str, weight: str) -> _LineInk | None:
        import numpy as np

        outlines = [self.outline(char, weight) for char in line]
        if any(outline is None for outline in outlines):
            return None
        glyphs = [outline for outline in outlines if outline is not None]
        inked = [outline for outline in glyphs if len(outline.codes)]
        kerns = self._kerning(line, weight)
        advances = [o.advance + kern for o, kern in zip(glyphs, kerns, strict=True)]
        return _LineInk(
            np.concatenate([o.vertices for o in inked]) if inked else np.empty((0, 2)),
            np.concatenate([o.codes for o in inked]) if inked else np.empty(0, dtype=np.uint8),
            np.array([len(o.codes) for o in inked], dtype=int),
            tuple(advances),
            tuple(bool(len(o.codes)) for o in glyphs),
            sum(advances),
            max((o.top for o in glyphs), default=0.0),
            max((o.bottom for o in glyphs), default=0.0),
        )

    def _kerning(self, line: str, weight: str) -> list[float]:
        """The kerning after each glyph of ``line`` at 1 pt, between two glyphs of one face,
        as matplotlib lays out a line (unkerned, a long line comes out wider than its)."""
        from matplotlib.ft2font import Kerning

        faces = self._font_faces(weight)
        found = [
            next(((f, i) for f in faces if (i := f.get_char_index(ord(char)))), None)
            for char in line
        ]
        kerns = [
            a[0].get_kerning(a[1], b[1], Kerning.UNFITTED) / 64 / 100
            if a is not None and b is not None and a[0] is b[0]
            else 0.0
            for a, b in itertools.pairwise(found)
        ]
        return [*kerns, 0.0] if line else []

    def font_metrics(self, weight: str = "normal") -> tuple[float, float, float]:
        """The ascent, descent and line gap of the first face of ``weight`` at 1 pt, from
        its tables, as matplotlib reads them to lay out lines."""
        if weight not in self._metrics:
            self._metrics[weight] = self._read_font_metrics(weight)
        return self._metrics[weight]

    def _read_font_metrics(self, weight: str) -> tuple[float, float, float]:
        face = self._font_faces(weight)[0]
        for table, ascent, descent, gap in (
            ("OS/2", "sTypoAscender", "sTypoDescender", "sTypoLineGap"),
            ("hhea", "ascent", "descent", "lineGap"),
        ):
            metrics = face.get_sfnt_table(table)
            if metrics is not None:
                em = float(face.get_sfnt_table("head")["unitsPerEm"])
                return metrics[ascent] / em, -metrics[descent] / em, metrics[gap] / em
        return 0.93, 0.24, 0.0

    def width(self, text: str, size: float, weight: str = "normal") -> float:
        """The width in points of one line of ``text``."""
        if not text:
            return 0.0
        return self.width_of(self.advance(text, weight), len(text), size)

    def advance(self, text: str, weight: str = "normal") -> float:
        """The summed advance of the glyphs of one line of ``text`` at 1 pt."""
        # A layout measures the same names many times over: each line is summed once.
        advance = self._line_advances.get((text, weight))
        if advance is None:
            advance = sum(self._advance(char, weight) for char in text)
            self._line_advances[text, weight] = advance
        return advance

    def width_of(self, advance: float, length: int, size: float) -> float:
        """The width in points of a line of ``length`` characters whose glyphs' advance at
        1 pt is ``advance`` (see :meth:`width`): a width can be summed word by word."""
        return advance * size + self.SLACK_PER_CHAR * length * size / 10 + 1.0

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


def label_text(
    ax: Axes | Figure, x: float, y: float, text: str, measure: TextMeasure, **kwargs: Any
) -> Text:
    """Add ``text`` to ``ax`` (or to a figure) at ``(x, y)`` like ``ax.text`` (``figure.text``),
    as a label that a raster picture fills from ``measure``'s cached glyph outlines.

    matplotlib lays out and renders every glyph of every text afresh each time it draws, about
    a millisecond per label; a chart of a thousand units spent seconds on that alone. The label
    is an ordinary :class:`~matplotlib.text.Text` (its extent, font and colour are matplotlib's;
    SVG and PDF get real text), but on the Agg renderer it is drawn as one filled path of the
    outlines of its glyphs, laid out as matplotlib lays out lines: each line's ink centred in a
    line ``linespacing`` times the font's height (with ``"normal"``, a line as tall as its ink
    or the font's ascent and descent), placed as ``ha`` and ``va`` say. Glyphs are kerned as
    matplotlib kerns them, but outlines are not hinted, so a line may come out a little
    narrower or wider than matplotlib's (by up to about 2% on a long line), never wider than
    :meth:`TextMeasure.width` measures it. Text that is rotated, framed, of a weight other
    than normal or bold, or has a glyph no font holds is drawn by matplotlib.
    """
    label = _label_class()(x, y, text, measure=measure, **kwargs)
    ax.add_artist(label)
    return label


@functools.cache
def _label_class() -> type[Text]:
    """The class of :func:`label_text`'s labels, made once matplotlib is imported."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.path import Path as MplPath
    from matplotlib.text import Text

    class Label(Text):
        """A text whose glyphs the Agg renderer fills from cached outlines."""

        def __init__(self, *args: Any, measure: TextMeasure, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._measure = measure

        def set(self, **kwargs: Any) -> list[Any]:
            # A set() of its own: for a subclass without one, matplotlib writes a set() whose
            # signature and docstring list every property, which costs more than drawing a
            # chart's labels.
            return Text.set(self, **kwargs)

        def ink_path(self, renderer: Any) -> MplPath | None:
            """The outlines the label fills, in display pixels; None when matplotlib draws it."""
            return _ink_path(self, self._measure, renderer) if _from_outlines(self) else None

        def draw(self, renderer: Any) -> None:
            on_agg = isinstance(renderer, RendererAgg) and self.get_visible()
            path = self.ink_path(renderer) if on_agg else None
            if path is None:
                super().draw(renderer)
                return
            if len(path):
                _fill_ink(self, renderer, path)
            self.stale = False

    return Label


def _from_outlines(text: Text) -> bool:
    """Whether ``text`` can be drawn from outlines: unrotated, not framed, in the normal or
    the bold weight and aligned as :func:`_ink_path` can align it."""
    return (
        text.get_rotation() == 0
        and not text.get_usetex()
        and text.get_bbox_patch() is None
        and not text.get_path_effects()
        and text.get_fontweight() in _WEIGHTS
        and (isinstance(text.get_linespacing(), int | float) or text.get_linespacing() == "normal")
        and text.get_horizontalalignment() in _SHIFT
        and text.get_verticalalignment() in (*_DROP, *_TO_BASELINE)
    )


#: Where a line's ink starts, as a share of its width, for each horizontal alignment; and where
#: a text's top is, as a share of its lines' height, for each vertical alignment, or (aligned
#: on its baseline) of the way down to its last line's baseline.
_SHIFT = {"left": 0.0, "center": 0.5, "right": 1.0}
_DROP = {"top": 0.0, "center": 0.5, "bottom": 1.0}
_TO_BASELINE = {"baseline": 1.0, "center_baseline": 0.5}
#: The faces :class:`TextMeasure` holds outlines of, by the weights matplotlib takes for them.
_WEIGHTS: Mapping[str | int, str] = {"normal": "normal", 400: "normal", "bold": "bold", 700: "bold"}


def _ink_path(text: Text, measure: TextMeasure, renderer: Any) -> Any:
    """The outlines of ``text``'s glyphs in display pixels, laid out as matplotlib lays out
    lines (see :func:`label_text`); None when a glyph has no outline."""
    import numpy as np
    from matplotlib.path import Path as MplPath

    em = renderer.points_to_pixels(text.get_fontsize())
    weight = _WEIGHTS[text.get_fontweight()]
    found = [measure.line_ink(line, weight) for line in text.get_text().split("\n")]
    inks = [ink for ink in found if ink is not None]
    if len(inks) < len(found):
        return None
    drops, height = _baselines(text.get_linespacing(), inks, measure.font_metrics(weight), em)
    x0, y0 = text.get_transform().transform(text.get_unitless_position())
    align = text.get_verticalalignment()
    if align in _TO_BASELINE:
        top = y0 + _TO_BASELINE[align] * drops[-1]
    else:
        top = y0 + _DROP[align] * height
    shift = _SHIFT[text.get_horizontalalignment()]
    vertices: list[Any] = []
    codes: list[Any] = []
    for ink, drop in zip(inks, drops, strict=True):
        baseline = round(top - drop)  # whole pixels keep it crisp
        left = round(x0 - shift * (ink.advance * em))
        if len(ink.codes):
            vertices.append(_placed(ink, em, left, baseline))
            codes.append(ink.codes)
    if not vertices:
        return MplPath(np.empty((0, 2)), np.empty(0, dtype=np.uint8))
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _baselines(
    spacing: Any, inks: Sequence[_LineInk], metrics: tuple[float, float, float], em: float
) -> tuple[list[float], float]:
    """How far below a text's top each of its lines' baselines is, and the text's height, in
    pixels at ``em`` pixels to the point, as matplotlib lays lines out: a number ``spacing``
    centres each line's ink in a slot that many times the font's height; ``"normal"`` gives a
    line at least the font's ascent and descent, and lines of a text of several the font's
    line gap between them."""
    ascent, descent, gap = metrics
    if spacing == "normal":
        half_gap = gap * em / 2 if len(inks) > 1 else 0.0
        drops, below = [], 0.0
        for ink in inks:
            above = max(ink.top, ascent) * em + half_gap
            drops.append(below + above)
            below = drops[-1] + max(ink.bottom, descent) * em + half_gap
        return drops, below
    slot = spacing * (ascent + descent) * em
    drops = [i * slot + (slot + (ink.top - ink.bottom) * em) / 2 for i, ink in enumerate(inks)]
    return drops, len(inks) * slot


def _placed(ink: _LineInk, em: float, left: float, baseline: float) -> Any:
    """The vertices of a line's glyphs at ``em`` pixels to the point, its first glyph at
    ``left`` on ``baseline``: each glyph moved on by the advances before it, in pixels."""
    import numpy as np

    starts = []
    advance = 0.0
    for glyph_advance, drawn in zip(ink.advances, ink.drawn, strict=True):
        if drawn:
            starts.append(left + advance)
        advance += glyph_advance * em
    placed = ink.vertices * em
    placed[:, 0] += np.repeat(np.array(starts, dtype=float), ink.counts)
    placed[:, 1] += baseline
    return placed


def _fill_ink(text: Text, renderer: Any, path: Any) -> None:
    """Fill ``path`` in ``text``'s colour, clipped as ``text`` is, as one shape."""
    from matplotlib.colors import to_rgba
    from matplotlib.transforms import IdentityTransform

    agg: Any = renderer  # its drawing methods are not typed
    gc = agg.new_gc()
    gc.set_foreground(text.get_color())
    gc.set_alpha(text.get_alpha())
    gc.set_url(text.get_url())
    gc.set_antialiased(text.get_antialiased())
    gc.set_linewidth(0)
    text._set_gc_clip(gc)  # type: ignore[attr-defined]
    agg.open_group("text", text.get_gid())
    face = to_rgba(text.get_color(), text.get_alpha())
    agg.draw_path(gc, path, IdentityTransform(), face)
    agg.close_group("text")
    gc.restore()


def wrap_to_width(
    text: str, width: float, measure: TextMeasure, size: float, separator: str = " "
) -> list[str]:
    """Break ``text`` at ``separator`` into lines no wider than ``width`` points (a word longer
    than the width gets a line of its own)."""
    lines: list[str] = []
    current, advance = "", 0.0  # the line so far, and its glyphs' advance
    gap = measure.advance(separator)
    for word in text.split(separator):
        step = measure.advance(word)
        if not current:
            current, advance = word, step
            continue
        candidate = f"{current}{separator}{word}"
        # Summed word by word: measuring each longer line afresh costs its length squared.
        if measure.width_of(advance + gap + step, len(candidate), size) > width:
            lines.append(current)
            current, advance = word, step
        else:
            current, advance = candidate, advance + gap + step
    if current:
        lines.append(current)
    return lines


#: The resolution of a PNG unless told a ``dpi``: twice a screen's, sharp on a phone or in print.
DEFAULT_DPI = 200.0

#: The most pixels :func:`save_figure` gives a PNG unless told a ``dpi``.
MAX_PIXELS = 12e6
#: The fewest dots per inch it lowers a PNG to: text of 9 pt is still 9 pixels high.
MIN_DPI = 72.0


def png_dpi(inches: Iterable[float], dpi: float) -> float:
    """The resolution :func:`save_figure` gives a PNG of a figure ``inches`` wide and high whose
    own resolution is ``dpi``.

    >>> png_dpi((10, 5), 100), png_dpi((50, 30), 100), png_dpi((200, 100), 100)
    (100, 89.44271909999159, 72.0)
    """
    width, height = (float(side) for side in inches)
    if width * height * dpi**2 <= MAX_PIXELS:
        return dpi
    return max(MIN_DPI, math.sqrt(MAX_PIXELS / (width * height)))


#: How many of each unit of :func:`picture_width` make an inch (``px``: the resolution).
LENGTH_PER_INCH: Mapping[str, float] = {"in": 1.0, "cm": 2.54, "mm": 25.4, "pt": 72.0}


def picture_width(text: str, dpi: float | None = None) -> float:
    """The width in inches that ``text`` names: a number with a unit, ``in``, ``cm``, ``mm``,
    ``pt`` or ``px``, where a bare number is pixels at ``dpi`` (default :data:`DEFAULT_DPI`).

    >>> picture_width("1200"), picture_width("1200px", 100), picture_width("72pt")
    (6.0, 12.0, 1.0)

    Raises ``ValueError`` (with a sentence saying what would be right) for anything else.
    """
    match = re.fullmatch(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)\s*", text.lower())
    unit = match.group(2) if match else ""
    if match is None or unit not in (*LENGTH_PER_INCH, "px", ""):
        raise ValueError(
            f"'{text}' is not a width: give a number of pixels (1200), or a number with a unit: "
            "1200px, 16cm, 160mm, 6.5in, 468pt"
        )
    value = float(match.group(1))
    if value <= 0:
        raise ValueError(f"'{text}' is not a width: it must be more than 0")
    if unit in ("px", ""):
        return value / (dpi if dpi is not None else DEFAULT_DPI)
    return value / LENGTH_PER_INCH[unit]


def save_figure(figure: Figure, path: str | Path, *, dpi: float | None = None) -> Path:
    """Save ``figure`` to ``path`` in the format its suffix names: ``.png``, ``.svg`` or ``.pdf``.

    An SVG keeps its text as text (searchable, and editable in a drawing program) and a PDF
    embeds its fonts as TrueType; both are set for this figure only, never for the process. A
    PNG is drawn at ``dpi`` if given, else at :data:`DEFAULT_DPI`; but a figure so large that this
    makes more than :data:`MAX_PIXELS` pixels (an org chart of a thousand units is some 40 by 30
    inches) is drawn at the resolution that fits, though never below :data:`MIN_DPI`. Time to
    draw and write a PNG grows with its pixels, and at 72 dpi a 9 pt label is still legible. SVG
    and PDF are vector and keep the figure's size.

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
    if fmt == "png":
        from orgmodel.drawing._png import write_png

        resolution = dpi if dpi is not None else png_dpi(figure.get_size_inches(), DEFAULT_DPI)
        return write_atomic(target, lambda handle: write_png(figure, handle, resolution))
    options: dict[str, Any] = {"format": fmt, "facecolor": "white"}
    options["dpi"] = dpi if dpi is not None else DEFAULT_DPI
    if fmt == "svg":
        options["metadata"] = {"Date": None}

    def write(handle: Any) -> None:
        import matplotlib

        # For this figure only: real text in an SVG (searchable, editable by a graphics desk)
        # and TrueType fonts embedded in a PDF, rather than outlines and Type 3 fonts.
        with matplotlib.rc_context({"svg.fonttype": "none", "pdf.fonttype": 42}):
            figure.savefig(handle, **options)

    return write_atomic(target, write)
