"""History.changes (every step) and History.lineage (one unit's life)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import orgmodel
from orgmodel.errors import DateError, UnknownUnitError
from orgmodel.events import EventError
from orgmodel.model import Unit
from orgmodel.snapshot import Snapshot

EXAMPLE = Path(__file__).parent / "data" / "example"


@pytest.fixture(scope="module")
def example() -> orgmodel.History:
    return orgmodel.load_history(EXAMPLE)


def row(event: Any) -> tuple[str, str, tuple[str, ...]]:
    return (event.date.isoformat(), event.kind, event.units)


@pytest.mark.parametrize(
    ("a", "b", "unit", "kinds", "expected"),
    [
        (
            None,
            None,
            "search-co",
            ["added", "spun_off", "returned", "kind_changed", "removed"],
            [
                ("2021-01-01", "added", ("search-co",)),
                ("2021-01-01", "spun_off", ("search-co", "platform")),
                ("2022-01-01", "returned", ("search-co", "group")),
                ("2022-01-01", "kind_changed", ("search-co",)),
                ("2023-06-30", "removed", ("search-co", "platform")),
                ("2023-06-30", "returned", ("search", "platform", "search-co")),
            ],
        ),
        (
            "2021",
            "2023",
            None,
            ["returned"],
            [
                ("2022-01-01", "returned", ("search-co", "group")),
                ("2023-06-30", "returned", ("mall",)),
                ("2023-06-30", "returned", ("search", "platform", "search-co")),
            ],
        ),
        (
            "2021-06",
            "2022-12-31",
            None,
            ["moved", "plan_changed"],
            [
                ("2022-01-01", "moved", ("lab", "commerce", "platform")),
                ("2022-01-01", "plan_changed", ("media",)),
            ],
        ),
        ("2020", "2020-12-31", None, None, []),
        (
            None,
            None,
            "mall",
            None,
            [
                ("2021-01-01", "removed", ("mall",)),
                ("2023-06-30", "returned", ("mall",)),
            ],
        ),
    ],
)
def test_changes(
    example: orgmodel.History,
    a: str | None,
    b: str | None,
    unit: str | None,
    kinds: list[str] | None,
    expected: list[tuple[str, str, tuple[str, ...]]],
) -> None:
    assert [row(e) for e in example.changes(a, b, unit=unit, kinds=kinds)] == expected


def test_changes_add_up_to_every_step(example: orgmodel.History) -> None:
    events = example.changes()
    assert len(events) == sum(
        len(example.diff(x, y).events)
        for x, y in zip(example.dates, example.dates[1:], strict=False)
    )
    assert [e.date for e in events] == sorted(e.date for e in events)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda h: h.changes(unit="serch-co"), UnknownUnitError, "did you mean 'search-co'"),
        (lambda h: h.lineage("nowhere"), UnknownUnitError, "unit 'nowhere' is in no snapshot"),
        (lambda h: h.changes(kinds=["moved", "fired"]), EventError, "unknown event kind 'fired'"),
        (lambda h: h.changes("2019"), DateError, "before the first snapshot"),
    ],
)
def test_changes_and_lineage_errors(
    example: orgmodel.History, call: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        call(example)


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        (
            "search-co",
            [
                ("2021-01-01", "added", ("search-co",)),
                ("2021-01-01", "split", ("platform", "search-co")),
                ("2021-01-01", "spun_off", ("search-co", "platform")),
                ("2021-01-01", "updated", ("platform",)),
                ("2022-01-01", "returned", ("search-co", "group")),
                ("2022-01-01", "kind_changed", ("search-co",)),
                ("2022-01-01", "updated", ("search-co",)),
                ("2023-06-30", "removed", ("search-co", "platform")),
                ("2023-06-30", "updated", ("platform",)),
            ],
        ),
        (
            "streaming",
            [
                ("2021-01-01", "added", ("streaming",)),
                ("2021-01-01", "removed", ("video", "streaming")),
                ("2021-01-01", "removed", ("music", "streaming")),
                ("2021-01-01", "merged", ("streaming", "video", "music")),
            ],
        ),
        (
            "video",
            [
                ("2021-01-01", "added", ("streaming",)),
                ("2021-01-01", "removed", ("video", "streaming")),
                ("2021-01-01", "removed", ("music", "streaming")),
                ("2021-01-01", "merged", ("streaming", "video", "music")),
            ],
        ),
        (
            "mall",
            [
                ("2021-01-01", "removed", ("mall",)),
                ("2023-06-30", "returned", ("mall",)),
            ],
        ),
        ("shop", []),
    ],
)
def test_lineage_of_the_example(
    example: orgmodel.History, unit: str, expected: list[tuple[str, str, tuple[str, ...]]]
) -> None:
    assert [row(e) for e in example.lineage(unit)] == expected


def _org(year: int, *units: Unit) -> Snapshot:
    return Snapshot(dt.date(year, 1, 1), [Unit(id="g", name="G", kind="holding"), *units])


def _u(uid: str, **more: Any) -> Unit:
    return Unit(id=uid, name=more.pop("name", uid.upper()), kind="unit", parent="g", **more)


def test_lineage_follows_predecessors_back_and_successors_forward_only() -> None:
    h = orgmodel.History(
        [
            _org(2020, _u("a"), _u("b"), _u("other")),
            _org(2021, _u("a", name="A2"), _u("b"), _u("other", name="O2")),
            _org(2022, _u("ab", lineage=("a", "b")), _u("other")),
            _org(
                2023,
                _u("ab", name="AB2", lineage=("a", "b")),
                _u("c", lineage=("ab",)),
                _u("other"),
            ),
            _org(2024, _u("abc", lineage=("ab", "c")), _u("other")),
            _org(2025, _u("abc", name="ABC2", lineage=("ab", "c")), _u("other")),
        ]
    )
    # a's life: its rename, the merger into ab, ab's life from then on (the split of c from
    # ab, but not c's own arrival), the merger into abc and abc's rename; never 'other'.
    assert [row(e) for e in h.lineage("a")] == [
        ("2021-01-01", "renamed", ("a",)),
        ("2022-01-01", "added", ("ab",)),
        ("2022-01-01", "removed", ("a", "ab")),
        ("2022-01-01", "removed", ("b", "ab")),
        ("2022-01-01", "merged", ("ab", "a", "b")),
        ("2023-01-01", "renamed", ("ab",)),
        ("2023-01-01", "split", ("ab", "c")),
        ("2024-01-01", "added", ("abc",)),
        ("2024-01-01", "removed", ("ab", "abc")),
        ("2024-01-01", "removed", ("c", "abc")),
        ("2024-01-01", "merged", ("abc", "ab", "c")),
        ("2025-01-01", "renamed", ("abc",)),
    ]
    # c came from ab (and so from a and b before that); other units stay out.
    assert [row(e) for e in h.lineage("c")] == [
        ("2021-01-01", "renamed", ("a",)),
        ("2022-01-01", "added", ("ab",)),
        ("2022-01-01", "removed", ("a", "ab")),
        ("2022-01-01", "removed", ("b", "ab")),
        ("2022-01-01", "merged", ("ab", "a", "b")),
        ("2023-01-01", "added", ("c",)),
        ("2023-01-01", "renamed", ("ab",)),
        ("2023-01-01", "split", ("ab", "c")),
        ("2024-01-01", "added", ("abc",)),
        ("2024-01-01", "removed", ("ab", "abc")),
        ("2024-01-01", "removed", ("c", "abc")),
        ("2024-01-01", "merged", ("abc", "ab", "c")),
        ("2025-01-01", "renamed", ("abc",)),
    ]


def test_lineages_are_each_units_lineage() -> None:
    from orgmodel.lineage import lineages

    history = orgmodel.load_history()
    every = lineages(history)
    assert set(every) == history.unit_ids()
    assert every == {uid: history.lineage(uid) for uid in sorted(history.unit_ids())}
