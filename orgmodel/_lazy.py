"""A package's public names imported from their modules when first used (PEP 562).

>>> import orgmodel
>>> orgmodel.History.__module__
'orgmodel.history'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(
    package: str, homes: Mapping[str, tuple[str, ...]], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module ``__getattr__`` and ``__dir__`` of ``package``, whose names are in the
    modules ``homes`` gives (module -> names); each is imported once, then kept in the
    package's ``namespace`` as a plain attribute."""
    home = {name: module for module, names in homes.items() for name in names}

    def getattr_(name: str) -> Any:
        module = home.get(name)
        if module is None:
            raise AttributeError(f"module '{package}' has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value  # found once: later uses are plain module attributes
        return value

    def dir_() -> list[str]:
        return sorted({*namespace, *home})

    return getattr_, dir_
