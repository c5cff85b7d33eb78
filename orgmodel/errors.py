"""The errors orgmodel raises.

Every error derives from :class:`OrgModelError`, so one ``except`` clause catches them all. Each
message is meant to be printed as it is: it names the file, the line or unit, what is wrong and
what would be right.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DataError",
    "DateError",
    "OrgModelError",
    "OutputError",
    "Problem",
    "UnknownUnitError",
]


class OrgModelError(Exception):
    """Base class of every error orgmodel raises."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the snapshot files, located as precisely as the files allow."""

    file: Path | None
    line: int | None
    message: str
    unit: str | None = None
    #: For a table, the row (numbered as a spreadsheet numbers it, the header being row 1).
    row: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        if self.row is not None:
            where += f"row {self.row}: "
        unit = f"unit '{self.unit}': " if self.unit else ""
        return f"{where}{unit}{self.message}"


class DataError(OrgModelError):
    """The snapshot files break the format or contradict each other."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(
            problems,
            key=lambda p: (str(p.file or ""), p.line or 0, p.row or 0, p.unit or "", p.message),
        )
        super().__init__("\n".join(str(p) for p in self.problems))


class DateError(OrgModelError, ValueError):
    """A date that cannot be read, or that no snapshot covers."""


class UnknownUnitError(OrgModelError, KeyError):
    """A unit id that no snapshot contains."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class OutputError(OrgModelError):
    """An output file that cannot be written, or an output format that is not known."""
