"""Start the ``orgmodel`` command: the console script's entry point.

It lives outside the package so that it runs before the package is imported: importing
orgmodel loads pydantic, networkx and the rest, and a Ctrl-C in that time would otherwise end in
a KeyboardInterrupt traceback, before :func:`orgmodel.cli.main` can turn it into status 130.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Import the command line, quietly giving up on Ctrl-C, then run it."""
    try:
        from orgmodel.cli import main as run
    except KeyboardInterrupt:
        sys.exit(130)
    run()


if __name__ == "__main__":
    main()
