"""The `newsreader` command: parse arguments, then open the app or run a subcommand."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence

from reader.cli_parsers import build_open_parser
from reader.corpus import CorpusError, check_paths
from reader.index import IndexRefused, check_index_file
from reader.subcommands import (
    EXIT_TROUBLE,
    fail,
    run_diff,
    run_index,
    run_search,
    run_stories,
)


def run_open(argv: Sequence[str]) -> int:
    """`newsreader [PATH ...]`: open the app."""
    args = build_open_parser().parse_args(argv)
    try:
        check_paths(args.paths)
        if args.index is not None:
            check_index_file(args.index)
    except CorpusError as error:
        return fail(str(error))
    except IndexRefused as error:
        return fail(f"--index: {error}")
    from reader.app import NewsReaderApp  # Textual loads only when the app opens.

    NewsReaderApp(args.paths, index_file=args.index).run()
    return 0


#: Subcommands by name; anything else is a PATH for the app.
SUBCOMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "diff": run_diff,
    "stories": run_stories,
    "search": run_search,
    "index": run_index,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsreader` console script; returns the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if arguments and arguments[0] in SUBCOMMANDS:
            return SUBCOMMANDS[arguments[0]](arguments[1:])
        return run_open(arguments)
    except BrokenPipeError:
        # The reader of our output went away (`| head`): stop quietly, as cat does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_TROUBLE
    except KeyboardInterrupt:
        return 130
