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
import threading
import zlib
from typing import IO, TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["LEVEL", "write_png"]

#: zlib's level: 1 to 3 cost about the same on a chart's rows, and 3 makes the smallest file;
#: from 4 on the time doubles for a fifth less.
LEVEL = 3
#: A picture of at least ``BAND_MIN`` bytes of pixels is deflated in ``BANDS`` bands at once.
BANDS = 4
BAND_MIN = 4 << 20

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_INCH = 0.0254  # metres


def write_png(figure: Figure, handle: IO[bytes], dpi: float, facecolor: str = "white") -> None:
    """Draw ``figure`` at ``dpi`` on a ``facecolor`` background with matplotlib's Agg renderer
    and write it to ``handle`` as a PNG."""
    import matplotlib

    pixels = _Pixels()
    figure.savefig(cast(IO[bytes], pixels), format="rgba", dpi=dpi, facecolor=facecolor)
    width = int(figure.get_figwidth() * dpi)  # as matplotlib sizes its renderer
    data = memoryview(pixels.data).cast("B")
    height = len(data) // (4 * width) if width else 0
    if not height or width * height * 4 != len(data):  # not as matplotlib used to draw
        figure.savefig(handle, format="png", dpi=dpi, facecolor=facecolor)
        return
    software = f"Matplotlib version{matplotlib.__version__}, https://matplotlib.org/"
    handle.write(png_bytes(data, width, height, dpi, {"Software": software}))


class _Pixels:
    """Where matplotlib writes a figure's raw pixels: its renderer's buffer is kept as it is
    handed over, not copied (some 30 MB for a default timeline)."""

    def __init__(self) -> None:
        self.data: Any = b""

    def write(self, data: Any) -> None:
        self.data = data if not self.data else bytes(self.data) + bytes(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        """What matplotlib looks for in a file it is handed; never needed."""
        raise OSError("not seekable")


def png_bytes(
    rgba: Any, width: int, height: int, dpi: float, notes: dict[str, str] | None = None
) -> bytes:
    """A PNG of ``height`` rows of ``width`` RGBA pixels (``rgba``, row after row), at ``dpi``,
    with ``notes`` as text chunks.

    >>> png = png_bytes(bytes([255, 0, 0, 255] * 2), 2, 1, 72)
    >>> png[:8], png[12:16], png[-8:-4]
    (b'\\x89PNG\\r\\n\\x1a\\n', b'IHDR', b'IEND')
    """
    rows = memoryview(rgba).cast("B")
    per_metre = round(dpi / _INCH)
    chunks = [
        _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)),
        _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
        *(
            _chunk(b"tEXt", f"{key}\0{text}".encode("latin-1"))
            for key, text in (notes or {}).items()
        ),
        _chunk(b"IDAT", _deflated(rows, 4 * width, height)),
        _chunk(b"IEND", b""),
    ]
    return _SIGNATURE + b"".join(chunks)


def _deflated(rows: memoryview, stride: int, height: int) -> bytes:
    """The zlib stream of ``height`` rows of ``stride`` bytes, each after its filter type
    (none). A big picture's rows are deflated in :data:`BANDS` bands on as many threads
    (zlib lets go of the interpreter while it works), each band's blocks ending on a byte
    boundary so that they follow each other in one stream, as pigz does it; the checksum of
    the whole is put together from the bands'. The bands are the same on every machine, so
    the file is too."""
    bands = BANDS if stride * height >= BAND_MIN else 1
    starts = [height * band // bands for band in range(bands + 1)]
    results: list[tuple[bytes, int]] = [(b"", 1)] * bands

    def deflate(band: int) -> None:
        raw = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)  # no header, no checksum
        parts, checksum = [], 1
        for row in range(starts[band], starts[band + 1]):
            line = rows[row * stride : (row + 1) * stride]
            parts += [raw.compress(b"\0"), raw.compress(line)]
            checksum = zlib.adler32(line, zlib.adler32(b"\0", checksum))
        parts.append(raw.flush(zlib.Z_FINISH if band == bands - 1 else zlib.Z_SYNC_FLUSH))
        results[band] = (b"".join(parts), checksum)

    threads = [threading.Thread(target=deflate, args=(band,)) for band in range(1, bands)]
    for thread in threads:
        thread.start()
    deflate(0)
    for thread in threads:
        thread.join()
    checksum = results[0][1]
    for band in range(1, bands):
        length = (starts[band + 1] - starts[band]) * (stride + 1)
        checksum = _adler32_combine(checksum, results[band][1], length)
    header = bytes([0x78, 0x5E])  # deflate, 32 KiB window, the level's flag for 2-5
    return header + b"".join(part for part, _ in results) + struct.pack(">I", checksum)


def _adler32_combine(first: int, second: int, length: int) -> int:
    """The Adler-32 of two byte strings one after the other, from the checksum of each and
    the length of the second (zlib's adler32_combine).

    >>> _adler32_combine(zlib.adler32(b"chart"), zlib.adler32(b"rows"), 4) == zlib.adler32(
    ...     b"chartrows")
    True
    """
    base = 65521
    remainder = length % base
    low = first & 0xFFFF
    high = (remainder * low) % base
    low = (low + (second & 0xFFFF) + base - 1) % base
    high = (high + (first >> 16) + (second >> 16) + base - remainder) % base
    return (high << 16) | low


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
