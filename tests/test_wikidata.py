"""Wikidata query results (SPARQL 1.1 JSON) read into dated snapshots of a group."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

import orgmodel
from orgmodel.cli import main
from orgmodel.errors import DataError
from orgmodel.importing import import_wikidata
from orgmodel.wikidata import QUERY, read_wikidata

FIXTURE = Path(__file__).parent / "data" / "wikidata" / "subsidiaries.json"
ENTITY = "http://www.wikidata.org/entity/"

#: What the fixture must give, step by step: (date, kind, units involved).
EVENTS = sorted(
    [
        ("2015-03-01", "added", ("q101",)),
        ("2016-01-01", "added", ("q106",)),
        ("2016-01-01", "added", ("q104",)),
        ("2017-05-01", "removed", ("q108",)),
        ("2018-01-01", "added", ("q105",)),
        ("2018-01-01", "removed", ("q105", "q106")),
        ("2018-01-01", "removed", ("q104", "q105")),
        ("2018-01-01", "merged", ("q104", "q105", "q106")),
        ("2019-06-01", "moved", ("q100", "q101", "q102")),
        ("2020-07-01", "removed", ("q103",)),
        ("2021-04-01", "spun_off", ("q100", "q101")),
    ]
)


def events(history: orgmodel.History) -> list[tuple[str, str, tuple[str, ...]]]:
    return sorted(
        (e.date.isoformat(), e.kind, tuple(sorted(e.units)))  # type: ignore[attr-defined]
        for e in history.changes()
    )


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    out, err = capsys.readouterr()
    return code, out, err


def link(
    unit: str, parent: str, start: str | None = None, end: str | None = None
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "unit": {"type": "uri", "value": ENTITY + unit},
        "parent": {"type": "uri", "value": ENTITY + parent},
    }
    for name, value in (("start", start), ("end", end)):
        if value is not None:
            row[name] = {"type": "literal", "value": f"{value}T00:00:00Z"}
    return row


def result(*rows: dict[str, Any]) -> dict[str, Any]:
    return {
        "head": {"vars": ["unit", "parent", "start", "end"]},
        "results": {"bindings": list(rows)},
    }


def test_the_fixture_imports_validates_and_gives_its_events(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    code, _, err = run(
        capsys, "import", "wikidata", str(FIXTURE), "-o", str(out), "--retrieved", "2026-01-01"
    )
    assert code == 0, err
    assert err.splitlines() == [
        "Q107: its link to Q100 has no start time (or an unknown one) in Wikidata; it is shown "
        "from the first date, 2014-01-01, its place unconfirmed",
        f"wrote {out}: 8 snapshots (2014-01-01 to 2021-04-01), 48 unit records",
    ]
    assert run(capsys, "validate", str(out))[0] == 0
    history = orgmodel.load_history(out)
    undated = history.at("2014-01-01").units["q107"]
    assert undated.field_confidence == {"parent": "unconfirmed"}
    assert events(history) == EVENTS
    removed = history.at("2020-07-01").removed["q103"]
    assert (removed.how, removed.sources) == (None, ("wikidata-Q103",))
    steps = history.changes(history.dates[0], history.dates[-1])
    (gone,) = [e for e in steps if e.kind == "removed" and e.unit == "q103"]
    assert (gone.how, gone.note) == ("unrecorded", removed.note)  # not a sale: it is not known
    assert history.at("2017-05-01").removed["q108"].how == "dissolved"
    media = history.at("2018-01-01").units["q105"]
    assert (media.name, media.name_zh, media.lineage) == (
        "Example Media",
        "示例传媒",
        ("q104", "q106"),
    )
    assert media.sources == ("wikidata-Q105",)
    source = history.sources["wikidata-Q105"]
    assert (source.publisher, source.date, source.url) == (
        "Wikidata",
        "2026-01-01",
        "https://www.wikidata.org/wiki/Q105",
    )
    # A link without dates holds from the first date; one stated both ways counts once.
    assert [d for d in history.dates if "q107" in history.at(d)] == list(history.dates)
    assert "q103" in history.at("2020-06-30") and "q103" not in history.at("2020-07-01")


def test_the_query_asks_for_what_the_reader_reads() -> None:
    for prop in ("P749", "P355", "P580", "P582", "P1365", "P1366", "P576", "P414"):
        assert prop in QUERY
    for name in ("?unit", "?parent", "?unitLabelZh", "?start", "?end", "?replaces", "?replacedBy"):
        assert name in QUERY
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert QUERY.strip() in readme


def test_two_parents_at_once_take_the_later_link_and_say_so() -> None:
    done = read_wikidata(
        result(
            link("Q2", "Q1", "2020-01-01"),
            link("Q3", "Q1", "2020-01-01"),
            link("Q4", "Q2", "2020-01-01"),
            link("Q4", "Q3", "2021-01-01"),
        ),
        retrieved="2024-01-01",
    )
    assert [(s.date, {u.id: u.parent for u in s.units}["q4"]) for s in done.snapshots] == [
        (dt.date(2020, 1, 1), "q2"),
        (dt.date(2021, 1, 1), "q3"),
    ]
    assert done.notes == [
        "Q4 has two parents at once (Q2, Q3) on 2021-01-01; it is put under the one "
        "whose link started last"
    ]


def test_a_unit_whose_parent_left_is_left_out_and_a_cycle_through_the_root_is_cut() -> None:
    done = read_wikidata(
        result(
            link("Q2", "Q1", "2020-01-01", "2021-01-01"),
            link("Q3", "Q2", "2020-01-01"),
            link("Q1", "Q3", "2019-01-01"),
        ),
        root="q1",
        retrieved="2024-01-01",
    )
    assert [(s.date.isoformat(), [u.id for u in s.units]) for s in done.snapshots] == [
        ("2019-01-01", ["q1"]),
        ("2020-01-01", ["q1", "q2", "q3"]),
        ("2021-01-01", ["q1"]),
    ]
    assert done.notes == [
        "Q3 is left out where its parent is not in the group (first on 2021-01-01)"
    ]


def test_unknown_values_and_day_zero_dates() -> None:
    rows = [link("Q2", "Q1", "2020-01-01"), link("Q3", "Q1")]
    rows[1]["start"] = {"type": "uri", "value": "http://www.wikidata.org/.well-known/genid/abc"}
    rows[1]["end"] = {"type": "literal", "value": "2022-00-00T00:00:00Z"}
    done = read_wikidata(result(*rows), retrieved="2024-01-01")
    assert [(s.date.isoformat(), [u.id for u in s.units]) for s in done.snapshots] == [
        ("2020-01-01", ["q1", "q2", "q3"]),
        ("2022-01-01", ["q1", "q2"]),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "has no rows: the query found no subsidiaries"),
        ({"vars": []}, "is not a SPARQL query result (no 'results'); in the Wikidata Query"),
        ({"results": {}}, "no rows; run the query that `orgmodel import wikidata` documents"),
        (result(), "has no rows: the query found no subsidiaries"),
        (
            {"head": {"vars": ["item"]}, "results": {"bindings": []}},
            "has no variable ?parent (its variables are ?item); run the query",
        ),
        (
            result(link("Q2", "Q1", "2020-01-01"), link("Q4", "Q3", "2020-01-01")),
            "cannot tell which item is the group: Q1, Q3; give --root QID",
        ),
        (result(link("Q2", "Q1")), "no link has a start or end time, so no snapshot can be dated"),
        (
            {"results": {"bindings": [{"unit": {"type": "literal", "value": "x"}}]}},
            "row 1: ?unit is not a Wikidata item; fix the query",
        ),
    ],
)
def test_results_that_cannot_be_imported(data: Any, message: str, tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    with pytest.raises(DataError) as caught:
        read_wikidata(data, path=path, retrieved="2024-01-01")
    assert str(caught.value).startswith(f"{path}: {message}")


def test_a_file_that_is_not_json_or_has_a_bom(tmp_path: Path, capsys) -> None:
    path = tmp_path / "r.json"
    path.write_text("{\n  nope", encoding="utf-8")
    code, _, err = run(capsys, "import", "wikidata", str(path), "-o", str(tmp_path / "out"))
    assert code == 2
    assert err.startswith(f"orgmodel: {path}:2: not valid JSON")
    path.write_text("\ufeff" + json.dumps(result(link("Q2", "Q1", "2020-01-01"))), encoding="utf-8")
    code, _, err = run(capsys, "import", "wikidata", str(path), "-o", str(tmp_path / "out"))
    assert code == 0, err
    assert [s.date for s in orgmodel.load_history(tmp_path / "out")] == [dt.date(2020, 1, 1)]


WIKIDATA = FIXTURE.parent


@pytest.mark.parametrize(
    "name", ["subsidiaries-simple.json", "subsidiaries.csv", "subsidiaries.tsv"]
)
def test_every_form_the_query_service_downloads_reads_alike(tmp_path: Path, name: str) -> None:
    """ "JSON file" (plain values), "CSV file" and "TSV file (verbose)" hold what "JSON file
    (verbose)" holds, the fixture."""
    for source, out in ((FIXTURE, "verbose"), (WIKIDATA / name, "other")):
        import_wikidata(source, tmp_path / out, retrieved="2026-01-01")
    verbose, other = (orgmodel.load_history(tmp_path / out) for out in ("verbose", "other"))
    assert list(other) == list(verbose)
    assert events(other) == EVENTS


def test_a_query_of_ones_own(tmp_path: Path, capsys) -> None:
    """Other variable names (?item, ?parentOrganization), labels from the label service (in
    Simplified Chinese only; the item's id where it has none), rows repeated by the query's
    joins, a parent that is Wikidata's "unknown value", and dates known to the year or the
    month only."""
    out = tmp_path / "out"
    source = WIKIDATA / "own-query.json"
    code, _, err = run(capsys, "import", "wikidata", str(source), "-o", str(out))
    assert code == 0, err
    assert err.splitlines()[:3] == [
        "Q201: Wikidata gives the start of its link to Q200 to the year only (2016); the change "
        "is shown on 2016-01-01, the first day of it",
        "Q202: Wikidata gives the end of its link to Q200 to the month only (2020-01); the change "
        "is shown on 2020-01-01, the first day of it",
        "Q204: Wikidata gives a parent organization of it as 'unknown value'; that statement "
        "is left out",
    ]
    history = orgmodel.load_history(out)
    last = history.at("2020-01-01")
    assert [(u.id, u.name, u.name_zh, u.parent) for u in last] == [
        ("q200", "Example Group", None, None),
        ("q204", "Example Labs", None, "q200"),
        ("q201", "Example Pay", None, "q200"),
        ("q203", "Q203", None, "q201"),
    ]
    assert history.at("2019-01-01").units["q202"].name_zh == "示例物流"
    assert events(history) == [
        ("2017-06-01", "added", ("q202",)),
        ("2018-01-01", "added", ("q203",)),
        ("2019-01-01", "added", ("q204",)),
        ("2020-01-01", "removed", ("q202",)),
    ]


@pytest.mark.parametrize("order", [["zh-hant", "zh-hans", "en"], ["en", "zh-hans", "zh-hant"]])
def test_of_several_chinese_labels_the_simplified_is_the_name(order: list[str]) -> None:
    text = {"en": "Example Pay", "zh-hans": "示例支付", "zh-hant": "示例支付(繁)"}
    rows = [link("Q2", "Q1", "2020-01-01") for _ in order]
    for row, lang in zip(rows, order, strict=True):
        row["unitLabel"] = {"type": "literal", "xml:lang": lang, "value": text[lang]}
    (snapshot,) = read_wikidata(result(*rows), retrieved="2024-01-01").snapshots
    unit = snapshot.units[1]
    assert (unit.name, unit.name_zh) == ("Example Pay", "示例支付")


@pytest.mark.parametrize("command", ["wikidata", "gleif"])
@pytest.mark.parametrize("day", ["yesterday", "2024-13-01"])
def test_a_retrieved_day_that_is_not_a_date(tmp_path: Path, capsys, command: str, day: str) -> None:
    source = FIXTURE if command == "wikidata" else FIXTURE.parent.parent / "gleif" / "repex.csv"
    out = tmp_path / "out"
    code, _, err = run(capsys, "import", command, str(source), "-o", str(out), "--retrieved", day)
    assert (code, err) == (
        2,
        f"orgmodel: --retrieved '{day}' is not a date; write the day the data was fetched as "
        "YYYY-MM-DD\n",
    )
    assert not out.exists()


@pytest.mark.parametrize(
    "root",
    ["Q1", "q1", "wd:Q1", "http://www.wikidata.org/entity/Q1", "https://www.wikidata.org/wiki/Q1"],
)
def test_the_root_may_be_given_as_the_item_is_written(root: str) -> None:
    rows = [link("Q2", "Q1", "2020-01-01"), link("Q1", "Q0", "2020-01-01")]
    done = read_wikidata(result(*rows), root=root, retrieved="2024-01-01")
    assert [u.id for u in done.snapshots[0].units] == ["q1", "q2"]


def test_two_parents_at_once_never_cut_a_unit_off_the_group() -> None:
    """Q3 is a subsidiary of the group's Q1 and, later, of Q4, which is its own subsidiary:
    taking the later link would make a loop and drop both from the group."""
    rows = [
        link("Q2", "Q1", "2001-05-01"),
        link("Q3", "Q1", "2001-05-01"),
        link("Q3", "Q4", "2002-05-01"),
        link("Q4", "Q3", "2002-05-01"),
        link("Q5", "Q3", "2001-05-01"),
        link("Q5", "Q2", "2001-05-01"),
    ]
    done = read_wikidata(result(*rows), root="Q1", retrieved="2024-01-01")
    assert [(s.date.isoformat(), [(u.id, u.parent) for u in s.units]) for s in done.snapshots] == [
        ("2001-05-01", [("q1", None), ("q2", "q1"), ("q5", "q2"), ("q3", "q1")]),
        ("2002-05-01", [("q1", None), ("q2", "q1"), ("q5", "q2"), ("q3", "q1"), ("q4", "q3")]),
    ]
    assert done.notes == [
        "Q3 has two parents at once (Q1, Q4) on 2002-05-01; it is put under Q1, as Q4, whose link "
        "started later, would cut it off from the group",
        "Q5 has two parents at once (Q2, Q3) on 2001-05-01; it is put under Q2, the first by id, "
        "as both links start on 2001-05-01",
    ]
