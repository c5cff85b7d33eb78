"""What the pictures share (orgmodel.drawing._style): the CJK fonts found once and cached."""

from __future__ import annotations

import dataclasses
import functools
import os
import shutil
from pathlib import Path
from typing import Any

import matplotlib
import pytest
from matplotlib import font_manager

from orgmodel.drawing import _style


class _Manager:
    """A font manager of its own, empty, that adds fonts as matplotlib's does."""

    addfont = font_manager.FontManager.addfont

    def __init__(self) -> None:
        self.ttflist: list[Any] = []
        self.afmlist: list[Any] = []
        self._findfont_cached = functools.lru_cache(lambda: None)


@pytest.fixture
def fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A font folder holding one font whose file name says CJK, as the only system font, and
    orgmodel's cache in a folder of its own."""
    folder = tmp_path / "fonts" / "opentype" / "noto"
    folder.mkdir(parents=True)
    bundled = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    shutil.copy(bundled, folder / "NotoSansCJK-Regular.ttf")
    monkeypatch.setattr(font_manager, "X11FontDirectories", [str(tmp_path / "fonts")])
    monkeypatch.setattr(font_manager, "OSXFontDirectories", [])
    monkeypatch.setenv("ORGMODEL_CACHE", str(tmp_path / "cache"))
    return folder


def _searches(monkeypatch: pytest.MonkeyPatch, folder: Path) -> list[int]:
    """Count the searches for system fonts, which find the files in ``folder``."""
    calls: list[int] = []

    def find(*args: object, **kwargs: object) -> list[str]:
        calls.append(1)
        return sorted(str(path) for path in folder.iterdir())

    monkeypatch.setattr(font_manager, "findSystemFonts", find)
    return calls


def _entries(manager: _Manager) -> list[dict[str, Any]]:
    return [dataclasses.asdict(entry) for entry in manager.ttflist]


def test_fonts_found_once_are_added_from_the_cache(
    fonts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    searches = _searches(monkeypatch, fonts)
    first = _Manager()
    _style._add_system_cjk_fonts(first)
    assert len(searches) == 1
    assert {entry["fname"] for entry in _entries(first)} == {str(fonts / "NotoSansCJK-Regular.ttf")}
    later = _Manager()
    _style._add_system_cjk_fonts(later)
    assert len(searches) == 1, "the second process searched again"
    assert _entries(later) == _entries(first)


def test_a_changed_font_file_or_folder_is_searched_again(
    fonts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    searches = _searches(monkeypatch, fonts)
    _style._add_system_cjk_fonts(_Manager())
    font = fonts / "NotoSansCJK-Regular.ttf"
    stat = font.stat()
    os.utime(font, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    _style._add_system_cjk_fonts(_Manager())
    assert len(searches) == 2
    shutil.copy(font, fonts / "NotoSerifCJK-Regular.ttf")  # a font installed since
    folder = fonts.stat()  # as a later install would leave it, whatever the clock's grain
    os.utime(fonts, ns=(folder.st_atime_ns, folder.st_mtime_ns + 10**9))
    manager = _Manager()
    _style._add_system_cjk_fonts(manager)
    assert len(searches) == 3
    assert len({entry["fname"] for entry in _entries(manager)}) == 2


def test_without_the_cache_fonts_are_searched_every_time(
    fonts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORGMODEL_CACHE", "off")
    searches = _searches(monkeypatch, fonts)
    for _ in range(2):
        manager = _Manager()
        _style._add_system_cjk_fonts(manager)
        assert _entries(manager)
    assert len(searches) == 2


def test_a_damaged_cache_is_searched_again(fonts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    searches = _searches(monkeypatch, fonts)
    _style._add_system_cjk_fonts(_Manager())
    cache = _style._font_cache_file()
    assert cache is not None and cache.is_file()
    cache.write_text('{"matplotlib": ', encoding="utf-8")
    manager = _Manager()
    _style._add_system_cjk_fonts(manager)
    assert len(searches) == 2 and _entries(manager)


@pytest.mark.parametrize("text", ["", "\n"])
def test_a_label_with_no_text_draws_nothing(text: str) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(dpi=100)
    canvas = FigureCanvasAgg(figure)
    ax = figure.add_axes((0, 0, 1, 1))
    label = _style.label_text(ax, 0.5, 0.5, text, _style.TextMeasure(), va="baseline")
    canvas.draw()
    path = label.ink_path(canvas.get_renderer())  # type: ignore[attr-defined]
    assert path is not None and len(path.vertices) == 0


def _wrapped_by_whole_lines(text, width, measure, size, separator=" "):
    """Lines broken by measuring each longer line afresh."""
    lines, current = [], ""
    for word in text.split(separator):
        candidate = f"{current}{separator}{word}" if current else word
        if current and measure.width(candidate, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines


@pytest.mark.parametrize("seed", range(5))
def test_lines_wrapped_word_by_word_break_where_whole_lines_do(seed: int) -> None:
    import random

    from orgmodel.drawing._style import TextMeasure, wrap_to_width

    rng = random.Random(seed)
    measure = TextMeasure()
    words = ["Alibaba", "Cloud", "Intelligence", "—", "Taobao", "天猫", "a", "", "(CCO)", "Lazada"]
    for _ in range(40):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 30)))
        width, size = rng.uniform(20, 400), rng.choice([6.5, 8.0, 10.0])
        expected = _wrapped_by_whole_lines(text, width, measure, size)
        assert wrap_to_width(text, width, measure, size) == expected
    text = "、".join(rng.choice(words[:6]) for _ in range(20))
    assert wrap_to_width(text, 120, measure, 8.0, "、") == _wrapped_by_whole_lines(
        text, 120, measure, 8.0, "、"
    )
