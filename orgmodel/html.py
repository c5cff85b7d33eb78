"""An interactive history in one HTML file: pick a date, open a branch, read a unit's record.

The page is one self-contained file (its script and style ship in ``orgmodel/assets`` and are
written into it), so it opens from disk with no network. Everything it shows comes from one
JSON document that :func:`page_data` computes from a :class:`~orgmodel.history.History`: the
snapshots' trees, each step's events with the library's own words for them (each
event class's title, :func:`orgmodel.report.describe` in the page's language), the units each event
marks in the tree, every unit's lineage and the snapshots that hold it, the sources, and every
word of the page's own in the language asked for. The script draws that document and decides
nothing about the organisation.

Data reaches the page as JSON inside a ``<script type="application/json">`` element, with
``<``, ``>`` and ``&`` written as ``\\u`` escapes so that no name can close the element, and the
script puts it on the page as text nodes, never as markup.

Examples
--------
>>> import datetime as dt
>>> from orgmodel.history import History
>>> from orgmodel.model import Unit
>>> from orgmodel.snapshot import Snapshot
>>> g = Unit(id="g", name="Group", kind="holding")
>>> h = History([Snapshot(dt.date(2020, 1, 1), [g]),
...              Snapshot(dt.date(2021, 1, 1), [g, Unit(id="x", name="<X & Y>", kind="company",
...                                                    parent="g")])])
>>> doc = page_data(h)
>>> doc["dates"], [e["title"] for e in doc["events"]]
(['2020-01-01', '2021-01-01'], ['Added'])
>>> page = render_html(h)
>>> "<X & Y>" in page, "\\\\u003cX \\\\u0026 Y\\\\u003e" in page
(False, True)
"""

from __future__ import annotations

import bisect
import datetime as dt
import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from orgmodel.events import CLASSES, KINDS
from orgmodel.model import (
    CONFIDENCE_WORDS,
    CONFIDENCE_WORDS_ZH,
    LANGS,
    PLAN_WORDS,
    PLAN_WORDS_ZH,
    STATUS_WORDS,
    STATUS_WORDS_ZH,
    Lang,
    Unit,
)
from orgmodel.report import Names, check_lang, describe

if TYPE_CHECKING:
    from orgmodel.events import Event
    from orgmodel.history import History

__all__ = ["LANGS", "Lang", "page_data", "render_html"]


#: Version of the page's JSON document; its script checks it.
DOCUMENT_VERSION: Final = 1

#: The words of the page itself, by language.
LABELS: Final[dict[str, dict[Lang, str]]] = {
    "date": {"en": "Date", "zh": "日期"},
    "previous": {"en": "Previous snapshot", "zh": "上一个快照"},
    "next": {"en": "Next snapshot", "zh": "下一个快照"},
    "in_force_until": {"en": "in force through", "zh": "有效至"},
    "latest": {"en": "the latest snapshot", "zh": "最新快照"},
    "units": {"en": "units", "zh": "个单位"},
    "tree": {"en": "Structure", "zh": "组织结构"},
    "flow": {"en": "Flows", "zh": "流变图"},
    "search": {"en": "Search names or ids", "zh": "搜索名称或编号"},
    "no_match": {"en": "No unit matches.", "zh": "没有匹配的单位。"},
    "not_in_force": {"en": "not in force on this date", "zh": "该日期不存在"},
    "changes": {"en": "Changes since", "zh": "变化，自"},
    "first_snapshot": {
        "en": "The first snapshot: nothing before it.",
        "zh": "第一个快照，此前无记录。",
    },
    "no_changes": {"en": "No changes.", "zh": "没有变化。"},
    "change": {"en": "change", "zh": "项变化"},
    "changes_n": {"en": "changes", "zh": "项变化"},
    "gone": {"en": "no longer in the tree", "zh": "已不在结构中"},
    "expand_all": {"en": "Expand all", "zh": "全部展开"},
    "collapse_all": {"en": "Collapse all", "zh": "全部折叠"},
    "zoom_in": {"en": "Zoom in", "zh": "放大"},
    "zoom_out": {"en": "Zoom out", "zh": "缩小"},
    "zoom_fit": {"en": "Fit", "zh": "适合窗口"},
    "expand": {"en": "Expand", "zh": "展开"},
    "collapse": {"en": "Collapse", "zh": "折叠"},
    "below": {"en": "changed below", "zh": "处下级有变化"},
    "close": {"en": "Close", "zh": "关闭"},
    "record": {"en": "Unit record", "zh": "单位档案"},
    "record_on": {"en": "as of", "zh": "截至"},
    "id": {"en": "Id", "zh": "编号"},
    "name": {"en": "Name", "zh": "英文名称"},
    "name_zh": {"en": "Chinese name", "zh": "中文名称"},
    "kind": {"en": "Kind", "zh": "类型"},
    "status": {"en": "Status", "zh": "状态"},
    "plan": {"en": "Plan", "zh": "计划"},
    "parents": {"en": "Parents", "zh": "上级"},
    "leaders": {"en": "Leaders", "zh": "负责人"},
    "confidence": {"en": "Confidence", "zh": "可信度"},
    "field_confidence": {"en": "Confidence of single facts", "zh": "单项可信度"},
    "note": {"en": "Note", "zh": "备注"},
    "sources": {"en": "Sources", "zh": "来源"},
    "lineage": {"en": "Lineage", "zh": "沿革"},
    "presence": {"en": "In the snapshots", "zh": "所在快照"},
    "predecessors": {"en": "Formed from", "zh": "由以下单位组成"},
    "none": {"en": "none", "zh": "无"},
    "root": {"en": "(the root)", "zh": "（顶层）"},
    "legend": {"en": "Legend", "zh": "图例"},
    "legend_kinds": {"en": "Kinds", "zh": "类型"},
    "legend_standing": {"en": "Standing", "zh": "地位"},
    "legend_marks": {"en": "Boxes marked", "zh": "图中标记"},
    "legend_confidence": {"en": "Confidence", "zh": "可信度"},
    "in_line": {"en": "in line (solid)", "zh": "体系内（实线）"},
    "standalone": {"en": "stand-alone company (dashed)", "zh": "独立运营公司（虚线）"},
    "listed": {"en": "listed (thick border)", "zh": "已上市（粗边框）"},
    "outside": {"en": "outside the group (dotted)", "zh": "集团外（点线）"},
    "plan_marker": {"en": "announced plan (▲)", "zh": "已宣布的计划（▲）"},
    "unconfirmed_marker": {"en": "unconfirmed (?)", "zh": "未证实（?）"},
    "single_marker": {"en": "single source (¹)", "zh": "单一来源（¹）"},
    "other_units": {"en": "{count} other units", "zh": "其他 {count} 个单位"},
    "level": {"en": "Level", "zh": "层级"},
    "flow_note": {
        "en": "Each column is a snapshot; each block a unit at this level below the top, "
        "sized by the units it holds; ribbons follow those units to the next snapshot.",
        "zh": "每列是一个快照；每个色块是该层级的一个单位，大小为其所含单位数；"
        "色带表示这些单位到下一个快照的去向。",
    },
    "flow_missing": {
        "en": "The flow view is not available for this history.",
        "zh": "此历史没有流变图。",
    },
    "snapshots_used": {"en": "Snapshots", "zh": "快照"},
    "language": {"en": "English", "zh": "中文"},
}

_SCHEMES: Final = ("http://", "https://")


class _Interned(NamedTuple):
    """Every distinct unit record of a history once, and each snapshot as indices into them."""

    records: list[dict[str, Any]]
    trees: list[list[int]]


def page_data(history: History, *, lang: str = "en") -> dict[str, Any]:
    """The JSON document the page draws: everything it shows, computed here.

    Keys: ``version``, ``lang``, ``title``, ``labels`` (the page's words), ``kinds`` (colour
    and description of each kind), ``words`` (statuses, plans and confidences in ``lang``),
    ``dates``, ``snapshots`` (date, title, summary, its last day in force, its units as indices
    into ``records``), ``records`` (each distinct unit record once, with the name to show),
    ``sources``, ``events`` (kind, title, one-line description, dates, units), ``steps`` (for
    each snapshot the indices of its step's events and the kind each unit of its tree is marked
    with), ``lineage`` and ``presence`` (per unit id: event indices, snapshot indices) and
    ``search`` (per unit id, every name it had).
    """
    language = check_lang(lang)
    interned = _intern(history, language)
    names = _names(history, language)
    all_events = history.changes()
    events, index_of = _event_table(all_events, names, language)
    return {
        "version": DOCUMENT_VERSION,
        "lang": language,
        "title": history.title or "",
        "labels": {key: words[language] for key, words in LABELS.items()},
        "kinds": _kinds(history, language),
        "kind_titles": {kind: _title(kind, language) for kind in KINDS},
        "mark_order": list(KINDS),
        "mark_colours": _mark_colours(),
        "words": _words(history, language),
        "dates": [day.isoformat() for day in history.dates],
        "snapshots": _snapshots(history, interned.trees),
        "records": interned.records,
        "sources": _sources(history),
        "events": events,
        "steps": _steps(history, all_events, index_of),
        "lineage": _lineages(history, index_of, events, names, language),
        "presence": _presence(history),
        "search": _search(history),
        "flows": _flows(history, language),
    }


def render_html(history: History, *, lang: str = "en", title: str | None = None) -> str:
    """The whole page as a string: markup, style, script and :func:`page_data`'s document."""
    doc = page_data(history, lang=lang)
    heading = title or doc["title"] or "orgmodel"
    template = _asset("page.html")
    parts = {
        "{{lang}}": "zh-Hans" if doc["lang"] == "zh" else "en",
        "{{title}}": html.escape(heading, quote=True),
        "{{style}}": _asset("page.css"),
        "{{data}}": embed_json(doc),
        "{{script}}": _asset("page.js"),
    }
    # One pass, so that nothing inserted (a name reading "{{script}}", say) is replaced again.
    return re.sub(r"\{\{(\w+)\}\}", lambda m: parts["{{" + m.group(1) + "}}"], template)


def embed_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` is left to
    close it or start a comment, and the line separators JavaScript once read as line ends are
    escaped. Control characters are escaped by JSON itself.

    >>> embed_json({"name": "</script><b>&"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def _asset(name: str) -> str:
    return resources.files("orgmodel.assets").joinpath(name).read_text(encoding="utf-8")


def _label(unit: Unit, lang: Lang) -> str:
    if lang == "zh" and unit.name_zh:
        return unit.name_zh
    return unit.name


def _intern(history: History, lang: Lang) -> _Interned:
    # Unchanged units share one record object across snapshots (History shares them), so
    # keying by identity writes each distinct record once. The history holds every record
    # for as long as this runs, so no id is reused.
    records: list[dict[str, Any]] = []
    by_object: dict[int, int] = {}
    trees: list[list[int]] = []
    for snapshot in history.snapshots:
        tree: list[int] = []
        for unit in snapshot.units.values():
            index = by_object.get(id(unit))
            if index is None:
                index = by_object[id(unit)] = len(records)
                records.append(_record(unit, lang))
            tree.append(index)
        trees.append(tree)
    return _Interned(records, trees)


def _record(unit: Unit, lang: Lang) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": unit.id,
        "label": _label(unit, lang),
        "name": unit.name,
        "name_zh": unit.name_zh,
        "kind": unit.kind,
        "parent": unit.parent,
        "status": unit.status,
        "standing": unit.standing,
        "plan": unit.plan,
        "confidence": unit.confidence,
        "field_confidence": dict(unit.field_confidence),
        "leaders": [
            {
                "name": leader.name,
                "name_zh": leader.name_zh,
                "role": leader.role,
                "sources": list(leader.sources),
                "confidence": leader.confidence,
            }
            for leader in unit.leaders
        ],
        "lineage": list(unit.lineage),
        "sources": list(unit.sources),
        "note": unit.note,
    }
    # Leave out what is empty: a history of thousands of units stays a few MB.
    return {key: value for key, value in record.items() if value not in (None, [], {})}


def _snapshots(history: History, trees: Sequence[list[int]]) -> list[dict[str, Any]]:
    out = []
    for index, snapshot in enumerate(history.snapshots):
        # The last day in force: a snapshot holds until the day before the next one's date.
        until = None
        if index + 1 < len(history.dates):
            until = (history.dates[index + 1] - dt.timedelta(days=1)).isoformat()
        out.append(
            {
                "date": snapshot.date.isoformat(),
                "title": snapshot.title,
                "summary": snapshot.summary,
                "until": until,
                "sources": list(snapshot.sources),
                "units": trees[index],
            }
        )
    return out


def _names(history: History, lang: Lang) -> Names:
    """A unit's name to show on a date (see :func:`orgmodel.report.history_names`), in
    ``lang`` where the record has that name."""
    timeline: dict[str, tuple[list[dt.date], list[str]]] = {}
    for snapshot in history.snapshots:
        for unit in snapshot.units.values():
            days, labels = timeline.setdefault(unit.id, ([], []))
            days.append(snapshot.date)
            labels.append(_label(unit, lang))

    def name(unit_id: str, date: dt.date) -> str | None:
        found = timeline.get(unit_id)
        if found is None:
            return None
        days, labels = found
        return labels[max(bisect.bisect_right(days, date) - 1, 0)]

    return name


def _title(kind: str, lang: Lang) -> str:
    """The event kind's title, as its class gives it (the report's headings in English)."""
    event_class = CLASSES[kind]
    return event_class.title_zh if lang == "zh" else event_class.title


def _event_json(event: Event, names: Names, lang: Lang) -> dict[str, Any]:
    return {
        "kind": event.kind,
        "title": _title(event.kind, lang),
        "line": describe(event, names, lang=lang),
        "date": event.date.isoformat(),
        "since": event.since.isoformat(),
        "units": list(event.units),
        "sources": list(event.sources),
    }


def _event_table(
    events: Iterable[Event], names: Names, lang: Lang
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    table: list[dict[str, Any]] = []
    index_of: dict[str, int] = {}
    for event in events:
        key = event.model_dump_json()
        if key not in index_of:
            index_of[key] = len(table)
            table.append(_event_json(event, names, lang))
    return table, index_of


def _steps(
    history: History, events: Sequence[Event], index_of: Mapping[str, int]
) -> list[dict[str, Any]]:
    """Each snapshot's step: its events, and the event kind each unit of its tree is marked
    with, as the change chart marks its boxes (:func:`orgmodel.changeview.change_view`)."""
    from orgmodel.changeview import change_view
    from orgmodel.drawing.orgchart import MARK_STYLE

    by_date: dict[dt.date, list[Event]] = {}
    for event in events:
        by_date.setdefault(event.date, []).append(event)
    steps = []
    for index, snapshot in enumerate(history.snapshots):
        step = by_date.get(snapshot.date, []) if index else []
        marks: dict[str, str] = {}
        if step:
            view = change_view(history.snapshots[index - 1], snapshot, step)
            marks = {
                uid: MARK_STYLE[box.change][0]
                for uid, box in view.boxes.items()
                if box.side != "before" and box.change in MARK_STYLE
            }
        steps.append(
            {
                "since": history.dates[index - 1].isoformat() if index else None,
                "events": [index_of[e.model_dump_json()] for e in step],
                "marks": marks,
            }
        )
    return steps


def _lineages(
    history: History,
    index_of: dict[str, int],
    table: list[dict[str, Any]],
    names: Names,
    lang: Lang,
) -> dict[str, list[int]]:
    from orgmodel.lineage import lineages

    out: dict[str, list[int]] = {}
    for uid, events in lineages(history).items():
        indices = []
        for event in events:
            key = event.model_dump_json()
            if key not in index_of:
                index_of[key] = len(table)
                table.append(_event_json(event, names, lang))
            indices.append(index_of[key])
        out[uid] = indices
    return out


#: The levels of the hierarchy the flow view offers, from the units under the top down.
FLOW_LEVELS: Final = 3


def _flows(history: History, lang: Lang) -> dict[str, Any] | None:
    """The flow view's blocks and ribbons (:func:`orgmodel.flows.flows`) over every snapshot,
    for each level down to :data:`FLOW_LEVELS`; None for a history with nothing below its top."""
    from orgmodel.flows import flows

    deepest = max(s.depth(uid) for s in history.snapshots for uid in s.units)
    levels = []
    for level in range(1, min(FLOW_LEVELS, deepest) + 1):
        made = flows(history, dates=list(history.dates), level=level)
        columns = [
            {
                "date": column.date.isoformat(),
                "index": history.index(column.date),
                "blocks": [
                    {
                        "unit": block.unit,
                        "label": block.name_zh if lang == "zh" and block.name_zh else block.name,
                        "kind": block.kind,
                        "size": block.size,
                    }
                    for block in column.blocks
                ],
            }
            for column in made.columns
        ]
        ribbons = [[r.column, r.source, r.target, r.size] for r in made.ribbons]
        levels.append({"level": level, "columns": columns, "ribbons": ribbons})
    return {"levels": levels} if levels else None


def _presence(history: History) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for index, snapshot in enumerate(history.snapshots):
        for uid in snapshot.units:
            out.setdefault(uid, []).append(index)
    return out


def _search(history: History) -> dict[str, list[list[str]]]:
    """Per unit id, what :meth:`History.find` matches against, in the order it tries them: the
    id, then its English names and its Chinese names, latest first, each as (how, the text
    folded as find folds it). The page ranks hits as find does: exact ones first, then by how
    they matched, then by id."""
    english: dict[str, dict[str, None]] = {}
    chinese: dict[str, dict[str, None]] = {}
    for snapshot in history.snapshots:
        for unit in snapshot.units.values():
            english.setdefault(unit.id, {})[unit.name] = None
            names = chinese.setdefault(unit.id, {})
            if unit.name_zh:
                names[unit.name_zh] = None
    out: dict[str, list[list[str]]] = {}
    for uid in sorted(english):
        keys = [["id", uid]]
        keys += [["name", name] for name in reversed(english[uid])]
        keys += [["name_zh", name] for name in reversed(chinese[uid])]
        out[uid] = [[how, _fold(text)] for how, text in keys]
    return out


def _fold(text: str) -> str:
    # As orgmodel.finding folds names: case and runs of spaces do not count.
    return " ".join(text.casefold().split())


def _kinds(history: History, lang: Lang) -> dict[str, dict[str, str]]:
    """Each kind's colour (as in the org chart), its word in ``lang`` and its description."""
    from orgmodel.drawing._style import kind_colours
    from orgmodel.drawing._words import kind_word

    colours = kind_colours(history.kind_order, ())
    described = history.kinds or {}
    return {
        kind: {
            "colour": colour,
            "word": kind_word(kind, lang),
            "description": described.get(kind, ""),
        }
        for kind, colour in colours.items()
    }


def _mark_colours() -> dict[str, str]:
    # The change chart's colours, so that a change looks the same on the page and on paper.
    from orgmodel.drawing.orgchart import CHANGE_STYLE

    return {kind: CHANGE_STYLE[kind][0] for kind in KINDS if kind in CHANGE_STYLE}


def _words(history: History, lang: Lang) -> dict[str, str]:
    """The statuses, plans and confidences of the history, in ``lang``."""
    statuses = STATUS_WORDS_ZH if lang == "zh" else STATUS_WORDS
    plans = PLAN_WORDS_ZH if lang == "zh" else PLAN_WORDS
    words: dict[str, str] = {}
    for snapshot in history.snapshots:
        for unit in snapshot.units.values():
            words[unit.status] = statuses[unit.status]
            if unit.plan:
                words[unit.plan] = plans[unit.plan]
    for confidence, english in CONFIDENCE_WORDS.items():
        words[confidence] = CONFIDENCE_WORDS_ZH[confidence] if lang == "zh" else english
    return words


def _sources(history: History) -> dict[str, dict[str, Any]]:
    out = {}
    for key, source in history.sources.items():
        entry = source.model_dump(exclude_none=True)
        url = entry.get("url")
        # Only web links become links: a javascript: or data: address in a file is text.
        if url is not None and not str(url).lower().startswith(_SCHEMES):
            entry["url_text"] = entry.pop("url")
        out[key] = entry
    return out
