"""``python -m kmo_export``: the same as the ``kmo-export`` command."""

from .cli import main

if __name__ == "__main__":
    main(prog_name="kmo-export")
