"""`newsreader story` (a story's timeline, sentence operations and provenance) and
`newsreader unread` (stories with versions newer than the one last read in the app).
Thin over reader.follow.followed and reader.store.read_state, as the app is."""

from __future__ import annotations

import argparse
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from reader.cli.commands import EXIT_TROUBLE, fail, open_corpus_or_fail, print_json
from reader.cli.parsers import add_index_option
from reader.grouping.stories import Story, StoryCorpus

STORY_DESCRIPTION = """\
The timeline of a story: one row per version (time from the file's metadata or dateline,
else the file's modification time), words added, deleted and moved against the previous
version, substantive changes, similarity. With --json: the timeline with the sentence
operations (addition, deletion, update, merge, split, move) of each version and the
provenance of every sentence; the README documents the schema (newsreader.story/1).

STORY is an article file (its folder is the corpus unless PATHs are given) or the id of
a story or of one of its articles (as `newsreader stories --json` lists them).
"""


def build_story_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader story",
        description=STORY_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("story", metavar="STORY", help="an article file, or a story or article id")
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="the corpus (default: STORY's folder)"
    )
    parser.add_argument(
        "--json", action="store_true", help="print the timeline, operations and provenance"
    )
    add_index_option(parser)
    return parser


def build_unread_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader unread",
        description="List the stories with versions newer than the one you last opened in "
        "the app (the app remembers this in the corpus index). With no PATH, the sample.",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    parser.add_argument("--json", action="store_true", help="print the list as JSON")
    add_index_option(parser)
    return parser


def find_story(library: StoryCorpus, target: str) -> Story | None:
    """The story `target` names: a file of the corpus, a story id or an article id."""
    path = Path(target)
    if path.is_file():
        wanted = os.path.realpath(path)
        for story in library.stories:
            if any(os.path.realpath(version.path) == wanted for version in story.versions):
                return story
        return None
    for story in library.stories:
        if story.id == target:
            return story
    article = library.article_by_id(target)
    return library.story_of(article) if article is not None else None


def run_story(argv: Sequence[str]) -> int:
    """`newsreader story STORY [PATH ...] [--json]`."""
    from rich.console import Console

    from reader.follow.followed import VersionUnreadable, follow_story
    from reader.present.follow import timeline_table

    args = build_story_parser().parse_args(argv)
    target = Path(args.story)
    paths = list(args.paths) or ([target.parent] if target.is_file() else [])
    opened = open_corpus_or_fail(paths, args.index, follow=args.follow)
    if opened is None:
        return EXIT_TROUBLE
    story = find_story(opened.library, args.story)
    if story is None:
        return fail(f"{args.story}: no such story or article in the corpus")
    try:
        followed = follow_story(story, opened.corpus_index)
    except VersionUnreadable as error:
        return fail(str(error))
    if args.json:
        print_json(followed.document())
        return 0
    Console(highlight=False).print(timeline_table(followed.timeline, story.title))
    return 0


def run_unread(argv: Sequence[str]) -> int:
    """`newsreader unread [PATH ...] [--json]`."""
    from rich.console import Console

    from reader.present.follow import unread_table, unread_to_json
    from reader.store.read_state import read_marks, unread_stories

    args = build_unread_parser().parse_args(argv)
    opened = open_corpus_or_fail(args.paths, args.index, follow=args.follow)
    if opened is None:
        return EXIT_TROUBLE
    try:
        marks = read_marks(opened.corpus_index)
    except sqlite3.Error as error:
        return fail(f"what you read cannot be looked up in the index: {error}")
    unread = unread_stories(opened.library.stories, marks)
    if args.json:
        print_json(unread_to_json(unread))
        return 0
    if not unread:
        print("No story has unread versions.")
        return 0
    Console(highlight=False).print(unread_table(unread))
    return 0
