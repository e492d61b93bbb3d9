"""The `newsreader` command: parse arguments, then open the app or run a subcommand."""

from __future__ import annotations

import difflib
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence

from reader.cli.commands import (
    EXIT_TROUBLE,
    fail,
    run_diff,
    run_index,
    run_search,
    run_stories,
)
from reader.cli.follow_commands import run_story, run_unread
from reader.cli.parsers import build_open_parser
from reader.cli.why import run_why
from reader.ingest.corpus import CorpusError, check_paths


def run_open(argv: Sequence[str], *, exit_at_once: bool = False) -> int:
    """`newsreader [PATH ...]`: open the app. `exit_at_once` (the real command): the
    process ends as soon as the app closes (see leave_without_waiting_for_work)."""
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

    app = NewsReaderApp(
        args.paths, index_file=args.index, follow=args.follow, field_map=args.field_map
    )
    app.run()
    code = app.return_code or 0
    if exit_at_once:
        leave_without_waiting_for_work(code)
    return code


#: How long quitting waits for work in progress (reading, grouping) to stop by itself.
QUIT_GRACE_SECONDS = 0.1


def leave_without_waiting_for_work(code: int) -> None:
    """After the app has closed (terminal restored), end the process at once: work it
    started may still be running (a chunk of files being read, or grouping, can take
    seconds), and tearing the interpreter down costs more than a quit should. Worker
    processes are stopped; the index loses only the transaction in progress (SQLite
    rolls it back) and is brought up to date next time."""
    import multiprocessing
    import threading

    deadline = time.monotonic() + QUIT_GRACE_SECONDS
    me = threading.current_thread()
    for thread in threading.enumerate():
        if thread is not me:
            thread.join(max(0.0, deadline - time.monotonic()))
    for child in multiprocessing.active_children():
        child.terminate()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


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
    "story": run_story,
    "unread": run_unread,
    "why": run_why,
}


#: Options every command takes, and whether each is followed by a value.
GLOBAL_OPTIONS = {"--index": True, "-L": False, "--follow": False}


def split_command(arguments: Sequence[str]) -> tuple[str | None, list[str]]:
    """The subcommand named anywhere among the leading options (`newsreader --index F
    stories`), and the other arguments in order; None when the first word is no command."""
    index = 0
    while index < len(arguments):
        word = arguments[index]
        if word == "--":
            break
        if word.startswith("-"):
            takes_value = GLOBAL_OPTIONS.get(word.split("=", 1)[0])
            if takes_value is None:
                break  # an option of the app or of a command: stop looking
            index += 2 if takes_value and "=" not in word else 1
            continue
        if word in SUBCOMMANDS:
            return word, [*arguments[:index], *arguments[index + 1 :]]
        break
    return None, list(arguments)


def suggest_command(arguments: Sequence[str]) -> str | None:
    """`did you mean 'stories'?` for a first word that is no file and nearly a command."""
    words = [word for word in arguments if not word.startswith("-")]
    if not words or os.path.lexists(words[0]):
        return None
    close = difflib.get_close_matches(words[0], list(SUBCOMMANDS), n=2, cutoff=0.6)
    if not close:
        return None
    return (
        f"{words[0]!r} is neither a command nor a file; did you mean "
        + " or ".join(repr(word) for word in close)
        + "?"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsreader` console script; returns the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if argv is None:  # the real command, not a test calling main() in-process
        stop_on_signals()
        replace_unencodable_output()
    try:
        command, rest = split_command(arguments)
        if command is not None:
            return SUBCOMMANDS[command](rest)
        suggestion = suggest_command(arguments)
        if suggestion is not None:
            return fail(suggestion)
        return run_open(arguments, exit_at_once=argv is None)
    except BrokenPipeError:
        # The reader of our output went away (`| head`): stop quietly, as cat does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_TROUBLE
    except KeyboardInterrupt:
        return 130
    except Terminated as stop:
        return 128 + stop.signum
