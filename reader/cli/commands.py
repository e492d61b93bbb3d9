"""The subcommands of `newsreader`: stories, diff, search, index. Each parses its own
arguments (parsers in reader.cli.main), calls the domain modules and prints; no business logic."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from reader.cli.parsers import (
    build_diff_parser,
    build_index_parser,
    build_search_parser,
    build_stories_parser,
)
from reader.ingest.corpus import (
    CorpusError,
    check_paths,
    describe_os_error,
    display_name,
)
from reader.ingest.decode import NotText
from reader.text.safe_text import json_dumps, safe_text

if TYPE_CHECKING:
    from rich.console import Console

    from reader.diff.files import FileDiff
    from reader.ingest.corpus import ProgressCallback
    from reader.store.library import IndexSummary, OpenedCorpus, RefreshReport

#: Exit statuses, as diff(1) uses them.
EXIT_SAME = 0
EXIT_DIFFERENT = 1
EXIT_TROUBLE = 2
#: `search` found nothing (grep's status).
EXIT_NO_MATCH = 1

T = TypeVar("T")


def fail(message: str) -> int:
    """Print one line on stderr and return the trouble exit status."""
    print(f"newsreader: {safe_text(message)}", file=sys.stderr)
    return EXIT_TROUBLE


def print_json(document: object) -> None:
    """Print a `--json` document: control characters escaped, so no terminal acts on them."""
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("-", "")
    sys.stdout.write(json_dumps(document, ascii_only=encoding != "utf8") + "\n")


def diff_files_or_fail(old: Path, new: Path, field_map: dict[str, str] | None = None) -> FileDiff:
    """The diff of two articles (files, or `FILE#RECORD` inside containers); raises
    CorpusError with a one-line reason."""
    from reader.diff.files import diff_files
    from reader.ingest.containers import split_record

    for path in (old, new):
        check_paths([split_record(path)[0]])
        if path.is_dir():
            raise CorpusError(f"{path}: is a directory")
    try:
        return diff_files(old, new, field_map)
    except NotText as error:
        raise CorpusError(str(error)) from error
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        raise CorpusError(f"{where}{describe_os_error(error)}") from error


def run_diff(argv: Sequence[str]) -> int:
    """`newsreader diff OLD NEW`."""
    from rich.console import Console
    from rich.text import Text

    from reader.present.diff import (
        change_to_json,
        diff_hunks,
        diff_summary,
        pieces_to_json,
        render_hunks,
        render_hunks_plain,
        render_inline,
        render_plain,
    )

    args = build_diff_parser().parse_args(argv)
    try:
        compared = diff_files_or_fail(args.old, args.new, args.field_map)
    except CorpusError as error:
        return fail(str(error))
    diff, notes = compared.diff, list(compared.notes)
    show_noise = not args.no_noise
    changes = diff.changes if show_noise else diff.substantive_changes()
    # What was compared is the same, but the files are not: never say "no difference".
    status = EXIT_DIFFERENT if changes or compared.differs_beyond else EXIT_SAME
    for note in notes:
        print(f"newsreader: note: {note}", file=sys.stderr)
    if args.json:
        document = {
            "old": str(args.old),
            "new": str(args.new),
            "similarity": diff.stats.similarity,
            "stats": {
                "words_inserted": diff.stats.words_inserted,
                "words_deleted": diff.stats.words_deleted,
                "words_moved": diff.stats.words_moved,
                "by_kind": diff.stats.by_kind,
                "by_flag": diff.stats.by_flag,
            },
            "changes": [change_to_json(change) for change in changes],
            "pieces": pieces_to_json(diff),
            "notes": notes,
        }
        print_json(document)
        return status
    if status == EXIT_SAME or not changes:
        return status  # like diff(1): nothing to show (a difference past the part compared
        # is said on stderr and in the exit status)
    console = Console(force_terminal=args.color == "always" or None, highlight=False)
    if args.stat:
        console.print(diff_summary(diff, show_noise=show_noise))
        return status
    hunks = None if args.full else diff_hunks(diff, context=args.context, show_noise=show_noise)
    if args.color == "never" or not console.is_terminal:
        if hunks is None:
            plain = render_plain(diff, show_noise=show_noise)
        else:
            plain = render_hunks_plain(hunks, show_noise=show_noise)
        sys.stdout.write(plain.rstrip("\n") + "\n")
        return status
    # Paths are data: a Text, never a markup string.
    console.print(Text(safe_text(f"--- {args.old}\n+++ {args.new}"), style="bold"))
    console.print(diff_summary(diff, show_noise=show_noise))
    console.print()
    if hunks is None:
        console.print(render_inline(diff, show_noise=show_noise))
    else:
        console.print(render_hunks(hunks, show_noise=show_noise))
    return status


def run_stories(argv: Sequence[str]) -> int:
    """`newsreader stories [PATH ...]`."""
    from rich.console import Console

    from reader.present.stories import stories_table, stories_to_json

    args = build_stories_parser().parse_args(argv)
    try:
        check_paths(args.paths)
    except CorpusError as error:
        return fail(str(error))
    opened = open_corpus_or_fail(
        args.paths,
        args.index,
        threshold=args.threshold,
        follow=args.follow,
        field_map=args.field_map,
    )
    if opened is None:
        return EXIT_TROUBLE
    result = opened.library
    if args.json:
        from reader.store.story_links import all_story_links

        print_json(stories_to_json(result.stories, all_story_links(opened.corpus_index)))
        return 0
    console = Console(highlight=False)
    console.print(stories_table(result.stories))
    skipped = len(result.corpus.skipped)
    summary = f"{len(result.stories):,} stories from {len(result.corpus.articles):,} articles"
    console.print(
        summary + (f"; {skipped:,} files skipped" if skipped else ""), style="dim", markup=False
    )
    return 0


def open_corpus_or_fail(
    paths: Sequence[Path],
    index_file: Path | None,
    *,
    threshold: float | None = None,
    show_progress: bool = False,
    follow: bool = False,
    field_map: dict[str, str] | None = None,
) -> OpenedCorpus | None:
    """Open the corpus (refreshing its index); None (after one line on stderr) on trouble.
    `threshold` None keeps the index's own; `field_map` names CSV/JSONL columns (`--field`)."""
    from reader.store.library import open_corpus

    def opened(progress: ProgressCallback | None) -> OpenedCorpus:
        return open_corpus(
            paths,
            index_file=index_file,
            threshold=threshold,
            follow=follow,
            field_map=field_map,
            progress=progress,
        )

    found = _run_or_fail(paths, index_file, opened, show_progress)
    return None if found is None else _noted(found, found.report)


def _noted(result: T, report: RefreshReport) -> T:
    if report.notice:
        print(f"newsreader: note: {safe_text(report.notice)}", file=sys.stderr)
    return result


def _run_or_fail(
    paths: Sequence[Path],
    index_file: Path | None,
    work: Callable[[ProgressCallback | None], T],
    show_progress: bool,
) -> T | None:
    """Run `work` on the corpus (with a progress bar on a terminal); None (after one line
    on stderr) when the paths or the index cannot be used."""
    from reader.store.index import IndexRefused, IndexUnavailable, check_index_file

    try:
        check_paths(paths)
    except CorpusError as error:
        fail(str(error))
        return None
    try:
        if index_file is not None:  # refused before a progress bar is drawn
            check_index_file(index_file)
        if show_progress:
            return _with_progress_bar(work)
        return work(None)
    except IndexRefused as error:
        fail(f"--index: {error}" if index_file else f"the index cannot be used: {error}")
    except IndexUnavailable as error:
        fail(f"the index cannot be used: {error}")
    return None


def _with_progress_bar(work: Callable[[ProgressCallback | None], T]) -> T:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True, console=_stderr_console()) as bar:
        task = bar.add_task("indexing", total=None)
        return work(lambda done, total: bar.update(task, completed=done, total=total))


def _stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def run_index(argv: Sequence[str]) -> int:
    """`newsreader index [PATH ...]`."""
    from reader.cli.spark_index import run_spark_job, spark_line, spark_summary
    from reader.store.library import index_corpus

    parser = build_index_parser()
    args = parser.parse_args(argv)
    spark_report = None
    if args.engine == "spark":
        spark_report = run_spark_job(args)
        if spark_report is None:
            return EXIT_TROUBLE
    elif args.master is not None:
        parser.error("--master is for --engine spark")

    def indexed(progress: ProgressCallback | None) -> tuple[IndexSummary, RefreshReport, str]:
        summary, report, index = index_corpus(
            args.paths,
            index_file=args.index,
            follow=args.follow,
            field_map=args.field_map,
            progress=progress,
            memory_mib=args.memory,
        )
        index.close()
        return summary, report, index.location

    found = _run_or_fail(
        args.paths, args.index, indexed, show_progress=not args.json and sys.stderr.isatty()
    )
    if found is None:
        return EXIT_TROUBLE
    counts, report, location = _noted(found, found[1])
    if spark_report is not None:  # what the Spark job did; the update above found it done
        report = spark_report.refresh
    summary: dict[str, object] = {
        "index": location,
        "articles": counts.articles,
        "stories": counts.stories,
        "indexed": report.indexed,
        "unchanged": report.unchanged,
        "removed": report.removed,
        "skipped": [{"path": skip.name, "reason": skip.reason} for skip in counts.skipped],
        "seconds": round(report.seconds, 3),
    }
    if spark_report is not None:
        summary["spark"] = spark_summary(spark_report)
    if args.json:
        print_json(summary)
        return 0
    print(
        f"{counts.articles:,} articles in {counts.stories:,} stories "
        f"({report.indexed:,} read, {report.unchanged:,} unchanged, {report.removed:,} removed) "
        f"in {report.seconds:.1f} s"
    )
    print(f"index: {safe_text(location)}")
    if spark_report is not None:
        print(spark_line(spark_report))
    if counts.skipped:
        print(f"{len(counts.skipped):,} files skipped:")
        for skip in counts.skipped:
            print(f"  {display_name(skip.name)}: {safe_text(skip.reason)}")
    return 0


def run_search(argv: Sequence[str]) -> int:
    """`newsreader search QUERY [PATH ...]`."""
    from rich.console import Console

    from reader.present.search import hits_table, hits_to_json

    args = build_search_parser().parse_args(argv)
    opened = open_corpus_or_fail(
        args.paths, args.index, follow=args.follow, field_map=args.field_map
    )
    if opened is None:
        return EXIT_TROUBLE
    hits = opened.corpus_index.search(args.query, limit=args.limit)
    if args.json:
        print_json(hits_to_json(args.query, hits))
        return 0 if hits else EXIT_NO_MATCH
    if not hits:
        # Like grep and ripgrep: 1 when nothing matched, so scripts can test for it.
        print(f"No matches for {safe_text(repr(args.query))}.", file=sys.stderr)
        return EXIT_NO_MATCH
    Console(highlight=False).print(hits_table(hits))
    return 0
