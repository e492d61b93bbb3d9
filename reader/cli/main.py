"""The `newsreader` command: parse arguments, then open the app or run a subcommand."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Sequence

from reader.cli.commands import (
    EXIT_TROUBLE,
    fail,
    run_diff,
    run_index,
    run_search,
    run_stories,
)
from reader.cli.parsers import build_open_parser
from reader.cli.why import run_why
from reader.ingest.corpus import CorpusError, check_paths


def run_open(argv: Sequence[str]) -> int:
    """`newsreader [PATH ...]`: open the app."""
    args = build_open_parser().parse_args(argv)
    from reader.store.index import IndexRefused, check_index_file

    try:
        check_paths(args.paths)
        if args.index is not None:
            check_index_file(args.index)
    except CorpusError as error:
        return fail(str(error))
    except IndexRefused as error:
        return fail(f"--index: {error}")
    from reader.tui.app import NewsReaderApp  # Textual loads only when the app opens.

    app = NewsReaderApp(args.paths, index_file=args.index, follow=args.follow)
    app.run()
    return app.return_code or 0


#: The module that starts worker processes (see its SignalsHeld).
WORKERS_MODULE = "reader.ingest.workers"


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwind like Ctrl-C, so worker processes are stopped and
    the index transaction in progress is rolled back."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _held_while_workers_start(signum: int) -> bool:
    """Whether worker processes are starting and took `signum` to deliver later. (Workers
    start only once their module is loaded; the command line does not load it itself.)"""
    workers = sys.modules.get(WORKERS_MODULE)
    return workers is not None and bool(workers.STARTING_WORKERS.hold(signum))


def _raise_terminated(signum: int, _frame: object) -> None:
    if not _held_while_workers_start(signum):
        raise Terminated(signum)


def _raise_interrupted(signum: int, _frame: object) -> None:
    if not _held_while_workers_start(signum):
        raise KeyboardInterrupt


def stop_on_signals() -> None:
    """Turn SIGTERM and SIGHUP into Terminated and SIGINT into KeyboardInterrupt, held
    while worker processes start (see SignalsHeld)."""
    for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if signum is not None:
            signal.signal(signum, _raise_terminated)
    signal.signal(signal.SIGINT, _raise_interrupted)


def replace_unencodable_output() -> None:
    """On a terminal or pipe whose encoding is not UTF-8 (PYTHONIOENCODING=ascii, a
    latin-1 locale), print `?` for what it cannot show instead of failing with a traceback."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


#: Subcommands by name; anything else is a PATH for the app.
SUBCOMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "diff": run_diff,
    "stories": run_stories,
    "search": run_search,
    "index": run_index,
    "why": run_why,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsreader` console script; returns the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if argv is None:  # the real command, not a test calling main() in-process
        stop_on_signals()
        replace_unencodable_output()
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
    except Terminated as stop:
        return 128 + stop.signum
