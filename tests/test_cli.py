"""The command line: each command a thin layer over the library, errors as one line, exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from orgmodel.cli import app, main

EXAMPLE = str(Path(__file__).parent / "data" / "example")


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out, err = capsys.readouterr()
    return code, out, err


def command_names() -> list[str]:
    import typer.main

    group = typer.main.get_group(app)
    return sorted(group.commands)


@pytest.mark.parametrize("name", command_names())
def test_every_command_has_help(capsys, name):
    code, out, _ = run(capsys, name, "--help")
    assert code == 0
    assert "Usage: orgmodel " + name in out
    import typer.main

    command = typer.main.get_group(app).commands[name]
    assert command.help and len(command.help.strip()) > 20


@pytest.mark.parametrize("name", command_names())
def test_a_command_run_alone_is_the_one_of_the_whole_command_line(name):
    """Only the command named is built for a run, and it is built as in the whole group."""
    import typer.main

    from orgmodel.cli import _app_for

    whole = typer.main.get_group(app)
    alone = typer.main.get_group(_app_for(["--data", EXAMPLE, name, "--help"]))
    assert list(alone.commands) == [name]
    ours, theirs = alone.commands[name], whole.commands[name]
    assert [p.opts for p in ours.params] == [p.opts for p in theirs.params]
    with whole.make_context("orgmodel", [name], resilient_parsing=True) as parent:
        assert ours.get_help(parent) == theirs.get_help(parent)


@pytest.mark.parametrize(
    "args", [[], ["--help"], ["timelin"], ["--data"], ["-V"], ["--data", "timeline"]]
)
def test_a_command_line_naming_no_command_gets_every_command(args):
    import typer.main

    from orgmodel.cli import _app_for

    assert len(typer.main.get_group(_app_for(args)).commands) == len(command_names())


def test_the_folder_given_before_the_command_reaches_it(capsys):
    code, out, _ = run(capsys, "--data", EXAMPLE, "dates")
    assert code == 0 and out.startswith("Example Group: 4 snapshots")


def test_dates(capsys):
    code, out, _ = run(capsys, "dates", "--data", EXAMPLE)
    assert code == 0
    assert out.splitlines() == [
        "Example Group: 4 snapshots",
        "2020-01-01     12 units  Three groups and a shared platform",
        "2021-01-01     11 units  Platform broken up; media merged",
        "2022-01-01     11 units  Search Co folded back; the lab moves to commerce",
        "2023-06-30     11 units  Mall Retail bought back",
    ]


def test_dates_json(capsys):
    code, out, _ = run(capsys, "dates", "--data", EXAMPLE, "--format", "json")
    rows = json.loads(out)
    assert code == 0
    assert rows[0] == {
        "date": "2020-01-01",
        "in_force_until": "2021-01-01",
        "units": 12,
        "title": "Three groups and a shared platform",
    }
    assert rows[-1]["in_force_until"] is None


def test_data_from_environment(capsys, monkeypatch):
    monkeypatch.setenv("ORGMODEL_DATA", EXAMPLE)
    code, out, _ = run(capsys, "dates")
    assert code == 0
    assert out.startswith("Example Group: 4 snapshots")


@pytest.mark.parametrize(
    ("env", "args", "expected"),
    [
        (None, ["--data", EXAMPLE, "dates"], "Example Group: 4 snapshots"),
        (None, ["-d", EXAMPLE, "validate"], f"{EXAMPLE}: OK: 4 snapshots"),
        # A command's own --data wins over one given ahead of it, and over $ORGMODEL_DATA.
        (None, ["--data", "/nowhere", "dates", "--data", EXAMPLE], "Example Group: 4 snapshots"),
        ("/nowhere", ["dates", "--data", EXAMPLE], "Example Group: 4 snapshots"),
        ("/nowhere", ["--data", EXAMPLE, "dates"], "Example Group: 4 snapshots"),
    ],
)
def test_data_before_or_after_the_command(capsys, monkeypatch, env, args, expected):
    if env:
        monkeypatch.setenv("ORGMODEL_DATA", env)
    else:
        monkeypatch.delenv("ORGMODEL_DATA", raising=False)
    code, out, err = run(capsys, *args)
    assert (code, err) == (0, "")
    assert out.startswith(expected)


def test_show_says_which_snapshot_it_used(capsys):
    code, out, _ = run(capsys, "show", "2021-06", "--data", EXAMPLE, "--depth", "1")
    assert code == 0
    assert out.splitlines() == [
        "Example Group — snapshot of 2021-01-01 (in force until 2022-01-01)",
        "Platform broken up; media merged",
        "",
        "Example Group  (group) holding, listed",
        "├── Commerce & Retail Group  (commerce) business_group  [2 below]",
        "├── Shared Platform  (platform) function  [2 below]",
        "├── Search Co  (search-co) company, standalone  [1 below]",
        "└── Media Group  (media) business_group, IPO planned  [1 below]",
    ]


def test_show_chinese_names(capsys):
    code, out, _ = run(capsys, "show", "2020", "--data", EXAMPLE, "--lang", "zh", "--depth", "0")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Example Group — 2020-01-01 的快照（有效至 2021-01-01 之前）"
    assert lines[-1] == "示例集团  (group) 控股公司，上市公司  [下辖 11 个单位]"


def test_validate_ok(capsys):
    code, out, _ = run(capsys, "validate", EXAMPLE)
    assert code == 0
    assert out == (
        f"{EXAMPLE}: OK: 4 snapshots from 2020-01-01 to 2023-06-30, 45 unit records "
        "(14 distinct units), 3 sources\n"
    )


def test_validate_broken_folder_one_line_per_problem(tmp_path: Path):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "2020-01-01.yaml").write_text(
        "date: 2020-01-01\ntitle: T\nunits:\n"
        "  - {id: g, name: G, kind: holding}\n"
        "  - {id: a, name: A, kind: unit, parent: gg}\n"
        "  - {id: b, name: B, kind: unit, parent: g, colour: red}\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "orgmodel", "validate", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    # Every problem at once: the schema's (an unknown key) and the structure's (a parent).
    assert result.stderr.splitlines() == [
        f"orgmodel: {folder}/2020-01-01.yaml:5: unit 'a': parent 'gg' does not exist in this "
        "snapshot (did you mean 'g'?)",
        f"orgmodel: {folder}/2020-01-01.yaml:6: unit 'b': unknown key 'colour' "
        "(allowed: id, name, name_zh, kind, parent, status, plan, leaders, lineage, sources, "
        "confidence, field_confidence, note)",
        "orgmodel: 2 problems found",
    ]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["show", "1999"],
            "orgmodel: 1999 is before the first snapshot (2020-01-01); use a date "
            "on or after 2020-01-01",
        ),
        (
            ["show", "2020-02-30"],
            "orgmodel: '2020-02-30' is not a real date (day is out of range for month)",
        ),
        (["show", "soon"], "orgmodel: 'soon' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY"),
        (
            ["show", "2020", "--root", "nope"],
            "orgmodel: unit 'nope' is not in the snapshot of 2020-01-01",
        ),
    ],
)
def test_bad_input_is_one_line_and_status_2(capsys, args, message):
    code, out, err = run(capsys, *args, "--data", EXAMPLE)
    assert code == 2
    assert out == ""
    assert err.splitlines() == [message]


def test_export_writes_file_atomically(capsys, tmp_path: Path):
    target = tmp_path / "g.mermaid"
    code, _out, err = run(
        capsys, "export", "2022", "-f", "mermaid", "-o", str(target), "--data", EXAMPLE
    )
    assert code == 0
    assert target.read_text().startswith("flowchart TD\n")
    assert err == f"wrote {target} (mermaid, snapshot of 2022-01-01)\n"


def test_export_refuses_to_overwrite_snapshots(capsys, tmp_path: Path):
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(EXAMPLE, folder)
    before = (folder / "2020-01-01.yaml").read_text()
    code, _, err = run(
        capsys, "export", "2020", "-o", str(folder / "2020-01-01.yaml"), "--data", str(folder)
    )
    assert code == 2
    assert "would write into the snapshot folder" in err
    assert (folder / "2020-01-01.yaml").read_text() == before


def test_schema_is_json_schema(capsys):
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0
    assert schema["title"] == "orgmodel snapshot file"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "urn:orgmodel:schema:snapshot"
    assert schema["additionalProperties"] is False
    assert "units" in schema["required"]


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.startswith("orgmodel ")


def test_cli_does_not_import_matplotlib():
    code = (
        "import sys, orgmodel.cli; "
        "print(any(m == 'matplotlib' or m.startswith('matplotlib.') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_an_org_chart_builds_neither_the_event_classes_nor_the_diff_engine(tmp_path):
    # What a plot of one date never calls, it does not import: a cold start pays for it.
    code = (
        "import sys\nfrom orgmodel.cli import main\n"
        f"args = ['plot', '2021', '-o', {str(tmp_path / 'chart.png')!r}, '--data', {EXAMPLE!r}]\n"
        "try:\n    main(args)\n"
        "except SystemExit as end:\n    assert end.code == 0, end.code\n"
        "print(sorted(m for m in sys.modules if m in ('orgmodel.events', 'orgmodel.compare')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
    assert (tmp_path / "chart.png").stat().st_size > 0


def test_diff_text_grouped_by_kind_with_dates_used(capsys):
    code, out, _ = run(
        capsys, "diff", "2021", "2022", "--data", EXAMPLE, "-k", "returned", "-k", "moved"
    )
    assert code == 0
    assert out.splitlines() == [
        "Snapshots used: 2021-01-01 -> 2022-01-01",
        "2 changes",
        "",
        "Moved (1)",
        "  - Research Lab [lab]: Shared Platform [platform] -> Commerce & Retail Group [commerce]",
        "",
        "Returned (1)",
        "  - Search Co [search-co] back in line: standalone -> active; away since 2021-01-01",
    ]


def test_diff_json_is_the_events_serialisation(capsys):
    from orgmodel.events import parse_event

    code, out, _ = run(capsys, "diff", "2020", "2023", "--data", EXAMPLE, "-f", "json")
    payload = json.loads(out)
    assert code == 0
    assert (payload["a"], payload["b"]) == ("2020-01-01", "2023-06-30")
    events = [parse_event(e) for e in payload["events"]]
    assert {e.kind for e in events} >= {"merged", "moved", "renamed", "removed"}


def test_diff_exit_code(capsys):
    assert run(capsys, "diff", "2021", "2022", "--data", EXAMPLE, "--exit-code")[0] == 1
    assert run(capsys, "diff", "2021", "2021-06", "--data", EXAMPLE, "--exit-code")[0] == 0
    # Without --exit-code, differences are not an error.
    assert run(capsys, "diff", "2021", "2022", "--data", EXAMPLE)[0] == 0


def test_diff_steps_shows_the_round_trip_a_net_diff_hides(capsys):
    code, net, _ = run(
        capsys,
        "diff",
        "2020",
        "2023",
        "--data",
        EXAMPLE,
        "-u",
        "search",
        "-k",
        "moved",
        "-k",
        "returned",
    )
    assert code == 0
    # Search went into Search Co in 2021 and came back to the platform in 2023: net, it moved
    # nowhere, but the steps show both moves.
    assert net.splitlines()[1] == "No changes."
    code, steps, _ = run(
        capsys, "diff", "2020", "2023", "--data", EXAMPLE, "-u", "search", "--steps"
    )
    assert "2021-01-01 (since 2020-01-01)" in steps
    assert "- Search [search]: Shared Platform [platform] -> Search Co [search-co]" in steps
    assert "- Search [search] back under Shared Platform [platform]" in steps


def test_log_and_lineage(capsys):
    code, out, _ = run(capsys, "log", "--data", EXAMPLE, "--unit", "search-co", "-k", "spun_off")
    assert code == 0
    assert out.splitlines()[:2] == [
        "Snapshots used: 2020-01-01 -> 2023-06-30",
        "1 change in 1 step",
    ]
    code, out, _ = run(capsys, "lineage", "streaming", "--data", EXAMPLE)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Lineage of Streaming [streaming]"
    assert (
        "  - Merged: Video [video] + Music [music] -> Streaming [streaming] (declared lineage)"
        in lines
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["diff", "2020", "2021", "-k", "bogus"],
            "orgmodel: unknown event kind 'bogus'; use one of "
            "added, removed, renamed, moved, split, merged, spun_off, returned, status_changed, "
            "plan_changed, leader_changed, kind_changed, updated",
        ),
        (
            ["lineage", "strea"],
            "orgmodel: unit 'strea' is in no snapshot; did you mean 'streaming' (Streaming)?",
        ),
        (["diff", "2020", "2021", "-u", "nope"], "orgmodel: unit 'nope' is in no snapshot"),
    ],
)
def test_diff_bad_input(capsys, args, message):
    code, out, err = run(capsys, *args, "--data", EXAMPLE)
    assert (code, out) == (2, "")
    assert err.splitlines() == [message]


def test_a_bug_is_one_line_not_a_traceback(capsys, monkeypatch):
    import orgmodel.cli as cli

    def broken(data):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli, "_history", broken)
    monkeypatch.delenv("ORGMODEL_DEBUG", raising=False)
    code, _out, err = run(capsys, "dates")
    assert code == 70
    assert err.splitlines() == [
        "orgmodel: internal error (ZeroDivisionError: division by zero); this is a bug in "
        "orgmodel: please report it with the command you ran (ORGMODEL_DEBUG=1 shows the details)"
    ]


@pytest.mark.parametrize(
    "extra", [[], ["--compare", "2022"], ["--root", "platform", "--depth", "1"]]
)
def test_plot_writes_a_picture(capsys, tmp_path: Path, extra):
    target = tmp_path / "chart.png"
    code, _, err = run(capsys, "plot", "2020", "-o", str(target), "--data", EXAMPLE, *extra)
    assert code == 0, err
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert err.startswith(f"wrote {target} (snapshot")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("chart.gif", "cannot save a picture as '.gif'; use one of .png, .svg, .pdf"),
        ("nowhere/chart.png", "does not exist; create it first"),
    ],
)
def test_plot_refuses_bad_paths_before_drawing(capsys, tmp_path: Path, name, message):
    code, _, err = run(capsys, "plot", "2020", "-o", str(tmp_path / name), "--data", EXAMPLE)
    assert code == 2
    assert message in err
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize(("width", "dpi", "pixels"), [("600", "100", 600), ("3in", "50", 150)])
def test_plot_takes_a_width_a_resolution_and_a_title(
    capsys, tmp_path: Path, width: str, dpi: str, pixels: int
):
    from PIL import Image

    target = tmp_path / "chart.png"
    code, _, err = run(
        capsys, "plot", "2020", "-o", str(target), "--data", EXAMPLE,
        "--width", width, "--dpi", dpi, "--title", "Our group",
    )  # fmt: skip
    assert code == 0, err
    with Image.open(target) as image:
        assert image.size[0] == pixels


def test_plot_steps_draws_each_step(capsys, tmp_path: Path):
    target = tmp_path / "steps.svg"
    code, _, err = run(
        capsys, "plot", "2020", "--compare", "2022", "--steps", "-o", str(target), "--data", EXAMPLE
    )
    assert code == 0, err
    assert "Step 1 of" in target.read_text()
    assert err.count(" -> ") >= 1


def test_plot_refuses_a_width_that_is_not_one(capsys, tmp_path: Path):
    target = tmp_path / "chart.png"
    code, _, err = run(
        capsys, "plot", "2020", "-o", str(target), "--data", EXAMPLE, "--width", "9ft"
    )
    assert code == 2
    assert err.startswith("orgmodel: --width: '9ft' is not a width")
    assert len(err.splitlines()) == 1
    assert not target.exists()


@pytest.mark.parametrize(
    "extra", [[], ["--unit", "search-co"], ["--from", "2021", "--to", "2022", "--depth", "1"]]
)
def test_timeline_writes_a_picture(capsys, tmp_path: Path, extra):
    target = tmp_path / "timeline.svg"
    code, _, err = run(capsys, "timeline", "-o", str(target), "--data", EXAMPLE, *extra)
    assert code == 0, err
    assert target.read_text().lstrip().startswith("<?xml")
    assert err.startswith(f"wrote {target} (snapshots of ")


def test_timeline_unknown_unit(capsys, tmp_path: Path):
    code, _, err = run(
        capsys, "timeline", "-o", str(tmp_path / "t.png"), "--data", EXAMPLE, "--unit", "serch-co"
    )
    assert code == 2
    assert (
        err
        == "orgmodel: unit 'serch-co' is in no snapshot; did you mean 'search-co' (Search Co)?\n"
    )
    assert not (tmp_path / "t.png").exists()


def test_diff_json_follows_the_published_schema(capsys):
    jsonschema = pytest.importorskip("jsonschema")
    code, out, _ = run(capsys, "schema", "events")
    schema = json.loads(out)
    code, out, _ = run(capsys, "diff", "2020", "2023", "--data", EXAMPLE, "-f", "json")
    document = json.loads(out)
    assert code == 0 and document["events"]
    jsonschema.validate(document, schema)
    broken = {**document, "events": [{**document["events"][0], "kind": "teleported"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


@pytest.mark.parametrize(
    ("args", "first_lines"),
    [
        (
            ["unit", "search-co"],
            ["Search Co [search-co]", "Snapshot used:    2022-01-01 (in force until 2023-06-30)"],
        ),
        (
            ["find", "search co"],
            [
                "Units matching 'search co':",
                "  Search Co [search-co], in the snapshots of 2021-01-01 to 2022-01-01",
            ],
        ),
        (
            ["sources"],
            [
                "annual-2020: Example Group annual report 2020. Example Group, "
                "2020-03-31. https://example.org/annual-2020"
            ],
        ),
        (
            ["sources", "news-2022", "-f", "markdown"],
            ["- news-2022: Example Group breaks up its platform unit. Example Times, 2022."],
        ),
    ],
)
def test_provenance_and_finding_commands(capsys, args, first_lines):
    code, out, err = run(capsys, *args, "--data", EXAMPLE)
    assert (code, err) == (0, "")
    assert out.splitlines()[: len(first_lines)] == first_lines


@pytest.mark.parametrize("command", [["unit", "search-co"], ["find", "co"], ["sources"]])
def test_provenance_commands_print_json(capsys, command):
    code, out, _ = run(capsys, "--data", EXAMPLE, *command, "--format", "json")
    assert code == 0
    assert json.loads(out)


@pytest.mark.parametrize(
    ("extra", "listed", "folded"),
    [
        ([], False, True),
        (["--all"], True, False),
        (["--kind", "updated"], True, False),
        (["--exclude-kind", "updated"], False, False),
    ],
)
def test_record_only_edits_are_folded_unless_asked(
    capsys, extra: list[str], listed: bool, folded: bool
) -> None:
    for command in (["diff", "2020", "2021"], ["log", "2020", "2021"]):
        code, out, _ = run(capsys, *command, "--data", str(EXAMPLE), *extra)
        assert code == 0
        lines = out.splitlines()
        assert any("Updated records (" in x and "not listed" in x for x in lines) == folded
        assert any(x.strip() == "- Search [search]: sources" for x in lines) == listed


def test_exclude_kind_leaves_out_that_kind_only(capsys) -> None:
    _, everything, _ = run(
        capsys, "diff", "2020", "2021", "--data", str(EXAMPLE), "--format", "json"
    )
    _, fewer, _ = run(
        capsys, "diff", "2020", "2021", "--data", str(EXAMPLE), "--format", "json", "-x", "moved"
    )
    kinds = [e["kind"] for e in json.loads(everything)["events"]]
    assert [e["kind"] for e in json.loads(fewer)["events"]] == [k for k in kinds if k != "moved"]
    assert "moved" in kinds


@pytest.mark.parametrize(
    "args",
    [
        ["diff", "2021", "2023"],
        ["diff", "2021", "2023", "--steps", "--format", "markdown", "--kind", "moved"],
        ["log", "--unit", "search"],
        ["lineage", "streaming", "--format", "markdown"],
    ],
)
def test_reports_in_chinese_are_the_library_reports(capsys, args):
    """--lang zh prints what the library writes in Chinese: the same command without it,
    with every line but the data said in Chinese."""
    import orgmodel
    from orgmodel.compare import choose
    from orgmodel.report import chosen_report, history_names, lineage_report, quiet_fold

    code, out, err = run(capsys, *args, "--data", EXAMPLE, "--lang", "zh")
    assert (code, err) == (0, "")
    history = orgmodel.load_history(EXAMPLE)
    names = history_names(history, "zh")
    fmt = "markdown" if "markdown" in args else "text"
    if args[0] == "lineage":
        expected = lineage_report(
            "streaming",
            history.lineage("streaming"),
            names,
            fmt,
            a_date=history.dates[0],
            b_date=history.dates[-1],
            present=history.presence("streaming"),
            lang="zh",
        )
    else:
        dates = [a for a in args[1:3] if a.isdigit()]
        steps = args[0] == "log" or "--steps" in args
        kinds = ["moved"] if "moved" in args else None
        unit = "search" if "search" in args else None
        chosen = choose(history, *dates, steps=steps, unit=unit, kinds=kinds)
        fold = quiet_fold(kinds, hint="--kind updated 或 --all 可列出")
        expected = chosen_report(chosen, names, fmt, fold=fold, lang="zh")
    assert out == expected.rstrip("\n") + "\n"
    english = run(capsys, *args, "--data", EXAMPLE)[1]
    assert out != english and len(out.splitlines()) == len(english.splitlines())


def test_unknown_report_language(capsys):
    code, out, err = run(capsys, "diff", "2021", "2023", "--data", EXAMPLE, "--lang", "fr")
    assert (code, out) == (2, "")
    assert err == "orgmodel: unknown language 'fr'; use one of en, zh\n"


@pytest.mark.parametrize(
    "args",
    [
        ["unit", "search-co", "2021-06"],
        ["unit", "group", "--format", "markdown"],
        ["find", "serch"],
        ["find", "示例"],
        ["sources", "letter-2021"],
    ],
)
def test_records_in_chinese_are_the_library_records(capsys, args):
    """unit, find and sources with --lang zh print what the library writes in Chinese."""
    import orgmodel
    from orgmodel.finding import format_found
    from orgmodel.provenance import format_sources, format_unit_record, source_entries, unit_record

    code, out, err = run(capsys, *args, "--data", EXAMPLE, "--lang", "zh")
    assert (code, err) == (0, "")
    history = orgmodel.load_history(EXAMPLE)
    fmt = "markdown" if "markdown" in args else "text"
    if args[0] == "unit":
        date = args[2] if len(args) > 2 and args[2][0].isdigit() else None
        expected = format_unit_record(unit_record(history, args[1], date), fmt, "zh")
    elif args[0] == "find":
        expected = format_found(history.find(args[1]), args[1], fmt, "zh")
    else:
        expected = format_sources(source_entries(history, args[1]), fmt, "zh")
    assert out == expected
    english = run(capsys, *args, "--data", EXAMPLE)[1]
    assert out != english and len(out.splitlines()) == len(english.splitlines())
