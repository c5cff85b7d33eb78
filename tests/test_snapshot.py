"""The structure checks of a snapshot: one tree, whatever order its units are written in."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from orgmodel.model import Unit
from orgmodel.snapshot import structure_problems

IDS = st.sampled_from(["a", "b", "c", "d", "e", "f"])


@st.composite
def unit_lists(draw: st.DrawFn) -> list[Unit]:
    """Up to six units with ids and parents drawn from a few names: duplicates, missing
    parents, several roots, self-parents and cycles all turn up, and so do plain trees."""
    pairs = draw(st.lists(st.tuples(IDS, st.none() | IDS), min_size=1, max_size=6))
    return [Unit(id=uid, name=uid.upper(), kind="unit", parent=parent) for uid, parent in pairs]


def _is_one_tree(units: list[Unit]) -> bool:
    ids = [u.id for u in units]
    if len(set(ids)) != len(ids):
        return False
    graph = nx.DiGraph()
    graph.add_nodes_from(ids)
    graph.add_edges_from((u.parent, u.id) for u in units if u.parent is not None)
    return graph.number_of_nodes() == len(ids) and nx.is_arborescence(graph)


@settings(max_examples=400, deadline=None)
@given(unit_lists())
def test_no_problem_exactly_when_the_units_are_one_tree(units: list[Unit]) -> None:
    assert (structure_problems(units) == []) == _is_one_tree(units)


@settings(max_examples=200, deadline=None)
@given(unit_lists(), st.randoms(use_true_random=False))
def test_the_order_of_the_units_changes_no_verdict(units: list[Unit], rnd: object) -> None:
    shuffled = list(units)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert (structure_problems(units) == []) == (structure_problems(shuffled) == [])


def test_a_tree_written_children_first_is_accepted() -> None:
    units = [
        Unit(id="leaf", name="Leaf", kind="unit", parent="mid"),
        Unit(id="mid", name="Mid", kind="unit", parent="root"),
        Unit(id="root", name="Root", kind="unit"),
    ]
    assert structure_problems(units) == []


def test_each_problem_is_named_once_at_its_unit() -> None:
    units = [
        Unit(id="g", name="G", kind="unit"),
        Unit(id="a", name="A", kind="unit", parent="b"),
        Unit(id="b", name="B", kind="unit", parent="a"),
        Unit(id="a", name="A2", kind="unit", parent="g"),
        Unit(id="c", name="C", kind="unit", parent="gg"),
        Unit(id="d", name="D", kind="unit", parent="d"),
    ]
    assert [(i, field, uid) for i, field, uid, _ in structure_problems(units)] == [
        (3, "id", "a"),
        (4, "parent", "c"),
        (5, "parent", "d"),
    ]
