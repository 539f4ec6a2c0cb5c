"""``python -m publisher`` is the same as the ``publisher`` console script."""

from publisher.cli import main

# Guarded: worker processes started by a fork server import this module again.
if __name__ == "__main__":
    raise SystemExit(main())
