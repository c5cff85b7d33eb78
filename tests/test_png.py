"""PNG files as orgmodel writes them: the pixels matplotlib draws, in a file any reader opens."""

from __future__ import annotations

import io
import zlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from orgmodel.drawing._png import png_bytes, write_png
from orgmodel.drawing._style import save_figure


def sample_figure(width: float, height: float) -> plt.Figure:
    figure = plt.figure(figsize=(width, height))
    ax = figure.add_axes((0.1, 0.1, 0.8, 0.8))
    ax.plot([0, 1, 2], [0, 2, 1], color="#d62728", linewidth=3)
    ax.fill_between([0, 1, 2], [0, 1, 0], alpha=0.4)
    ax.set_title("Alibaba Group Holding")
    return figure


@pytest.mark.parametrize(("width", "height", "dpi"), [(3, 2, 100), (2.33, 1.01, 137), (1, 1, 7)])
def test_the_pixels_are_the_ones_matplotlib_writes(width: float, height: float, dpi: int) -> None:
    figure = sample_figure(width, height)
    theirs, ours = io.BytesIO(), io.BytesIO()
    figure.savefig(theirs, format="png", dpi=dpi, facecolor="white")
    write_png(figure, ours, dpi)
    expected, written = Image.open(theirs), Image.open(ours)
    written.verify()  # every chunk's checksum
    written = Image.open(ours)
    assert (written.mode, written.size) == (expected.mode, expected.size)
    assert np.array_equal(np.asarray(written), np.asarray(expected))
    assert written.info["Software"] == expected.info["Software"]
    assert written.info["dpi"] == pytest.approx(expected.info["dpi"], abs=0.01)
    plt.close(figure)


def test_rows_are_written_unfiltered_and_whole() -> None:
    pixels = np.arange(3 * 5 * 4, dtype=np.uint8).reshape(3, 5, 4)
    png = png_bytes(pixels.tobytes(), 5, 3, 72, {"Title": "t"})
    start = png.index(b"IDAT")
    length = int.from_bytes(png[start - 4 : start], "big")
    rows = zlib.decompress(png[start + 4 : start + 4 + length])
    assert rows == b"".join(b"\0" + row.tobytes() for row in pixels)
    image = Image.open(io.BytesIO(png))
    assert np.array_equal(np.asarray(image), pixels)
    assert image.info["Title"] == "t"


@pytest.mark.parametrize(("width", "height"), [(1201, 1000), (1100000, 1), (700, 1601)])
def test_a_big_picture_deflated_in_bands_is_one_stream_of_its_rows(width: int, height: int) -> None:
    from orgmodel.drawing import _png

    assert width * height * 4 >= _png.BAND_MIN  # big enough to be cut into bands
    rng = np.random.default_rng(width)
    pixels = rng.integers(0, 4, size=(height, width, 4), dtype=np.uint8) * 60  # runs and noise
    pixels[: height // 2, : width // 3] = 255
    png = png_bytes(pixels.tobytes(), width, height, 72)
    start = png.index(b"IDAT")
    length = int.from_bytes(png[start - 4 : start], "big")
    stream = png[start + 4 : start + 4 + length]
    assert zlib.decompress(stream) == b"".join(b"\0" + row.tobytes() for row in pixels)
    assert stream[:2] == zlib.compress(b"", _png.LEVEL)[:2]  # the header zlib's own would have
    image = Image.open(io.BytesIO(png))
    assert np.array_equal(np.asarray(image), pixels)


def test_save_figure_writes_a_png_with_the_same_pixels(tmp_path) -> None:
    figure = sample_figure(4, 3)
    target = save_figure(figure, tmp_path / "chart.png", dpi=90)
    expected = io.BytesIO()
    figure.savefig(expected, format="png", dpi=90, facecolor="white")
    assert np.array_equal(np.asarray(Image.open(target)), np.asarray(Image.open(expected)))
    plt.close(figure)
