"""Writing a drawn figure as a PNG: its rows as they are, deflated.

matplotlib hands its pixels to Pillow, which filters every row adaptively before deflating it
(it tries each of PNG's five filters and keeps the one whose bytes sum lowest). That suits a
photograph; a chart is flat colours, whose unfiltered rows are long runs of one pixel that
deflate well as they are. On the README's org chart (3806 x 2153 pixels) unfiltered rows at
zlib level 3 take a third of the time of Pillow's lightest setting and make a smaller file:
see ``docs/performance.md``. The pixels are the same; so are the file's colour type (8-bit
RGBA), its resolution and the ``Software`` note matplotlib writes.
"""

from __future__ import annotations

import struct
import zlib
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["LEVEL", "write_png"]

#: zlib's level: 1 to 3 cost about the same on a chart's rows, and 3 makes the smallest file;
#: from 4 on the time doubles for a fifth less.
LEVEL = 3

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_INCH = 0.0254  # metres


def write_png(figure: Figure, handle: IO[bytes], dpi: float, facecolor: str = "white") -> None:
    """Draw ``figure`` at ``dpi`` on a ``facecolor`` background with matplotlib's Agg renderer
    and write it to ``handle`` as a PNG."""
    import io

    import matplotlib

    pixels = io.BytesIO()
    figure.savefig(pixels, format="rgba", dpi=dpi, facecolor=facecolor)
    width = int(figure.get_figwidth() * dpi)  # as matplotlib sizes its renderer
    data = pixels.getbuffer()
    height = len(data) // (4 * width) if width else 0
    if not height or width * height * 4 != len(data):  # not as matplotlib used to draw
        del data
        figure.savefig(handle, format="png", dpi=dpi, facecolor=facecolor)
        return
    software = f"Matplotlib version{matplotlib.__version__}, https://matplotlib.org/"
    handle.write(png_bytes(data, width, height, dpi, {"Software": software}))


def png_bytes(
    rgba: Any, width: int, height: int, dpi: float, notes: dict[str, str] | None = None
) -> bytes:
    """A PNG of ``height`` rows of ``width`` RGBA pixels (``rgba``, row after row), at ``dpi``,
    with ``notes`` as text chunks.

    >>> png = png_bytes(bytes([255, 0, 0, 255] * 2), 2, 1, 72)
    >>> png[:8], png[12:16], png[-8:-4]
    (b'\\x89PNG\\r\\n\\x1a\\n', b'IHDR', b'IEND')
    """
    view = memoryview(rgba).cast("B")
    stride = 4 * width
    deflate = zlib.compressobj(LEVEL)
    parts = []
    for row in range(height):
        parts.append(deflate.compress(b"\0"))  # the row's filter type: none
        parts.append(deflate.compress(view[row * stride : (row + 1) * stride]))
    parts.append(deflate.flush())
    per_metre = round(dpi / _INCH)
    chunks = [
        _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)),
        _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
        *(
            _chunk(b"tEXt", f"{key}\0{text}".encode("latin-1"))
            for key, text in (notes or {}).items()
        ),
        _chunk(b"IDAT", b"".join(parts)),
        _chunk(b"IEND", b""),
    ]
    return _SIGNATURE + b"".join(chunks)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
