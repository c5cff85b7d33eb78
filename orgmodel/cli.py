"""The ``orgmodel`` command line: one command per use, each a thin layer over one library call.

This is the only module that imports typer, and the one place where library errors become a
message on stderr and an exit status: 0 success, 1 differences found (only with
``--exit-code``), 2 bad input. No command prints a traceback for bad input.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from orgmodel import __version__
from orgmodel.errors import DataError, OrgModelError, OutputError
from orgmodel.history import History

__all__ = ["app", "main"]

DATA_ENV = "ORGMODEL_DATA"

app = typer.Typer(
    name="orgmodel",
    help="Model how an organisation's structure changes over time: dated snapshots, what changed "
    "between two dates, org charts and timelines. Runs on the bundled Alibaba Group data unless "
    f"--data (or ${DATA_ENV}) names a folder of your own snapshot files.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class TextFormat(StrEnum):
    text = "text"
    json = "json"


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


class ExportFormatChoice(StrEnum):
    graphml = "graphml"
    gexf = "gexf"
    json = "json"
    dot = "dot"
    mermaid = "mermaid"


class SchemaChoice(StrEnum):
    snapshot = "snapshot"
    sources = "sources"
    events = "events"


class Lang(StrEnum):
    en = "en"
    zh = "zh"


def _data_before(ctx: typer.Context, value: Path | None) -> Path | None:
    """A command's --data, else the one given before the command (or by $ORGMODEL_DATA)."""
    if value is not None:
        return value
    given = ctx.find_root().params.get("data")
    return given if isinstance(given, Path) else None


DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        "-d",
        help=f"Folder of snapshot files to use instead of the bundled data (or set ${DATA_ENV}).",
        show_default=False,
        callback=_data_before,
        metavar="DIR",
    ),
]
DateArg = Annotated[
    str, typer.Argument(help="A date: YYYY-MM-DD, YYYY-MM or YYYY.", metavar="DATE")
]
ReportFormatOption = Annotated[
    ReportFormat, typer.Option("--format", "-f", help="Output format: text, json or markdown.")
]
UnitOption = Annotated[
    str | None, typer.Option("--unit", "-u", help="Only the events that involve this unit id.")
]
KindOption = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        "-k",
        help="Only events of this kind (repeat for several): added, removed, renamed, moved, "
        "split, merged, spun_off, returned, status_changed, kind_changed, updated.",
    ),
]
ThresholdOption = Annotated[
    float | None,
    typer.Option(
        "--threshold",
        min=0.0,
        max=1.0,
        help="Jaccard overlap of sub-units above which an undeclared split or merge is "
        "inferred (default 0.3).",
    ),
]


def _history(data: Path | None) -> History:
    from orgmodel.reading import load_history

    return load_history(data)


def _echo(text: str) -> None:
    from orgmodel.output import terminal_safe

    try:
        sys.stdout.write(terminal_safe(text if text.endswith("\n") else text + "\n"))
    except BrokenPipeError:
        raise _ReaderGone() from None
    except OSError as exc:
        raise OutputError(f"standard output: cannot be written ({exc.strerror or exc})") from None


def _version(value: bool) -> None:
    if value:
        _echo(f"orgmodel {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            "-d",
            envvar=DATA_ENV,
            help="Folder of snapshot files for the command that follows, instead of the bundled "
            f"data (or set ${DATA_ENV}); the command's own --data comes first.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Model how an organisation's structure changes over time."""


@app.command()
def dates(
    data: DataOption = None,
    fmt: Annotated[TextFormat, typer.Option("--format", "-f", help="Output format.")] = (
        TextFormat.text
    ),
) -> None:
    """List the snapshot dates, each with its title and number of units."""
    history = _history(data)
    rows = []
    for i, snapshot in enumerate(history.snapshots):
        until = history.dates[i + 1].isoformat() if i + 1 < len(history.dates) else None
        rows.append(
            {
                "date": snapshot.date.isoformat(),
                "in_force_until": until,
                "units": len(snapshot.units),
                "title": snapshot.title,
            }
        )
    if fmt is TextFormat.json:
        _echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if history.title:
        _echo(f"{history.title}: {len(rows)} snapshots")
    for row in rows:
        _echo(f"{row['date']}  {row['units']:>5} units  {row['title']}")


@app.command()
def show(
    date: DateArg,
    data: DataOption = None,
    root: Annotated[
        str | None, typer.Option("--root", help="Show only this unit and what is below it.")
    ] = None,
    depth: Annotated[
        int | None, typer.Option("--depth", min=0, help="Show this many levels below the root.")
    ] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Names in English or Chinese.")] = Lang.en,
    ids: Annotated[bool, typer.Option("--ids/--no-ids", help="Show unit ids.")] = True,
) -> None:
    """Print the structure in force on DATE as a tree."""
    from orgmodel.textree import format_tree

    history = _history(data)
    index = history.index(date)
    snapshot = history.snapshots[index]
    tree = format_tree(snapshot, root=root, depth=depth, lang=lang.value, show_ids=ids)
    heading = f"{history.title} — " if history.title else ""
    if index + 1 < len(history.dates):
        span = f"in force until {history.dates[index + 1].isoformat()}"
    else:
        span = "the latest snapshot"
    _echo(f"{heading}snapshot of {snapshot.date.isoformat()} ({span})")
    _echo(snapshot.title)
    _echo("")
    _echo(tree)


@app.command()
def diff(
    a: Annotated[
        str, typer.Argument(help="The earlier date: YYYY-MM-DD, YYYY-MM or YYYY.", metavar="A")
    ],
    b: Annotated[str, typer.Argument(help="The later date.", metavar="B")],
    data: DataOption = None,
    steps: Annotated[
        bool,
        typer.Option(
            "--steps", help="Show every step between the two dates, not only the net change."
        ),
    ] = False,
    fmt: ReportFormatOption = ReportFormat.text,
    unit: UnitOption = None,
    kind: KindOption = None,
    threshold: ThresholdOption = None,
    exit_code: Annotated[
        bool,
        typer.Option("--exit-code", help="Exit with status 1 when there are differences."),
    ] = False,
) -> None:
    """What changed between the structures in force on dates A and B."""
    from orgmodel.diff import DEFAULT_THRESHOLD, select
    from orgmodel.events import check_kinds
    from orgmodel.report import changes_report, diff_report, history_names

    history = _history(data)
    wanted = check_kinds(kind)
    if unit is not None:
        history.check_unit(unit)
    limit = DEFAULT_THRESHOLD if threshold is None else threshold
    names = history_names(history)
    if steps:
        events = history.changes(a, b, unit=unit, kinds=wanted, threshold=limit)
        first, last = history.at(a).date, history.at(b).date
        _echo(changes_report(events, first, last, names, fmt.value))
        found = bool(events)
    else:
        result = history.diff(a, b, threshold=limit)
        if unit is not None or wanted is not None:
            kept = select(result.events, unit=unit, kinds=wanted)
            result = result.model_copy(update={"events": kept})
        _echo(diff_report(result, names, fmt.value))
        found = bool(result.events)
    if exit_code and found:
        raise typer.Exit(1)


@app.command()
def log(
    a: Annotated[
        str | None,
        typer.Argument(help="From this date (default: the first snapshot).", metavar="A"),
    ] = None,
    b: Annotated[
        str | None,
        typer.Argument(help="To this date (default: the last snapshot).", metavar="B"),
    ] = None,
    data: DataOption = None,
    unit: UnitOption = None,
    kind: KindOption = None,
    fmt: ReportFormatOption = ReportFormat.text,
) -> None:
    """Every change, step by step, from date A to date B (the whole history by default)."""
    from orgmodel.report import changes_report, history_names

    history = _history(data)
    events = history.changes(a, b, unit=unit, kinds=kind)
    first = history.at(a).date if a is not None else history.dates[0]
    last = history.at(b).date if b is not None else history.dates[-1]
    _echo(changes_report(events, first, last, history_names(history), fmt.value))


@app.command()
def lineage(
    unit: Annotated[str, typer.Argument(help="The id of the unit, e.g. aicheng.")],
    data: DataOption = None,
    fmt: ReportFormatOption = ReportFormat.text,
) -> None:
    """The life of one unit, and of the units it came from or went into, in time order."""
    from orgmodel.report import history_names, lineage_report

    history = _history(data)
    events = history.lineage(unit)
    _echo(
        lineage_report(
            unit,
            events,
            history_names(history),
            fmt.value,
            a_date=history.dates[0],
            b_date=history.dates[-1],
            present=history.presence(unit),
        )
    )


@app.command()
def unit(
    unit_id: Annotated[str, typer.Argument(help="The id of the unit, e.g. aicheng.", metavar="ID")],
    date: Annotated[
        str | None,
        typer.Argument(
            help="A date: YYYY-MM-DD, YYYY-MM or YYYY (default: the latest snapshot that holds "
            "the unit).",
            metavar="DATE",
            show_default=False,
        ),
    ] = None,
    data: DataOption = None,
    fmt: ReportFormatOption = ReportFormat.text,
) -> None:
    """A unit's record and what it rests on: names, kind, status, plan, parents, leaders,
    confidence, note, when it is present, and the sources it cites in full.

    \b
    Examples:
      orgmodel unit aicheng
      orgmodel unit cro-line 2023-06 --format markdown
    """
    from orgmodel.provenance import format_unit_record, unit_record

    _echo(format_unit_record(unit_record(_history(data), unit_id, date), fmt.value))


@app.command()
def sources(
    key: Annotated[
        str | None,
        typer.Argument(
            help="The key of one source (default: every source).",
            metavar="KEY",
            show_default=False,
        ),
    ] = None,
    data: DataOption = None,
    fmt: ReportFormatOption = ReportFormat.text,
) -> None:
    """The bibliography: every source with title, publisher, date and address, or one source
    in full with the units that cite it.

    \b
    Examples:
      orgmodel sources
      orgmodel sources scmp-2023-05-10-aicheng
      orgmodel sources --format json
    """
    from orgmodel.provenance import format_sources, source_entries

    _echo(format_sources(source_entries(_history(data), key), fmt.value))


@app.command()
def find(
    text: Annotated[
        str, typer.Argument(help="Part of a name (English or Chinese) or an id.", metavar="TEXT")
    ],
    data: DataOption = None,
    fmt: ReportFormatOption = ReportFormat.text,
) -> None:
    """Find units by any English or Chinese name they have had, or by id; offers the closest
    ones when nothing matches.

    \b
    Examples:
      orgmodel find hema
      orgmodel find 菜鸟
      orgmodel find "cloud intelligence" --format json
    """
    from orgmodel.finding import format_found

    _echo(format_found(_history(data).find(text), text, fmt.value))


OutputOption = Annotated[
    Path,
    typer.Option(
        "--output", "-o", help="The picture to write: .png, .svg or .pdf.", show_default=False
    ),
]
DpiOption = Annotated[
    float | None,
    typer.Option(
        "--dpi",
        min=10,
        max=1200,
        help="Resolution of a PNG, in dots per inch (default 200, less for a very large chart).",
        show_default=False,
    ),
]
WidthOption = Annotated[
    str | None,
    typer.Option(
        "--width",
        help="Width of the picture, in pixels (1200) or as a length (16cm, 160mm, 6.5in, 468pt); "
        "everything in it is scaled to fit (default: the size at which labels are 9 pt).",
        show_default=False,
    ),
]
TitleOption = Annotated[
    str | None,
    typer.Option("--title", help="The picture's title, instead of the data's.", show_default=False),
]


def _picture_width(width: str | None, dpi: float | None) -> float | None:
    """The width in inches that ``--width`` asks for (pixels at ``--dpi``)."""
    if width is None:
        return None
    from orgmodel.drawing import picture_width
    from orgmodel.errors import OutputError

    try:
        return picture_width(width, dpi)
    except ValueError as exc:
        raise OutputError(f"--width: {exc}") from None


def _save_picture(figure: object, output: Path, dpi: float | None, used: str) -> None:
    """Write a drawn picture and say which snapshots it used (the shared end of every
    picture command)."""
    import orgmodel.drawing as drawing

    drawing.save_figure(figure, output, dpi=dpi)  # type: ignore[arg-type]
    _note(f"wrote {output} ({used})")


@app.command()
def plot(
    date: DateArg,
    output: OutputOption,
    data: DataOption = None,
    compare: Annotated[
        str | None,
        typer.Option(
            "--compare",
            "-c",
            help="Draw the change chart between DATE and this date instead of an org chart.",
        ),
    ] = None,
    root: Annotated[
        str | None, typer.Option("--root", help="Draw only this unit and what is below it.")
    ] = None,
    depth: Annotated[
        int | None, typer.Option("--depth", min=0, help="Draw this many levels below the root.")
    ] = None,
    lang: Annotated[
        Lang,
        typer.Option("--lang", help="Every word in English, or in Chinese (names where known)."),
    ] = Lang.en,
    dpi: DpiOption = None,
    width: WidthOption = None,
    title: TitleOption = None,
) -> None:
    """Draw the org chart in force on DATE (or, with --compare, what changed) to a picture."""
    history = _history(data)
    _check_picture_path(output, history)
    inches = _picture_width(width, dpi)
    import orgmodel.drawing as drawing

    if compare is None:
        snapshot = history.at(date)
        chart = drawing.draw_org_chart(
            snapshot,
            root=root,
            depth=depth,
            lang=lang.value,
            kinds=history.kinds,
            sources=history.sources,
            title=title,
            width=inches,
        )
        used = f"snapshot of {snapshot.date.isoformat()}"
    else:
        first, second = (history.snapshots[i] for i in history.span(date, compare))
        result = history.diff(first.date, second.date)
        chart = drawing.draw_change_chart(
            first,
            second,
            result,
            root=root,
            depth=depth,
            lang=lang.value,
            sources=history.sources,
            title=title,
            width=inches,
        )
        used = f"snapshots of {first.date.isoformat()} -> {second.date.isoformat()}"
    _save_picture(chart.figure, output, dpi, used)


@app.command()
def timeline(
    output: OutputOption,
    data: DataOption = None,
    start: Annotated[
        str | None, typer.Option("--from", help="From this date (default: the first snapshot).")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="To this date (default: the last snapshot).")
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option("--unit", "-u", help="Focus on one unit: it, its lineage and their parents."),
    ] = None,
    depth: Annotated[
        int | None,
        typer.Option("--depth", min=0, help="Show units at most this many levels down."),
    ] = None,
    lang: Annotated[
        Lang, typer.Option("--lang", help="Names in English, or in Chinese where known.")
    ] = Lang.en,
) -> None:
    """Draw the history as a timeline: units as lanes, with splits, mergers, moves, spin-offs
    and returns marked on a date axis."""
    history = _history(data)
    _check_picture_path(output, history)
    if unit is not None:
        history.check_unit(unit)
    first, last = (history.dates[i] for i in history.span(start, end))
    import orgmodel.drawing as drawing

    drawn = drawing.draw_timeline(
        history, start=start, end=end, unit=unit, depth=depth, lang=lang.value
    )
    drawing.save_figure(drawn.figure, output)
    _note(f"wrote {output} (snapshots of {first.isoformat()} -> {last.isoformat()})")


@app.command("html")
def html_page(
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="The page to write (.html or .htm).", show_default=False
        ),
    ],
    data: DataOption = None,
    lang: Annotated[
        Lang,
        typer.Option("--lang", help="The page's words and names in English, or in Chinese."),
    ] = Lang.en,
    title: Annotated[
        str | None, typer.Option("--title", help="The page's heading (default: the history's).")
    ] = None,
) -> None:
    """Write the history as one interactive page that opens from disk, with no network: step
    through the dates, open branches of the tree in force, see each step's changes, search, and
    read a unit's record with its sources and lineage.

    Example: orgmodel html -o alibaba.html; orgmodel html --lang zh -o alibaba-zh.html
    """
    from orgmodel.html import render_html
    from orgmodel.output import check_output_path, write_atomic

    history = _history(data)
    if output.suffix.lower() not in (".html", ".htm"):
        from orgmodel.errors import OutputError

        fixed = output.with_suffix(".html")
        raise OutputError(f"{output}: a page is written as .html; give a name such as {fixed}")
    check_output_path(output, _protected(history))
    page = render_html(history, lang=lang.value, title=title)
    write_atomic(output, page, protected=_protected(history))
    first, last = history.dates[0].isoformat(), history.dates[-1].isoformat()
    _note(f"wrote {output} (snapshots of {first} -> {last})")


@app.command()
def validate(
    folder: Annotated[
        Path | None,
        typer.Argument(
            help="Folder of snapshot files (default: --data, or the bundled data).",
            show_default=False,
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """Check a folder of snapshot files; print one line per problem (exit status 2 if any)."""
    from orgmodel.reading import bundled_path, read_history

    target = folder or data or bundled_path()
    history = read_history(target)
    units = sum(len(s.units) for s in history.snapshots)
    ids = len(history.unit_ids())
    _echo(
        f"{target}: OK: {len(history.dates)} snapshots from {history.dates[0]} to "
        f"{history.dates[-1]}, {units} unit records ({ids} distinct units), "
        f"{len(history.sources)} sources"
    )


@app.command()
def export(
    date: DateArg,
    fmt: Annotated[
        ExportFormatChoice, typer.Option("--format", "-f", help="The file format.")
    ] = ExportFormatChoice.graphml,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write (default: standard output)."),
    ] = None,
    data: DataOption = None,
) -> None:
    """Export the structure in force on DATE as GraphML, GEXF, JSON, DOT or Mermaid."""
    from orgmodel.export import export as export_snapshot
    from orgmodel.output import write_atomic

    history = _history(data)
    snapshot = history.at(date)
    text = export_snapshot(snapshot, fmt.value)
    if output is None:
        _echo(text)
        _note(f"snapshot of {snapshot.date.isoformat()}")
    else:
        write_atomic(output, text, protected=_protected(history))
        _note(f"wrote {output} (snapshot of {snapshot.date.isoformat()})")


@app.command()
def schema(
    what: Annotated[
        SchemaChoice,
        typer.Argument(help="Which schema: snapshot files, sources.yaml, or diff's JSON events."),
    ] = SchemaChoice.snapshot,
) -> None:
    """Print a JSON Schema: of snapshot files (for editors), of sources.yaml, or of the events
    that `orgmodel diff --format json` writes."""
    if what is SchemaChoice.events:
        from orgmodel.events import events_json_schema

        _echo(json.dumps(events_json_schema(), ensure_ascii=False, indent=2))
        return
    from orgmodel.model import Bibliography, SnapshotFile

    model = SnapshotFile if what is SchemaChoice.snapshot else Bibliography
    _echo(json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2))


import_app = typer.Typer(
    help="Import an organisation into a new snapshot folder: from a table (CSV, TSV, Parquet, "
    "Excel), a Wikidata query result, or GLEIF relationship records.",
    no_args_is_help=True,
)
app.add_typer(import_app, name="import")


class FileFormatChoice(StrEnum):
    yaml = "yaml"
    json = "json"


ImportOutput = Annotated[
    Path,
    typer.Option(
        "--output",
        "-o",
        help="The snapshot folder to write; it must be new or empty.",
        show_default=False,
    ),
]
ImportFormat = Annotated[
    FileFormatChoice,
    typer.Option("--format", "-f", help="Write snapshot files as YAML (for people) or JSON."),
]


def _column_map(pairs: list[str] | None) -> dict[str, str]:
    from orgmodel.errors import OrgModelError

    mapping = {}
    for pair in pairs or []:
        header, sep, target = pair.rpartition("=")
        if not sep or not header.strip() or not target.strip():
            raise OrgModelError(
                f"--map '{pair}': write it as 'Your header=field', e.g. 'Unit=name'"
            )
        mapping[header.strip()] = target.strip()
    return mapping


@import_app.command("table")
def import_table(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="The table: .csv, .tsv, .parquet or .xlsx, with a date column; or one table "
            "per date, each named by its date (2023-01-01.csv) or with a date column."
        ),
    ],
    output: ImportOutput,
    column_map: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            "-m",
            help="Read a column of another name as one of orgmodel's: 'Header=field' (repeat). "
            "Fields: date, id, name, parent, kind, status, plan, name_zh, leaders, lineage, "
            "source, confidence, note.",
        ),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="What the folder describes, e.g. the group.")
    ] = None,
    fmt: ImportFormat = FileFormatChoice.yaml,
) -> None:
    """Import a long table (one row per unit per date) into a new snapshot folder.

    Example: orgmodel import table org.csv -o my-group --map "Org Unit=name"
    """
    from orgmodel.importing import import_table as run

    done = run(files, output, _column_map(column_map), title=title, fmt=fmt.value)
    for line in done.notes:
        _note(line)
    _note(done.summary())


def _check_picture_path(output: Path, history: History) -> None:
    """Refuse a bad picture path before spending time on drawing."""
    from orgmodel.errors import OutputError
    from orgmodel.output import check_output_path

    allowed = (".png", ".svg", ".pdf")
    if output.suffix.lower() not in allowed:
        raise OutputError(
            f"{output}: cannot save a picture as '{output.suffix or '(no suffix)'}'; "
            f"use one of {', '.join(allowed)}"
        )
    check_output_path(output, _protected(history))


def _protected(history: History) -> list[Path]:
    return [history.path] if history.path is not None else []


def _note(text: str) -> None:
    from orgmodel.output import terminal_safe

    with contextlib.suppress(OSError):
        sys.stderr.write(terminal_safe(text) + "\n")


def _fail(lines: list[str], status: int = 2) -> NoReturn:
    from orgmodel.output import terminal_safe

    try:
        sys.stdout.flush()  # what was written before the error, in its place
    except OSError:
        _quiet_stdout()
    with contextlib.suppress(OSError):
        for line in lines:
            sys.stderr.write(f"orgmodel: {terminal_safe(line)}\n")
    raise SystemExit(status)


class _ReaderGone(BaseException):
    """Standard output's reader went away (``orgmodel show | head``): not an error."""


class _Stopped(BaseException):
    """The process was asked to stop by a signal (SIGTERM, SIGHUP)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum: int, frame: object) -> None:
    # Raised where the program is, so that every open write (see orgmodel.output) removes its
    # temporary file on the way out, as it does for Ctrl-C.
    raise _Stopped(signum)


def _prepare_process() -> None:
    """Process-wide settings of the command line, made once before any command runs."""
    import signal

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _on_signal)
    for stream in (sys.stdout, sys.stderr):
        # A console that cannot show a character (cp1252 and a Chinese name) shows an escape.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _usage_error(exc: Exception) -> list[str]:
    """A command line mistake (click's own errors) as one line with the fix."""
    context = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError" and context is not None:
        return [context.get_help()]  # the command alone: its help is the answer
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    message = " ".join(str(message).split()).rstrip(".")
    # Some versions of typer check values with pydantic; say it in the words of the rest.
    message = message.replace("Value error, ", "").replace("Input should be", "must be")
    command = getattr(context, "command_path", None) or "orgmodel"
    return [f"{message}; see '{command} --help'"]


def main(argv: list[str] | None = None) -> None:
    """Run the command line; the only place errors become messages and exit statuses."""
    _prepare_process()
    status = 0
    try:
        result = app(args=argv, prog_name="orgmodel", standalone_mode=False)
        status = result if isinstance(result, int) else 0
        _flush_stdout()
    except _ReaderGone:
        _quiet_stdout()
        status = 0
    except _Stopped as stop:
        _die_of(stop.signum)
    except BaseException as exc:  # every way out is one of the statuses above, with one line
        _fail(_message_for(exc), status=_status_for(exc))
    raise SystemExit(status)


def _message_for(exc: BaseException) -> list[str]:
    if isinstance(exc, DataError):
        lines = [str(p) for p in exc.problems]
        if len(lines) > 1:
            lines.append(f"{len(lines)} problems found")
        return lines
    if isinstance(exc, OrgModelError):
        return [str(exc)]
    if _is_usage_error(exc):
        return _usage_error(exc)  # type: ignore[arg-type]
    if isinstance(exc, KeyboardInterrupt | SystemExit) or _is_abort(exc):
        return []
    if os.environ.get("ORGMODEL_DEBUG"):
        import traceback

        traceback.print_exception(exc)
    # Not the user's doing: a bug. Say so in one line, and keep the traceback for those who ask.
    return [
        f"internal error ({type(exc).__name__}: {exc}); this is a bug in orgmodel: "
        "please report it with the command you ran (ORGMODEL_DEBUG=1 shows the details)"
    ]


def _status_for(exc: BaseException) -> int:
    if isinstance(exc, OrgModelError) or _is_usage_error(exc):
        return 2
    if isinstance(exc, KeyboardInterrupt) or _is_abort(exc):
        return 130
    if isinstance(exc, SystemExit):
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    return 70


def _click_class(name: str) -> type[BaseException] | None:
    """click's exception class ``name``, from typer's own copy of click or from click."""
    for cls in (*typer.BadParameter.__mro__, *typer.Abort.__mro__):
        if cls.__name__ == name:
            return cls
    return None


def _is_usage_error(exc: BaseException) -> bool:
    cls = _click_class("ClickException")
    return cls is not None and isinstance(exc, cls)


def _is_abort(exc: BaseException) -> bool:
    return isinstance(exc, typer.Abort)


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise _ReaderGone() from None
    except OSError as exc:
        raise OutputError(f"standard output: cannot be written ({exc.strerror or exc})") from None


def _quiet_stdout() -> None:
    # Whatever is still buffered for the reader that left is dropped, silently, at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _die_of(signum: int) -> NoReturn:
    """End as the signal would have ended the process, once every write has cleaned up."""
    import signal

    _quiet_stdout()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)
    raise SystemExit(128 + signum)
