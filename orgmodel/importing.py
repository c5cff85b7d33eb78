"""Importing an organisation from the files it comes in, into a snapshot folder.

Each importer reads its format into validated snapshots and a bibliography that names where they
came from, then writes them as a new snapshot folder (:mod:`orgmodel.writing`) that
``orgmodel validate`` accepts and every command reads. Nothing is written unless the whole input
is good: every problem is reported at once, one line each, naming the file, the row or record,
and the fix.

- :func:`import_table`: a long table, one row per unit per date (:mod:`orgmodel.longtable`).
- :func:`import_wikidata`: a Wikidata query result for a group's subsidiaries
  (:mod:`orgmodel.wikidata`).
- :func:`import_gleif`: GLEIF relationship and LEI records, one folder per group
  (:mod:`orgmodel.gleif`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from orgmodel.dates import parse_date
from orgmodel.errors import DateError
from orgmodel.model import Bibliography, SnapshotFile
from orgmodel.writing import FileFormat, check_new_folder, write_folder

__all__ = ["MOST_GROUPS", "Imported", "import_gleif", "import_table", "import_wikidata"]

#: The most groups a GLEIF import writes without being told which ones to write.
MOST_GROUPS = 20


@dataclass(frozen=True)
class Imported:
    """What an import wrote, and what the reader should know about it."""

    folder: Path
    files: list[Path]
    dates: list[dt.date]
    records: int
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line saying what was written.

        >>> Imported(Path("out"), [], [dt.date(2020, 1, 1)], 3).summary()
        'wrote out: 1 snapshot (2020-01-01), 3 unit records'
        """
        count = len(self.dates)
        span = f"{self.dates[0]}" if count == 1 else f"{self.dates[0]} to {self.dates[-1]}"
        plural = "" if count == 1 else "s"
        return (
            f"wrote {self.folder}: {count} snapshot{plural} ({span}), {self.records} unit records"
        )


def _checked_day(retrieved: str | None) -> str | None:
    """``--retrieved`` checked to be a date (YYYY-MM-DD; YYYY-MM or YYYY where only that is
    known), as the sources will give it."""
    if retrieved is None:
        return None
    try:
        parse_date(retrieved)
    except DateError:
        raise DateError(
            f"--retrieved '{retrieved}' is not a date; write the day the data was fetched as "
            "YYYY-MM-DD"
        ) from None
    return retrieved.strip()


def _write(
    folder: Path,
    snapshots: Sequence[SnapshotFile],
    bibliography: Bibliography,
    fmt: FileFormat,
    notes: list[str],
) -> Imported:
    files = write_folder(folder, snapshots, bibliography, fmt)
    records = sum(len(s.units) for s in snapshots)
    return Imported(folder, files, [s.date for s in snapshots], records, notes)


def import_table(
    paths: Sequence[str | Path],
    folder: str | Path,
    column_map: Mapping[str, str] | None = None,
    *,
    title: str | None = None,
    fmt: FileFormat = "yaml",
) -> Imported:
    """Import a long table (or one table per date) into the new snapshot folder ``folder``.

    >>> import tempfile, pathlib
    >>> work = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (work / "org.csv").write_text("date,id,name,parent\\n2024-01-01,g,Group,\\n")
    >>> import_table([work / "org.csv"], work / "org").summary().endswith("1 unit records")
    True
    """
    from orgmodel.longtable import read_table

    target = check_new_folder(folder)
    table = read_table(paths, column_map, title=title)
    notes = list(table.notes)
    if table.ignored:
        notes.append(
            "ignored columns (map them with --map to keep them): " + ", ".join(table.ignored)
        )
    return _write(target, table.snapshots, table.bibliography, fmt, notes)


def import_wikidata(
    path: str | Path,
    folder: str | Path,
    *,
    root: str | None = None,
    retrieved: str | None = None,
    fmt: FileFormat = "yaml",
) -> Imported:
    """Import a Wikidata SPARQL result (JSON) for a group's subsidiaries into ``folder``.

    The query to run is :data:`orgmodel.wikidata.QUERY`; ``root`` names the group's item when
    the result alone does not tell, ``retrieved`` the day the result was fetched.
    """
    from orgmodel.wikidata import read_wikidata_file

    target = check_new_folder(folder)
    result = read_wikidata_file(path, root=root, retrieved=_checked_day(retrieved))
    return _write(target, result.snapshots, result.bibliography, fmt, result.notes)


def import_gleif(
    paths: Sequence[str | Path],
    folder: str | Path,
    *,
    retrieved: str | None = None,
    roots: Sequence[str] = (),
    fmt: FileFormat = "yaml",
) -> list[Imported]:
    """Import GLEIF Level 2 relationship records, with Level 1 records for the names, as one
    dated tree per group: into ``folder`` itself for one group, else into a subfolder of it
    per group, named by the LEI of the group's root. ``roots`` chooses the groups (by any LEI
    in them); without it, more than :data:`MOST_GROUPS` groups are refused, so that a whole
    Golden Copy is never written out group by group."""
    from orgmodel.gleif import read_gleif_files

    target = check_new_folder(folder)
    day = _checked_day(retrieved)
    groups = read_gleif_files(paths, retrieved=day, roots=roots, at_most=MOST_GROUPS)
    done = []
    for group in groups:
        place = target if len(groups) == 1 else target / group.root.lower()
        done.append(_write(place, group.snapshots, group.bibliography, fmt, group.notes))
    return done
