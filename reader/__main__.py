"""`python -m reader` runs the newsreader command."""

from reader.cli.main import main

if __name__ == "__main__":  # worker processes import this module too; only run when executed
    raise SystemExit(main())
