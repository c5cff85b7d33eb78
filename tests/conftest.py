"""Shared fixtures: the hand-made example history and a way to write small snapshot folders."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import orgmodel

EXAMPLE = Path(__file__).parent / "data" / "example"

SOURCES = """\
kinds:
  holding: The holding.
  business_group: A business group.
  business_unit: A unit.
sources:
  s1: {title: A report, publisher: A paper, date: 2020-01-01, url: https://example.org/1}
"""


@pytest.fixture(autouse=True, scope="session")
def _cache_outside_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the cache of validated snapshot files the tests make out of the user's own cache
    folder (commands run in subprocesses inherit it too)."""
    before = os.environ.get("ORGMODEL_CACHE")
    os.environ["ORGMODEL_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if before is None:
        del os.environ["ORGMODEL_CACHE"]
    else:
        os.environ["ORGMODEL_CACHE"] = before


@pytest.fixture
def example() -> orgmodel.History:
    return orgmodel.load_history(EXAMPLE)


@pytest.fixture
def write_folder(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Write files (name -> YAML text, dedented) into a fresh folder with a sources.yaml."""

    def write(files: dict[str, str]) -> Path:
        folder = tmp_path / "snapshots"
        folder.mkdir(exist_ok=True)
        all_files = {"sources.yaml": SOURCES, **files}
        for name, text in all_files.items():
            if text is None:
                continue
            (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
        return folder

    return write
