"""``python -m orgmodel``: the command line, started as the ``orgmodel`` command starts it."""

import sys


def _start() -> None:
    # Importing the package is light (its names load when first used), so Ctrl-C while the
    # command line loads pydantic, networkx and the rest lands here: status 130, no traceback.
    try:
        from orgmodel.cli import main
    except KeyboardInterrupt:
        sys.exit(130)
    main()


if __name__ == "__main__":
    _start()
