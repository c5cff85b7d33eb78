"""The package's public names: each one is its module's own object, found on first use."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

PACKAGES = ["orgmodel", "orgmodel.drawing"]


@pytest.mark.parametrize("package", PACKAGES)
def test_every_public_name_is_its_modules_own(package: str) -> None:
    module = importlib.import_module(package)
    homes = module._HOMES
    assert sorted(module.__all__) == sorted(name for names in homes.values() for name in names)
    for home, names in homes.items():
        source = importlib.import_module(f"{package}.{home}")
        for name in names:
            assert getattr(module, name) is getattr(source, name), name
    assert set(module.__all__) <= set(dir(module))


@pytest.mark.parametrize("package", PACKAGES)
def test_star_import_and_unknown_names(package: str) -> None:
    code = f"from {package} import *; print(sorted(k for k in dir() if not k.startswith('_')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    module = importlib.import_module(package)
    assert done.stdout.strip() == str(sorted(module.__all__))
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        module.nothing_here  # noqa: B018


def test_importing_the_package_builds_nothing_it_does_not_use() -> None:
    code = "import sys, orgmodel; print(sorted(m for m in sys.modules if m.startswith('orgmodel')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['orgmodel', 'orgmodel._lazy']"  # the names' loader alone
