"""The output formats of reports, and writing plain text safely into Markdown.

Names and notes come from data files and may hold characters that Markdown reads as markup
(``**``, ``_``, backticks, ``<b>``, ``[x](y)``, ``&amp;``). :func:`escape_markdown`
backslash-escapes
every one of them (CommonMark lets any ASCII punctuation be escaped), so a name shows as
written and never becomes emphasis, code, a link or HTML.

>>> print(escape_markdown("<b>Cloud</b> **new** _x_ `y` [a](b) & Co | 1"))
\\<b\\>Cloud\\</b\\> \\*\\*new\\*\\* \\_x\\_ \\`y\\` \\[a\\](b) & Co \\| 1
>>> check_format("md")
Traceback (most recent call last):
...
orgmodel.errors.OutputError: unknown format 'md'; use one of text, json, markdown
"""

from __future__ import annotations

import re
from typing import Final, Literal

from orgmodel.errors import OutputError
from orgmodel.model import LANGS, Lang

__all__ = ["FORMATS", "Format", "check_format", "check_lang", "escape_markdown"]

Format = Literal["text", "json", "markdown"]
#: The formats of every report: for people, for programs, for documents.
FORMATS: Final[tuple[Format, ...]] = ("text", "json", "markdown")

_MARKUP = re.compile(r"([\\`*_\[\]<>|~#]|&(?=#?\w+;))")


def escape_markdown(text: str) -> str:
    """``text`` with every character Markdown could read as markup backslash-escaped, and line
    breaks turned into spaces (a name or note is one paragraph)."""
    return _MARKUP.sub(r"\\\1", " ".join(text.split()))


def check_format(fmt: str) -> Format:
    """``fmt`` if it is one of :data:`FORMATS`; else :class:`OutputError` naming them."""
    for known in FORMATS:
        if fmt == known:
            return known
    raise OutputError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}")


def check_lang(lang: str) -> Lang:
    """``lang`` if it is a language the library writes in (see :data:`orgmodel.model.LANGS`),
    else raise :class:`OutputError` naming them."""
    for known in LANGS:
        if lang == known:
            return known
    raise OutputError(f"unknown language '{lang}'; use one of {', '.join(LANGS)}")
