"""The page's JSON document against the library's own answers, escaping, and `orgmodel html`.

What the page shows in a browser is tested in test_html_page.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

import orgmodel
from orgmodel.cli import main
from orgmodel.events import CLASSES, KINDS
from orgmodel.html import LABELS, embed_json, page_data, render_html
from orgmodel.model import Source, Unit
from orgmodel.report import KIND_TITLES, Names, describe, history_names
from orgmodel.snapshot import Snapshot

EXAMPLE = Path(__file__).parent / "data" / "example"
DATA = re.compile(r'<script type="application/json" id="orgmodel-data">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def bundled() -> orgmodel.History:
    return orgmodel.load_history()


@pytest.fixture(scope="module")
def doc(bundled: orgmodel.History) -> dict:
    return page_data(bundled)


def tree_ids(doc: dict, index: int) -> list[str]:
    return [doc["records"][r]["id"] for r in doc["snapshots"][index]["units"]]


def test_each_snapshot_is_the_tree_in_force(bundled: orgmodel.History, doc: dict) -> None:
    assert doc["dates"] == [d.isoformat() for d in bundled.dates]
    for index, snapshot in enumerate(bundled.snapshots):
        assert tree_ids(doc, index) == list(snapshot.units)
        for r in doc["snapshots"][index]["units"]:
            record = doc["records"][r]
            unit = snapshot.units[record["id"]]
            assert record["name"] == unit.name
            assert record.get("parent") == unit.parent
            assert record["status"] == unit.status
            assert record.get("sources", []) == list(unit.sources)


def test_each_step_holds_that_steps_events_in_the_reports_words(
    bundled: orgmodel.History, doc: dict
) -> None:
    names = history_names(bundled)
    assert doc["steps"][0]["events"] == []
    for index in range(1, len(bundled.dates)):
        expected = bundled.changes(bundled.dates[index - 1], bundled.dates[index])
        shown = [doc["events"][e] for e in doc["steps"][index]["events"]]
        assert [e["line"] for e in shown] == [describe(e, names) for e in expected]
        assert [e["title"] for e in shown] == [KIND_TITLES[e.kind] for e in expected]
        assert {e["date"] for e in shown} <= {bundled.dates[index].isoformat()}


def test_the_1_6_n_step_marks_its_units(bundled: orgmodel.History, doc: dict) -> None:
    index = bundled.dates.index(dt.date(2023, 3, 28))
    marks = doc["steps"][index]["marks"]
    events = bundled.changes(bundled.dates[index - 1], bundled.dates[index])
    # Every mark is a kind of an event of the step that involves the unit, on a unit in force.
    for uid, kind in marks.items():
        assert uid in bundled.snapshots[index].units
        assert any(e.kind == kind and uid in e.units for e in events)
    spun = {e.unit for e in events if isinstance(e, orgmodel.SpunOff) and not e.left_group}
    assert spun and all(marks[uid] == "spun_off" for uid in spun)
    assert "updated" not in marks.values()


def test_lineage_and_presence_are_the_librarys(bundled: orgmodel.History, doc: dict) -> None:
    for uid in ("aicheng", "ttg", "cainiao"):
        events = [doc["events"][e] for e in doc["lineage"][uid]]
        assert [(e["kind"], e["date"]) for e in events] == [
            (e.kind, e.date.isoformat()) for e in bundled.lineage(uid)
        ]
        assert [doc["dates"][k] for k in doc["presence"][uid]] == [
            d.isoformat() for d in bundled.presence(uid)
        ]


def chinese_names(history: orgmodel.History) -> Names:
    """A unit's Chinese name (else its English one) as the report finds names: in the latest
    snapshot on or before the date that has the unit, else in the first one after it."""

    def name(uid: str, day: dt.date) -> str | None:
        having = [s for s in history.snapshots if uid in s.units]
        if not having:
            return None
        before = [s for s in having if s.date <= day]
        unit = (before[-1] if before else having[0]).units[uid]
        return unit.name_zh or unit.name

    return name


def test_the_chinese_page_says_each_event_in_chinese(bundled: orgmodel.History) -> None:
    zh = page_data(bundled, lang="zh")
    names = chinese_names(bundled)
    for index in range(1, len(bundled.dates)):
        expected = bundled.changes(bundled.dates[index - 1], bundled.dates[index])
        shown = [zh["events"][e] for e in zh["steps"][index]["events"]]
        assert [e["line"] for e in shown] == [describe(e, names, lang="zh") for e in expected]
        assert [e["title"] for e in shown] == [CLASSES[e.kind].title_zh for e in expected]


def test_every_word_of_the_page_in_both_languages() -> None:
    assert all(set(words) == {"en", "zh"} and all(words.values()) for words in LABELS.values())
    zh = page_data(orgmodel.load_history(EXAMPLE), lang="zh")
    assert zh["labels"] == {key: words["zh"] for key, words in LABELS.items()}
    assert zh["kind_titles"] == {kind: CLASSES[kind].title_zh for kind in KINDS}
    assert zh["words"]["confirmed"] == "已证实" and zh["kinds"]["holding"]["word"] == "控股公司"
    group = next(r for r in zh["records"] if r["id"] == "group")
    assert group["label"] == "示例集团"


def hostile_history() -> orgmodel.History:
    nasty = "Evil </script><script>window.pwned=1</script> & \"quotes\" 'single' <b>bold</b>"
    g = Unit(id="g", name="Group", name_zh="集团</script>", kind="holding", sources=("s",))
    # Checked text refuses ESC; a unit built without checks still must not break the page.
    x = Unit.model_construct(
        id="x", name=nasty, kind="company", parent="g", note="line\u2028break \x1b[31m"
    )
    sources = {
        "s": Source(title="<img src=x onerror=alert(1)>", publisher="P&Q", date="2020"),
        "bad": Source(title="Bad link", publisher="P", date="2020", url="javascript:alert(1)"),
    }
    return orgmodel.History(
        [Snapshot(dt.date(2020, 1, 1), [g]), Snapshot(dt.date(2021, 1, 1), [g, x])],
        sources=sources,
        title="A <title> & more",
    )


def test_data_cannot_close_the_script_element() -> None:
    history = hostile_history()
    page = render_html(history)
    found = DATA.findall(page)
    assert len(found) == 1  # no name closed the element early
    assert page.count("<script") == 2  # the data and the page's own script, nothing injected
    assert "<title>A &lt;title&gt; &amp; more</title>" in page
    assert "\u2028" not in found[0]
    doc = json.loads(found[0])
    assert doc == page_data(history)
    assert doc["records"][-1]["name"].startswith("Evil </script>")
    assert doc["records"][-1]["note"] == "line\u2028break \x1b[31m"


def test_only_web_addresses_become_links() -> None:
    sources = page_data(hostile_history())["sources"]
    assert "url" not in sources["bad"]
    assert sources["bad"]["url_text"] == "javascript:alert(1)"


def test_embed_json_round_trips_every_character() -> None:
    text = "".join(chr(c) for c in range(0, 0x3000, 7)) + "<>&\u2028\u2029"
    embedded = embed_json({"t": text})
    assert not set("<>&\u2028\u2029") & set(embedded)
    assert json.loads(embedded) == {"t": text}


def test_unknown_language_is_refused() -> None:
    with pytest.raises(orgmodel.OrgModelError, match="unknown language 'fr'"):
        page_data(orgmodel.load_history(EXAMPLE), lang="fr")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, capsys.readouterr().err


def test_cli_writes_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "page.html"
    code, err = run(capsys, "html", "--data", str(EXAMPLE), "-o", str(target), "--lang", "zh")
    assert code == 0
    assert err == f"wrote {target} (snapshots of 2020-01-01 -> 2023-06-30)\n"
    doc = json.loads(DATA.findall(target.read_text(encoding="utf-8"))[0])
    assert doc["lang"] == "zh" and doc["dates"][-1] == "2023-06-30"


def test_cli_refuses_a_name_that_is_no_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = tmp_path / "notes.txt"
    kept.write_text("mine", encoding="utf-8")
    code, err = run(capsys, "html", "--data", str(EXAMPLE), "-o", str(kept))
    assert code == 2
    assert err.startswith(f"orgmodel: {kept}: a page is written as .html")
    assert err.count("\n") == 1
    assert kept.read_text(encoding="utf-8") == "mine"


def test_each_snapshot_says_its_last_day_in_force(bundled: orgmodel.History, doc: dict) -> None:
    # In force from its date until the day before the next snapshot's: at() agrees on both days.
    for index, shown in enumerate(doc["snapshots"][:-1]):
        last = dt.date.fromisoformat(shown["until"])
        assert bundled.at(last).date == bundled.dates[index]
        assert bundled.at(last + dt.timedelta(days=1)).date == bundled.dates[index + 1]
    assert doc["snapshots"][-1]["until"] is None
