"""`newsreader why A B [C ...]`: what grouping decides for two articles, and why.

With two files: the measures (Jaccard, containment, lead match, top carried), shared and
differing figures, dates and names of the leads, page kinds, the rule that decided, and
the passages they share, highlighted. With more files (a story's versions in filing
order): why each version joins, against the earlier version it matches best.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from reader.cli.commands import fail, print_json
from reader.cli.parsers import _threshold
from reader.ingest.article import Article
from reader.ingest.corpus import (
    CorpusError,
    CorpusFile,
    check_paths,
    describe_os_error,
    read_article,
)
from reader.ingest.decode import NotText

#: Exit statuses: 0 versions of one story, 1 not, 2 trouble (as `diff`).
EXIT_SAME_STORY = 0
EXIT_NOT_SAME = 1


def build_why_parser() -> argparse.ArgumentParser:
    """Arguments of `newsreader why`."""
    parser = argparse.ArgumentParser(
        prog="newsreader why",
        description=(
            "Explain what grouping decides for two articles: Jaccard, containment, lead "
            "match, shared and differing figures and dates, page kinds, the rule that "
            "decided, and the passages they share (highlighted). With more than two files, "
            "why each joins the story: against the earlier file it matches best. "
            "Exit status: 0 one story, 1 not, 2 trouble."
        ),
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--json", action="store_true", help="print the explanation as JSON")
    parser.add_argument(
        "--no-passages", action="store_true", help="leave out the texts with shared passages"
    )
    parser.add_argument(
        "--threshold",
        type=_threshold,
        default=None,
        metavar="X",
        help="similarity (0-1) two files need to be versions of one story (default: the "
        "grouping's)",
    )
    return parser


def _read(path: Path) -> Article:
    check_paths([path])
    if path.is_dir():
        raise CorpusError(f"{path}: is a directory")
    try:
        return read_article(CorpusFile(path, str(path)))
    except NotText as error:
        raise CorpusError(f"{path}: {error}") from error
    except OSError as error:
        raise CorpusError(f"{path}: {describe_os_error(error)}") from error


def run_why(argv: Sequence[str]) -> int:
    """`newsreader why A B [C ...]`."""
    from rich.console import Console

    from reader.grouping.decide import DEFAULT_THRESHOLD
    from reader.grouping.explain import explain, joins
    from reader.present.why import joins_to_json, render_explanation, render_joins

    args = build_why_parser().parse_args(argv)
    if len(args.files) < 2:
        return fail("why: give two files (or a story's files in filing order)")
    try:
        articles = [_read(path) for path in args.files]
    except CorpusError as error:
        return fail(str(error))
    threshold = args.threshold if args.threshold is not None else DEFAULT_THRESHOLD
    console = Console(highlight=False)
    if len(articles) > 2:
        found = joins(articles, threshold)
        if args.json:
            print_json({"threshold": threshold, "versions": joins_to_json(found)})
        else:
            console.print(render_joins(found))
        together = all(join.decision is None or join.decision.verdict.same_story for join in found)
        return EXIT_SAME_STORY if together else EXIT_NOT_SAME
    explanation = explain(articles[0], articles[1], threshold)
    if args.json:
        print_json({"threshold": threshold, **explanation.to_json()})
    else:
        console.print(render_explanation(explanation, passages=not args.no_passages))
    sys.stdout.flush()
    return EXIT_SAME_STORY if explanation.decision.verdict.same_story else EXIT_NOT_SAME
