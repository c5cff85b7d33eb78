"""The ``orgmodel`` command line: one command per use, each a thin layer over one library call.

This is the only module that imports typer, and the one place where library errors become a
message on stderr and an exit status: 0 success, 1 differences found (only with
``--exit-code``), 2 bad input. No command prints a traceback for bad input.

The conventions every command follows: a date range is given as positional dates ``[A] [B]``;
a filter is an option (``--unit``, ``--kind``); ``--format`` chooses text, JSON or Markdown
wherever the output is data; ``-o FILE`` writes the output to a file instead (``-o -``:
standard output); ``--data DIR`` goes before or after the command. The choices an option
offers come from the library's own tuples, so a new event kind or export format shows up here
without a change. Shell completion (``--install-completion``) completes commands, options,
event kinds, formats, dates and unit ids.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
import typer.core
from typer.models import CommandFunctionType

from orgmodel import __version__
from orgmodel._gc import paused
from orgmodel.errors import DataError, OrgModelError, OutputError
from orgmodel.history import History
from orgmodel.model import LANGS

__all__ = ["app", "main"]

DATA_ENV = "ORGMODEL_DATA"


class _Command(typer.core.TyperCommand):
    """A command whose help names values by their metavar (DATE, ID, FILE), never by a Python
    type, and shows its examples last."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The docstring's examples go last, after the options, where a reader ends up.
        head, marker, examples = (self.help or "").partition("\b\nExamples:")
        if marker and not self.epilog:
            self.help = head.rstrip()
            self.epilog = marker + examples

    def collect_usage_pieces(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = param.metavar or (param.name or "").upper()
                pieces.append(name if param.required else f"[{name}]")
        return pieces

    def format_options(self, ctx: typer.Context, formatter: Any) -> None:  # type: ignore[override]
        args, opts = [], []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument" and not getattr(param, "hidden", False):
                name = param.metavar or (param.name or "").upper()
                help_text = getattr(param, "help", None) or ""
                args.append((name, help_text + ("  [required]" if param.required else "")))
            elif param.param_type_name == "option":
                record = param.get_help_record(ctx)
                if record is not None:
                    opts.append((record[0], _filled(record[1])))
        if args:
            with formatter.section("Arguments"):
                formatter.write_dl(args)
        if opts:
            with formatter.section("Options"):
                formatter.write_dl(opts)


class _App(typer.Typer):
    """The app, every command of which is a :class:`_Command` with its examples as epilog."""

    def command(
        self, *args: Any, **kwargs: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        kwargs.setdefault("cls", _Command)
        return super().command(*args, **kwargs)


app = _App(
    name="orgmodel",
    help="Model how an organisation's structure changes over time: dated snapshots, what changed "
    "between two dates, org charts and timelines. Runs on the bundled Alibaba Group data unless "
    f"--data (or ${DATA_ENV}) names a folder of your own snapshot files.",
    epilog="\b\nExamples:\n  orgmodel diff 2023-01-01 2025-12-31\n"
    "  orgmodel --data my-group show 2023\n  orgmodel find hema\n  orgmodel diff --help",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _choices(values: Sequence[str] | Callable[[], Sequence[str]]) -> Callable[[str], list[str]]:
    """A completion function offering ``values`` (a library tuple, or the function that
    imports it when a completion is asked for) that start with the text."""

    def complete(incomplete: str) -> list[str]:
        offered = values() if callable(values) else values
        return [v for v in offered if v.startswith(incomplete)]

    return complete


def _completion_history(ctx: typer.Context) -> History | None:
    from orgmodel.reading import load_history

    data = ctx.params.get("data") or ctx.find_root().params.get("data")
    try:
        return load_history(Path(data) if data else None)
    except OrgModelError:
        return None  # nothing to offer from a folder that does not load


def _complete_units(ctx: typer.Context, incomplete: str) -> list[str]:
    history = _completion_history(ctx)
    ids = sorted(history.unit_ids()) if history is not None else []
    return [uid for uid in ids if uid.startswith(incomplete)]


def _complete_dates(ctx: typer.Context, incomplete: str) -> list[str]:
    history = _completion_history(ctx)
    days = [d.isoformat() for d in history.dates] if history is not None else []
    return [day for day in days if day.startswith(incomplete)]


def _complete_sources(ctx: typer.Context, incomplete: str) -> list[str]:
    history = _completion_history(ctx)
    keys = list(history.sources) if history is not None else []
    return [key for key in keys if key.startswith(incomplete)]


def _kinds() -> tuple[str, ...]:
    from orgmodel.events import KINDS

    return tuple(KINDS)


def _export_formats() -> tuple[str, ...]:
    from orgmodel.export import FORMATS

    return tuple(FORMATS)


def _tables() -> tuple[str, ...]:
    from orgmodel.tables import TABLES

    return tuple(TABLES)


def _table_formats() -> tuple[str, ...]:
    from orgmodel.tables import TABLE_FORMATS

    return tuple(TABLE_FORMATS)


def _schemas() -> tuple[str, ...]:
    from orgmodel.schemas import SCHEMAS

    return tuple(SCHEMAS)


def _file_formats() -> tuple[str, ...]:
    from typing import get_args

    from orgmodel.writing import FileFormat

    return get_args(FileFormat)


#: Lists a help text names by a mark in braces, written out only when the help is shown: the
#: event kinds come from the event classes, which a picture never needs to build, and the
#: formats from the modules that write them.
_HELP_LISTS: dict[str, Callable[[], Sequence[str]]] = {
    "{KINDS}": _kinds,
    "{EXPORT_FORMATS}": _export_formats,
    "{FILE_FORMATS}": _file_formats,
}


def _filled(help_text: str) -> str:
    """``help_text`` with each mark of :data:`_HELP_LISTS` replaced by its list."""
    for mark, values in _HELP_LISTS.items():
        if mark in help_text:
            help_text = help_text.replace(mark, ", ".join(values()))
    return help_text


REPORT_FORMATS = ("text", "json", "markdown")

DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        "-d",
        help="Folder of snapshot files, or a long table (.csv, .tsv, .parquet, .xlsx) or a folder "
        f"of them, to use instead of the bundled data (or set ${DATA_ENV}).",
        show_default=False,
        metavar="DIR",
    ),
]
DateArg = Annotated[
    str,
    typer.Argument(
        help="A date: YYYY-MM-DD, YYYY-MM or YYYY.",
        metavar="DATE",
        autocompletion=_complete_dates,
    ),
]
FromArg = Annotated[
    str | None,
    typer.Argument(
        help="From the snapshot in force on this date (default: the first snapshot).",
        metavar="A",
        show_default=False,
        autocompletion=_complete_dates,
    ),
]
ToArg = Annotated[
    str | None,
    typer.Argument(
        help="To the snapshot in force on this date (default: the last snapshot).",
        metavar="B",
        show_default=False,
        autocompletion=_complete_dates,
    ),
]
ReportFormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        help="Output format: " + ", ".join(REPORT_FORMATS) + ".",
        metavar="FORMAT",
        autocompletion=_choices(REPORT_FORMATS),
    ),
]
ReportOutput = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file instead of standard output ('-': standard output).",
        metavar="FILE",
        show_default=False,
    ),
]
UnitOption = Annotated[
    str | None,
    typer.Option(
        "--unit",
        "-u",
        help="Only the events that involve this unit id.",
        metavar="ID",
        autocompletion=_complete_units,
    ),
]
KindOption = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        "-k",
        help="Only events of this kind (repeat for several): {KINDS}.",
        metavar="KIND",
        autocompletion=_choices(_kinds),
    ),
]
ExcludeKindOption = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude-kind",
        "-x",
        help="Leave out events of this kind (repeat for several).",
        metavar="KIND",
        autocompletion=_choices(_kinds),
    ),
]
AllOption = Annotated[
    bool,
    typer.Option(
        "--all",
        "-a",
        help="List every event: record-only edits ('updated') are otherwise summed up in one "
        "line in text and Markdown.",
    ),
]
_FOLD_HINTS = {"en": "--kind updated or --all lists them", "zh": "--kind updated 或 --all 可列出"}
ThresholdOption = Annotated[
    float | None,
    typer.Option(
        "--threshold",
        min=0.0,
        max=1.0,
        metavar="0..1",
        help="Overlap of children above which an undeclared split or merge is "
        "inferred (default 0.5).",
    ),
]
ExitCodeOption = Annotated[
    bool,
    typer.Option("--exit-code", help="Exit with status 1 when there are differences."),
]
LangOption = Annotated[
    str,
    typer.Option(
        "--lang",
        help="Names in English (en), or in Chinese where known (zh).",
        metavar="LANG",
        autocompletion=_choices(LANGS),
    ),
]
ReportLangOption = Annotated[
    str,
    typer.Option(
        "--lang",
        help="Write the report in English (en) or Chinese (zh), with Chinese names where known.",
        metavar="LANG",
        autocompletion=_choices(LANGS),
    ),
]
RootOption = Annotated[
    str | None,
    typer.Option(
        "--root",
        help="Only this unit and what is below it.",
        metavar="ID",
        autocompletion=_complete_units,
    ),
]
DepthOption = Annotated[
    int | None,
    typer.Option("--depth", min=0, metavar="N", help="This many levels below the root."),
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


def _emit(
    text: str,
    output: Path | None,
    history: History | None = None,
    *,
    used: str | None = None,
    fmt: str | None = None,
) -> None:
    """Print ``text``, or write it atomically to ``output`` (``-``: standard output). ``used``
    (the snapshots it shows) and ``fmt`` (its file format) are said on stderr."""
    if output is None or str(output) == "-":
        _echo(text)
        if used is not None:
            _note(used)
        return
    from orgmodel.output import write_atomic

    write_atomic(output, text if text.endswith("\n") else text + "\n", _protected(history))
    said = ", ".join(part for part in (fmt, used) if part)
    _note(f"wrote {output}" + (f" ({said})" if said else ""))


def _file_to_write(output: Path | None, history: History) -> Path | None:
    """The file ``-o`` names (None for standard output), refused before any work when it is
    one the user's data lives in."""
    if output is None or str(output) == "-":
        return None
    from orgmodel.output import check_output_path

    check_output_path(output, _protected(history))
    return output


def _check(value: str, allowed: Sequence[str], what: str) -> str:
    if value not in allowed:
        from orgmodel.errors import OutputError

        raise OutputError(f"unknown {what} '{value}'; use one of {', '.join(allowed)}")
    return value


def _version(value: bool) -> None:
    if value:
        _echo(f"orgmodel {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            "-d",
            envvar=DATA_ENV,
            metavar="DIR",
            help="Folder of snapshot files for the command that follows, instead of the bundled "
            f"data (or set ${DATA_ENV}); the command's own --data comes first.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Model how an organisation's structure changes over time."""
    if data is not None:
        # The folder becomes the default of the command's own --data (click hands a group's
        # default_map entry to the subcommand of that name), which still comes first.
        commands = getattr(ctx.command, "commands", {})
        ctx.default_map = {name: {"data": str(data)} for name in commands}


@app.command()
def dates(
    data: DataOption = None,
    fmt: ReportFormatOption = "text",
    output: ReportOutput = None,
) -> None:
    """List the snapshot dates, each with its title, number of units and the date it stays in
    force until (in JSON).

    \b
    Examples:
      orgmodel dates
      orgmodel dates --format json -o dates.json
    """
    from orgmodel.overview import format_dates

    history = _history(data)
    _emit(format_dates(history, fmt), output, history)


@app.command()
def show(
    date: DateArg,
    data: DataOption = None,
    root: RootOption = None,
    depth: DepthOption = None,
    lang: LangOption = "en",
    ids: Annotated[bool, typer.Option("--ids/--no-ids", help="Show unit ids.")] = True,
    fmt: ReportFormatOption = "text",
    output: ReportOutput = None,
) -> None:
    """Print the structure in force on DATE as a tree (or as nested JSON).

    \b
    Examples:
      orgmodel show 2023-06-01 --depth 1
      orgmodel show 2023 --root cloud-intelligence --lang zh
      orgmodel show 2015 --format json
    """
    from orgmodel.overview import format_structure

    history = _history(data)
    text = format_structure(
        history,
        date,
        root=root,
        depth=depth,
        lang=_check(lang, LANGS, "language"),
        show_ids=ids,
        fmt=fmt,
    )
    _emit(text, output, history)


@app.command()
def diff(
    a: Annotated[
        str,
        typer.Argument(
            help="The earlier date: YYYY-MM-DD, YYYY-MM or YYYY.",
            metavar="A",
            autocompletion=_complete_dates,
        ),
    ],
    b: Annotated[
        str, typer.Argument(help="The later date.", metavar="B", autocompletion=_complete_dates)
    ],
    data: DataOption = None,
    steps: Annotated[
        bool,
        typer.Option(
            "--steps", help="Show every step between the two dates, not only the net change."
        ),
    ] = False,
    fmt: ReportFormatOption = "text",
    output: ReportOutput = None,
    unit: UnitOption = None,
    kind: KindOption = None,
    exclude_kind: ExcludeKindOption = None,
    everything: AllOption = False,
    threshold: ThresholdOption = None,
    lang: ReportLangOption = "en",
    exit_code: ExitCodeOption = False,
) -> None:
    """What changed between the structures in force on dates A and B.

    \b
    Examples:
      orgmodel diff 2023-01-01 2025-12-31
      orgmodel diff 2023 2025 --steps --unit aicheng
      orgmodel diff 2023-03 2023-12 --kind spun_off --format markdown -o changes.md
      orgmodel diff 2023-03 2023-12 --lang zh
    """
    from orgmodel.compare import DEFAULT_THRESHOLD, choose
    from orgmodel.report import chosen_report, history_names, quiet_fold

    history, language = _history(data), _check(lang, LANGS, "language")
    limit = DEFAULT_THRESHOLD if threshold is None else threshold
    chosen = choose(
        history, a, b, steps=steps, unit=unit, kinds=kind, exclude=exclude_kind, threshold=limit
    )
    fold = quiet_fold(kind, everything=everything, hint=_FOLD_HINTS[language])
    names = history_names(history, language)
    _emit(chosen_report(chosen, names, fmt, fold=fold, lang=language), output, history)
    if exit_code and chosen.events:
        raise typer.Exit(1)


@app.command()
def log(
    a: FromArg = None,
    b: ToArg = None,
    data: DataOption = None,
    unit: UnitOption = None,
    kind: KindOption = None,
    exclude_kind: ExcludeKindOption = None,
    everything: AllOption = False,
    threshold: ThresholdOption = None,
    fmt: ReportFormatOption = "text",
    output: ReportOutput = None,
    lang: ReportLangOption = "en",
    exit_code: ExitCodeOption = False,
) -> None:
    """Every change, step by step, from date A to date B (the whole history by default).

    \b
    Examples:
      orgmodel log
      orgmodel log 2025-06 2026 --kind merged --kind added
      orgmodel log --unit aicheng --format json -o aicheng.json
      orgmodel log 2023 2024 --lang zh
    """
    from orgmodel.compare import DEFAULT_THRESHOLD, choose
    from orgmodel.report import chosen_report, history_names, quiet_fold

    history, language = _history(data), _check(lang, LANGS, "language")
    limit = DEFAULT_THRESHOLD if threshold is None else threshold
    chosen = choose(
        history, a, b, steps=True, unit=unit, kinds=kind, exclude=exclude_kind, threshold=limit
    )
    fold = quiet_fold(kind, everything=everything, hint=_FOLD_HINTS[language])
    names = history_names(history, language)
    _emit(chosen_report(chosen, names, fmt, fold=fold, lang=language), output, history)
    if exit_code and chosen.events:
        raise typer.Exit(1)


@app.command()
def lineage(
    unit: Annotated[
        str,
        typer.Argument(
            help="The id of the unit, e.g. aicheng.", metavar="ID", autocompletion=_complete_units
        ),
    ],
    data: DataOption = None,
    threshold: ThresholdOption = None,
    fmt: ReportFormatOption = "text",
    output: ReportOutput = None,
    lang: ReportLangOption = "en",
) -> None:
    """The life of one unit, and of the units it came from or went into, in time order.

    \b
    Examples:
      orgmodel lineage chengdun
      orgmodel lineage aicheng --format markdown -o aicheng.md
      orgmodel lineage aicheng --lang zh
    """
    from orgmodel.report import history_names, lineage_report

    history, language = _history(data), _check(lang, LANGS, "language")
    events = history.lineage(unit, threshold=threshold)
    text = lineage_report(
        unit,
        events,
        history_names(history, language),
        fmt,
        a_date=history.dates[0],
        b_date=history.dates[-1],
        present=history.presence(unit),
        lang=language,
    )
    _emit(text, output, history)


@app.command()
def unit(
    unit_id: Annotated[
        str,
        typer.Argument(
            help="The id of the unit, e.g. aicheng.", metavar="ID", autocompletion=_complete_units
        ),
    ],
    date: Annotated[
        str | None,
        typer.Argument(
            help="A date: YYYY-MM-DD, YYYY-MM or YYYY (default: the latest snapshot that holds "
            "the unit).",
            metavar="DATE",
            show_default=False,
            autocompletion=_complete_dates,
        ),
    ] = None,
    data: DataOption = None,
    fmt: ReportFormatOption = "text",
    output: ReportOutput = None,
    lang: ReportLangOption = "en",
) -> None:
    """A unit's record and what it rests on: names, kind, status, plan, parents, leaders,
    confidence, note, when it is present, and the sources it cites in full.

    \b
    Examples:
      orgmodel unit aicheng
      orgmodel unit cro-line 2023-06 --format markdown
    """
    from orgmodel.provenance import format_unit_record, unit_record

    history = _history(data)
    record = unit_record(history, unit_id, date)
    _emit(format_unit_record(record, fmt, lang), output, history)


@app.command()
def sources(
    key: Annotated[
        str | None,
        typer.Argument(
            help="The key of one source (default: every source).",
            metavar="KEY",
            show_default=False,
            autocompletion=_complete_sources,
        ),
    ] = None,
    data: DataOption = None,
    fmt: ReportFormatOption = "text",
    output: ReportOutput = None,
    lang: ReportLangOption = "en",
) -> None:
    """The bibliography: every source with title, publisher, date and address, or one source
    in full with the units that cite it.

    \b
    Examples:
      orgmodel sources
      orgmodel sources scmp-2023-05-10-aicheng
      orgmodel sources --format json -o sources.json
    """
    from orgmodel.provenance import format_sources, source_entries

    history = _history(data)
    _emit(format_sources(source_entries(history, key), fmt, lang), output, history)


@app.command()
def find(
    text: Annotated[
        str, typer.Argument(help="Part of a name (English or Chinese) or an id.", metavar="TEXT")
    ],
    data: DataOption = None,
    fmt: ReportFormatOption = "text",
    output: ReportOutput = None,
    lang: ReportLangOption = "en",
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

    history = _history(data)
    _emit(format_found(history.find(text), text, fmt, lang), output, history)


OutputOption = Annotated[
    Path,
    typer.Option(
        "--output",
        "-o",
        help="The picture to write: .png, .svg or .pdf.",
        show_default=False,
        metavar="FILE",
    ),
]
DpiOption = Annotated[
    float | None,
    typer.Option(
        "--dpi",
        min=10,
        max=1200,
        metavar="DPI",
        help="Resolution of a PNG, in dots per inch (default 200, less for a very large chart).",
        show_default=False,
    ),
]
WidthOption = Annotated[
    str | None,
    typer.Option(
        "--width",
        metavar="SIZE",
        help="Width of the picture, in pixels (1200) or as a length (16cm, 160mm, 6.5in, 468pt); "
        "everything in it is scaled to fit (default: the size at which labels are 9 pt).",
        show_default=False,
    ),
]
TitleOption = Annotated[
    str | None,
    typer.Option(
        "--title",
        metavar="TEXT",
        help="The picture's title, instead of the data's.",
        show_default=False,
    ),
]


CompareOption = Annotated[
    str | None,
    typer.Option(
        "--compare",
        "-c",
        metavar="DATE",
        help="Draw the change chart between DATE and this date instead of an org chart.",
        autocompletion=_complete_dates,
    ),
]
LeadersOption = Annotated[
    bool, typer.Option("--leaders", help="Name each unit's leaders in its box.")
]
CitationsOption = Annotated[
    bool,
    typer.Option(
        "--sources/--no-sources", help="List the sources cited below the chart (default)."
    ),
]
StepsChartOption = Annotated[
    bool,
    typer.Option(
        "--steps",
        help="With --compare: draw each step between the two dates as a small change chart "
        "of what changed in it, so that a round trip shows.",
    ),
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
    compare: CompareOption = None,
    root: RootOption = None,
    depth: DepthOption = None,
    lang: LangOption = "en",
    dpi: DpiOption = None,
    width: WidthOption = None,
    title: TitleOption = None,
    leaders: LeadersOption = False,
    citations: CitationsOption = True,
    steps: StepsChartOption = False,
) -> None:
    """Draw the org chart in force on DATE (or, with --compare, what changed) to a picture.

    \b
    Examples:
      orgmodel plot 2023-05-18 -o chart.png
      orgmodel plot 2023-01-01 --compare 2023-12-31 -o change.svg
      orgmodel plot 2023-01-01 --compare 2023-12-31 --steps -o steps.png
      orgmodel plot 2023 --root cloud-intelligence --lang zh -o cloud.pdf
    """
    history = _history(data)
    _check_picture_path(output, history)
    from orgmodel.drawing.pictures import draw_history, used_words

    drawn = draw_history(
        history,
        date,
        compare,
        steps=steps,
        root=root,
        depth=depth,
        lang=_check(lang, LANGS, "language"),
        title=title,
        width=_picture_width(width, dpi),
        leaders=leaders,
        citations=citations,
    )
    _save_picture(drawn.figure, output, dpi, used_words(drawn))


@app.command()
def timeline(
    output: OutputOption,
    a: FromArg = None,
    b: ToArg = None,
    data: DataOption = None,
    start: Annotated[
        str | None, typer.Option("--from", hidden=True, help="The same as A.", metavar="DATE")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", hidden=True, help="The same as B.", metavar="DATE")
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit",
            "-u",
            metavar="ID",
            help="Follow one unit: the period of its story, the units its changes involved "
            "and their parents.",
            autocompletion=_complete_units,
        ),
    ] = None,
    depth: DepthOption = None,
    lang: LangOption = "en",
    dpi: DpiOption = None,
    width: WidthOption = None,
    title: TitleOption = None,
) -> None:
    """Draw the history as a timeline from date A to date B (by default the whole history, or
    with --unit the period of that unit's story): one lane per unit, with spin-offs, returns,
    mergers, splits and moves marked at their dates and each snapshot's title at its date.

    \b
    Examples:
      orgmodel timeline -o timeline.png
      orgmodel timeline 2021 2024 -o since-2021.svg
      orgmodel timeline -o aicheng.png --unit aicheng
      orgmodel timeline -o timeline-zh.pdf --lang zh --width 16cm
    """
    a, b = a or start, b or end
    history = _history(data)
    _check_picture_path(output, history)
    inches = _picture_width(width, dpi)
    language = _check(lang, LANGS, "language")
    import orgmodel.drawing as drawing

    drawn = drawing.draw_timeline(
        history,
        start=a,
        end=b,
        unit=unit,
        depth=depth,
        lang=language,
        title=title,
        width=inches,
    )
    used = f"snapshots of {drawn.dates[0].isoformat()} -> {drawn.dates[-1].isoformat()}"
    _save_picture(drawn.figure, output, dpi, used)


FlowLevelOption = Annotated[
    int,
    typer.Option("--level", min=1, metavar="N", help="Blocks at this many levels below the top."),
]
FlowDatesOption = Annotated[
    list[str] | None,
    typer.Option(
        "--date",
        metavar="DATE",
        help="A column at the snapshot in force on this date (repeat it; default: the first "
        "and last snapshots and those that open the history's lasting periods at the level, or "
        "every one if few).",
        show_default=False,
    ),
]
FlowMinSizeOption = Annotated[
    int,
    typer.Option(
        "--min-size",
        min=1,
        metavar="N",
        help="Pool the units holding fewer units than this on every date shown as 'other "
        "units' (1: none).",
    ),
]


@app.command()
def flow(
    output: OutputOption,
    data: DataOption = None,
    level: FlowLevelOption = 1,
    dates: FlowDatesOption = None,
    min_size: FlowMinSizeOption = 2,
    lang: LangOption = "en",
    dpi: DpiOption = None,
    width: WidthOption = None,
    title: TitleOption = None,
) -> None:
    """Draw a flow chart: a column of blocks per date, one per unit at a level, as tall as the
    units it holds, with ribbons for the units that pass from block to block.

    \b
    Examples:
      orgmodel flow -o flow.png
      orgmodel flow -o groups.svg --level 2
      orgmodel flow -o 2023.png --date 2022-12-31 --date 2023-03-28 --date 2023-12-31
      orgmodel flow -o flow-zh.png --lang zh --width 1600
    """
    history = _history(data)
    _check_picture_path(output, history)
    inches = _picture_width(width, dpi)
    language = _check(lang, LANGS, "language")
    import orgmodel.drawing as drawing

    drawn = drawing.draw_flow_chart(
        history,
        dates=dates,
        level=level,
        min_size=min_size,
        lang=language,
        title=title,
        width=inches,
    )
    columns = drawn.flows.columns
    used = f"{len(columns)} snapshots, {columns[0].date} -> {columns[-1].date}"
    _save_picture(drawn.figure, output, dpi, used)


@app.command("html")
def html_page(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The page to write (.html or .htm).",
            show_default=False,
        ),
    ],
    data: DataOption = None,
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            metavar="LANG",
            help="The page's words and names in English (en), or in Chinese (zh).",
            autocompletion=_choices(LANGS),
        ),
    ] = "en",
    title: Annotated[
        str | None,
        typer.Option(
            "--title", metavar="TEXT", help="The page's heading (default: the history's)."
        ),
    ] = None,
) -> None:
    """Write the history as one interactive page that opens from disk, with no network: step
    through the dates, open branches of the tree in force, see each step's changes, search, and
    read a unit's record with its sources and lineage.

    \b
    Examples:
      orgmodel html -o alibaba.html
      orgmodel html --lang zh -o alibaba-zh.html
    """
    from orgmodel.html import render_html
    from orgmodel.output import check_output_path, write_atomic

    history = _history(data)
    if output.suffix.lower() not in (".html", ".htm"):
        from orgmodel.errors import OutputError

        fixed = output.with_suffix(".html")
        raise OutputError(f"{output}: a page is written as .html; give a name such as {fixed}")
    check_output_path(output, _protected(history))
    page = render_html(history, lang=_check(lang, LANGS, "language"), title=title)
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
            metavar="DIR",
        ),
    ] = None,
    data: DataOption = None,
    fmt: ReportFormatOption = "text",
) -> None:
    """Check a folder of snapshot files; print one line per problem (exit status 2 if any).
    With --format json, the summary or every problem as one JSON document on standard output.

    \b
    Examples:
      orgmodel validate my-group
      orgmodel validate --format json
    """
    from orgmodel.overview import check_folder, format_check
    from orgmodel.reading import bundled_path

    check = check_folder(folder or data or bundled_path())
    if check.problems and fmt != "json":
        raise DataError(list(check.problems))
    _echo(format_check(check, fmt))
    if check.problems:
        raise typer.Exit(2)


ExportDateArg = Annotated[
    str | None,
    typer.Argument(
        help="A date: YYYY-MM-DD, YYYY-MM or YYYY (not with --history).",
        metavar="DATE",
        show_default=False,
        autocompletion=_complete_dates,
    ),
]
ExportFormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="The file format (default: from the suffix of -o, else graphml): {EXPORT_FORMATS}.",
        autocompletion=_choices(_export_formats),
        show_default=False,
    ),
]
ExportOutput = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="File to write, its format chosen by its suffix (default or '-': standard output).",
    ),
]
WholeHistoryOption = Annotated[
    bool,
    typer.Option(
        "--history",
        help="Export the whole history as one dynamic GEXF, which Gephi's timeline plays.",
    ),
]


@app.command()
def export(
    date: ExportDateArg = None,
    fmt: ExportFormatOption = None,
    output: ExportOutput = None,
    root: RootOption = None,
    depth: DepthOption = None,
    lang: LangOption = "en",
    whole: WholeHistoryOption = False,
    data: DataOption = None,
) -> None:
    """Export the structure in force on DATE as GraphML, GEXF, node-link JSON, DOT or Mermaid.

    \b
    Examples:
      orgmodel export 2023-05-18 -o alibaba-2023.graphml
      orgmodel export 2023-05-18 -o alibaba-2023.gexf
      orgmodel export 2015-12-07 --format mermaid
      orgmodel export --history -o alibaba.gexf
    """
    from orgmodel.export import export_text

    history = _history(data)
    path = _file_to_write(output, history)
    language = _check(lang, LANGS, "language")
    done = export_text(
        history, date, whole=whole, fmt=fmt, path=path, root=root, depth=depth, lang=language
    )
    _emit(done.text, path, history, used=done.used, fmt=done.format)


@app.command()
def table(
    which: Annotated[
        str,
        typer.Argument(
            help="Which table: " + ", ".join(_tables()) + ".",
            metavar="TABLE",
            autocompletion=_choices(_tables()),
        ),
    ],
    a: FromArg = None,
    b: ToArg = None,
    data: DataOption = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="csv, json, or parquet (which needs -o): " + ", ".join(_table_formats()) + ".",
            autocompletion=_choices(_table_formats()),
        ),
    ] = "csv",
    output: ReportOutput = None,
) -> None:
    """A table for analysis: units (one row per unit per snapshot, with field confidence,
    lineage, leaders and notes) or events (one row per event of every step), from date A to
    date B (the whole history by default).

    \b
    Examples:
      orgmodel table units -o units.csv
      orgmodel table events 2023 2025 --format json
      orgmodel table units --format parquet -o units.parquet
    """
    from orgmodel.tables import table_bytes

    history = _history(data)
    if fmt == "parquet" and (output is None or str(output) == "-"):
        from orgmodel.errors import OutputError

        raise OutputError("parquet is binary: give a file with -o, e.g. -o units.parquet")
    content = table_bytes(history, which, fmt, a, b)
    if output is None or str(output) == "-":
        _echo(content.decode("utf-8"))
        return
    from orgmodel.output import write_atomic

    write_atomic(output, content, _protected(history))
    _note(f"wrote {output}")


@app.command()
def schema(
    what: Annotated[
        str,
        typer.Argument(
            help="Which schema: " + ", ".join(_schemas()) + ".",
            metavar="WHAT",
            autocompletion=_choices(_schemas()),
        ),
    ] = "snapshot",
    output: ReportOutput = None,
) -> None:
    """Print a JSON Schema: of snapshot files (for editors), of sources.yaml, or of the
    document that `orgmodel diff --format json` writes.

    \b
    Examples:
      orgmodel schema > snapshot.schema.json
      orgmodel schema events -o events.schema.json
    """
    from orgmodel.schemas import schema as json_schema

    _emit(json.dumps(json_schema(what), ensure_ascii=False, indent=2), output)


import_app = _App(
    help="Import an organisation into a new snapshot folder: from a table (CSV, TSV, Parquet, "
    "Excel), a Wikidata query result, or GLEIF relationship records.",
    epilog="\b\nExamples:\n  orgmodel import table org.csv -o my-group\n"
    "  orgmodel import table --help",
    no_args_is_help=True,
)
app.add_typer(import_app, name="import")


ImportOutput = Annotated[
    Path,
    typer.Option(
        "--output",
        "-o",
        help="The snapshot folder to write; it must be new or empty.",
        show_default=False,
        metavar="DIR",
    ),
]
ImportFormat = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="Write snapshot files as YAML (for people) or JSON: {FILE_FORMATS}",
        autocompletion=_choices(_file_formats),
    ),
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
            "per date, each named by its date (2023-01-01.csv) or with a date column, or the "
            "folder that holds them.",
            metavar="FILE...",
        ),
    ],
    output: ImportOutput,
    column_map: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            "-m",
            metavar="HEADER=FIELD",
            help="Read a column of another name as one of orgmodel's: 'Header=field' (repeat). "
            "Fields: date, id, name, parent, kind, status, plan, name_zh, leaders, lineage, "
            "source, confidence, note.",
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option("--title", metavar="TEXT", help="What the folder describes, e.g. the group."),
    ] = None,
    fmt: ImportFormat = "yaml",
) -> None:
    """Import a long table (one row per unit per date) into a new snapshot folder.

    \b
    Examples:
      orgmodel import table org.csv -o my-group --map "Org Unit=name"
      orgmodel import table 2023-01-01.csv 2024-01-01.csv -o my-group -f json
    """
    from orgmodel.importing import import_table as run

    chosen = _check(fmt, _file_formats(), "file format")
    done = run(files, output, _column_map(column_map), title=title, fmt=chosen)  # type: ignore[arg-type]
    for line in done.notes:
        _note(line)
    _note(done.summary())


@import_app.command("wikidata")
def import_wikidata(
    file: Annotated[
        Path,
        typer.Argument(
            help="The query's result, downloaded from the Wikidata Query Service (JSON, JSON "
            "verbose, CSV or TSV).",
            metavar="FILE",
        ),
    ],
    output: ImportOutput,
    root: Annotated[
        str | None,
        typer.Option(
            "--root", metavar="QID", help="The group's item (Q...), if the result does not tell."
        ),
    ] = None,
    retrieved: Annotated[
        str | None,
        typer.Option(
            "--retrieved",
            metavar="DATE",
            help="The day the result was fetched, YYYY-MM-DD (default: the file's date).",
        ),
    ] = None,
    fmt: ImportFormat = "yaml",
) -> None:
    """Import a group's subsidiaries from Wikidata (a SPARQL query result) into a new snapshot
    folder: a snapshot at each date a parent link starts or ends, each unit citing its item.
    The query to paste into the Wikidata Query Service is in the README.

    \b
    Examples:
      orgmodel import wikidata query.json -o my-group
      orgmodel import wikidata query.json -o my-group --root Q1359568 --retrieved 2026-01-05
    """
    from orgmodel.importing import import_wikidata as run

    chosen = _check(fmt, _file_formats(), "file format")
    done = run(file, output, root=root, retrieved=retrieved, fmt=chosen)  # type: ignore[arg-type]
    for line in done.notes:
        _note(line)
    _note(done.summary())


@import_app.command("gleif")
def import_gleif(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="GLEIF files: Level 2 relationship records (RR-CDF) with the Level 1 records "
            "(LEI-CDF) that name the entities; as XML, Golden Copy JSON or CSV, or API JSON.",
            metavar="FILE...",
        ),
    ],
    output: ImportOutput,
    retrieved: Annotated[
        str | None,
        typer.Option(
            "--retrieved",
            metavar="DATE",
            help="The day the records were fetched, YYYY-MM-DD (default: the newest file's).",
        ),
    ] = None,
    roots: Annotated[
        list[str] | None,
        typer.Option(
            "--root",
            metavar="LEI",
            help="Import only the group that holds this LEI (repeat for several); needed when "
            "the files hold more than 20 groups, as a whole Golden Copy does.",
        ),
    ] = None,
    fmt: ImportFormat = "yaml",
) -> None:
    """Import GLEIF relationship records (who consolidates whom, with their periods) as a
    dated tree per group, each entity under its direct parent and citing its LEI record. One
    group is written into the folder; several, into a subfolder each, named by the root's LEI.

    \b
    Examples:
      orgmodel import gleif rr.xml lei2.xml -o my-group
      orgmodel import gleif relationships.csv entities.csv -o groups --retrieved 2026-01-05
      orgmodel import gleif rr.csv.zip lei2.csv.zip -o acme --root 5493001KJTIIGC8Y1R12
    """
    from orgmodel.importing import import_gleif as run

    chosen = _check(fmt, _file_formats(), "file format")
    done_all = run(files, output, retrieved=retrieved, roots=roots or (), fmt=chosen)  # type: ignore[arg-type]
    for done in done_all:
        for line in done.notes:
            _note(line)
        _note(done.summary())


def _check_picture_path(output: Path, history: History) -> None:
    """Refuse a bad picture path before spending time on drawing."""
    from orgmodel.errors import OutputError
    from orgmodel.output import check_output_path

    check_output_path(output, _protected(history))  # first: a folder is not a missing suffix
    allowed = (".png", ".svg", ".pdf")
    if output.suffix.lower() not in allowed:
        raise OutputError(
            f"{output}: cannot save a picture as '{output.suffix or '(no suffix)'}'; "
            f"use one of {', '.join(allowed)}"
        )


def _protected(history: History | None) -> list[Path]:
    return [history.path] if history is not None and history.path is not None else []


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
    import warnings

    warnings.showwarning = _show_warning
    for stream in (sys.stdout, sys.stderr):
        # A console that cannot show a character (cp1252 and a Chinese name) shows an escape.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _show_warning(message: Warning | str, *args: object, **kwargs: object) -> None:
    """A warning as one line, like an error: no source path, no line of code."""
    from orgmodel.output import terminal_safe

    text = " ".join(str(message).split())
    with contextlib.suppress(OSError):
        sys.stderr.write(f"orgmodel: warning: {terminal_safe(text)}\n")


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
        from orgmodel.progress import on_terminal

        # A short-lived process: holding the collector off spares it walks over the records
        # and events a command builds and keeps until it exits.
        with paused(), on_terminal(sys.stderr):
            args = sys.argv[1:] if argv is None else argv
            result = _app_for(args)(args=args, prog_name="orgmodel", standalone_mode=False)
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


#: The options of the command line itself, before a command: those that take a value.
_ROOT_VALUES = ("--data", "-d")


def _app_for(args: Sequence[str]) -> typer.Typer:
    """The command line with only the command ``args`` name, when they name one: typer builds
    the click parameters of every command it holds, a twentieth of a second for all of them,
    which a picture command started cold would spend for nothing. Help of the whole command
    line, shell completion, and a name that is not a command (whose message suggests the
    near ones) get every command."""
    name = _command_name(args)
    if name is None or any(key.endswith("_COMPLETE") for key in os.environ):
        return app
    import copy

    from typer.main import get_command_name

    chosen = [
        command
        for command in app.registered_commands
        if (command.name or get_command_name(command.callback.__name__)) == name  # type: ignore[union-attr]
    ]
    groups = [group for group in app.registered_groups if group.name == name]
    if not chosen and not groups:
        return app
    one = copy.copy(app)
    one.registered_commands, one.registered_groups = chosen, groups
    return one


def _command_name(args: Sequence[str]) -> str | None:
    """The command ``args`` name: the first word that is neither an option of the command
    line itself nor the value of one."""
    words = iter(args)
    for word in words:
        if word == "--":
            return next(words, None)
        if word in _ROOT_VALUES:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


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
