"""The lowest versions CI tests with are the floors pyproject.toml declares."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_ci_pins_the_declared_floors():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    floors = {}
    for requirement in declared:
        name, floor = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9.]+)", requirement).groups()
        floors[name.lower()] = floor
    pins = {}
    for line in (ROOT / ".ci" / "lowest.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower()] = version
    normal = {name: re.sub(r"(\.0)+$", "", v) for name, v in floors.items()}
    assert {name: re.sub(r"(\.0)+$", "", v) for name, v in pins.items()} == normal
