"""`python -m reader` runs the newsreader command."""

from reader.cli import main

raise SystemExit(main())
