"""The `newsreader` command: parse arguments, then open the app or run a subcommand."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from reader import __version__
from reader.corpus import CorpusError, check_paths

#: Exit status for bad input, as diff(1) and most tools use it.
EXIT_TROUBLE = 2

DESCRIPTION = """\
Read, group and compare versions of wire stories.

With no PATH, opens the built-in sample corpus. Folders are searched recursively for
.txt and .md files; files named explicitly are always read.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="article files or folders"
    )
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    return parser


def fail(message: str) -> int:
    """Print one line on stderr and return the trouble exit status."""
    print(f"newsreader: {message}", file=sys.stderr)
    return EXIT_TROUBLE


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsreader` console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        check_paths(args.paths)
    except CorpusError as error:
        return fail(str(error))
    from reader.app import NewsReaderApp  # Textual loads only when the app opens.

    NewsReaderApp(args.paths).run()
    return 0
