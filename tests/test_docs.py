"""The README documents every command, and every command documents itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from orgmodel.cli import app

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(typer.main.get_group(app).commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_in_the_readme(name):
    assert re.search(rf"^\$ orgmodel {name}\b", README, re.MULTILINE) or re.search(
        rf"`orgmodel {name}\b", README
    ), f"the README does not show `orgmodel {name}`"


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_for_every_option(name):
    command = typer.main.get_group(app).commands[name]
    assert command.help, f"orgmodel {name} has no help text"
    for param in command.params:
        if param.param_type_name == "option" and param.name != "help":
            assert getattr(param, "help", None), f"orgmodel {name} {param.opts[0]} has no help"
