"""The quick validator: the models' own validation, with text checked inside pydantic-core."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from orgmodel.model import Bibliography, SnapshotFile, Unit, quick_validator
from orgmodel.reading import bundled_path

# Every character class the text checks treat apart, and some that they let through.
CHARS = st.sampled_from(
    ["a", " ", "\t", "\n", "\r", "\x00", "\x1f", "\x7f", "\x85", "\x9f", "\xa0", "\u202a",
     "\u202e", "\u202f", "\u2066", "\u2069", "\u206a", "中", "\U0001f600"]
)  # fmt: skip
TEXT = st.text(CHARS, max_size=6)


def _outcome(validate: Any, data: Any) -> tuple[str, Any]:
    try:
        value = validate(data)
    except ValidationError:
        return "refused", None
    return "accepted", (value, value.model_fields_set)


def _same(shape: Any, data: Any) -> None:
    quick = _outcome(quick_validator(shape).validate_python, data)
    assert quick == _outcome(shape.model_validate, data)
    if quick[0] == "accepted":
        assert type(quick[1][0]) is shape


@settings(max_examples=200, deadline=None)
@given(name=TEXT, note=TEXT, role=TEXT, status=st.sampled_from(["active", "ipo_planned", "x"]))
def test_quick_accepts_exactly_what_the_unit_accepts(
    name: str, note: str, role: str, status: str
) -> None:
    data = {"id": "u", "name": name, "kind": "k", "status": status, "note": note,
            "leaders": [{"name": "Li", "role": role}]}  # fmt: skip
    _same(Unit, data)


@settings(max_examples=100, deadline=None)
@given(title=TEXT, summary=TEXT, date=st.sampled_from(["2024-01-01", "2024-01", "2024-02-30"]))
def test_quick_accepts_exactly_what_a_snapshot_file_accepts(
    title: str, summary: str, date: str
) -> None:
    units = [{"id": "g", "name": "G", "kind": "holding"}]
    _same(SnapshotFile, {"date": date, "title": title, "summary": summary, "units": units})


def test_quick_builds_the_same_bundled_history() -> None:
    for path in sorted(Path(bundled_path()).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        shape = Bibliography if path.name == "sources.yaml" else SnapshotFile
        _same(shape, data)


def test_the_models_own_validators_keep_their_words() -> None:
    quick_validator(SnapshotFile)
    assert Unit.__pydantic_complete__ is True
    with pytest.raises(ValidationError, match="contains a line break at character 2"):
        Unit(id="u", name="a\nb", kind="k")
    with pytest.raises(ValidationError, match="'ipo_planned' is a plan, not a status"):
        Unit(id="u", name="a", kind="k", status="ipo_planned")  # type: ignore[arg-type]
