"""Argument parsers of `newsreader` and its subcommands (kept apart so --help is fast)."""

from __future__ import annotations

import argparse
from pathlib import Path

from reader import __version__
from reader.ingest.memory import DEFAULT_MEMORY_MIB

DESCRIPTION = """\
Read, group and compare versions of wire stories.

With no PATH, opens the built-in sample corpus. Folders are searched recursively; each
file's format is told by its content (plain text, NITF, NewsML-G2, NewsML 1, ninjs,
ANPA/IPTC 7901, HTML, WARC, CSV, JSONL) and files holding no article are listed as
skipped, with the reason. Symbolic links met in a folder are followed only with -L/--follow.

commands:
  newsreader [PATH ...]            open the app
  newsreader stories [PATH ...]    list the stories: which files are versions of which
  newsreader diff OLD NEW          word diff of two versions (see: newsreader diff --help)
  newsreader search QUERY [PATH]   full-text search, best matches first
  newsreader index [PATH ...]      build or refresh the index and say what is in it
  newsreader story STORY [PATH]    a story's timeline, sentence operations, provenance
  newsreader unread [PATH ...]     stories with versions newer than the one you read
  newsreader why A B               why two articles are, or are not, versions of one story

The index lives in your cache folder, one per corpus (--index FILE puts it elsewhere;
a FILE that is not a newsreader index is refused, never replaced); it is rebuilt from
the files whenever needed. Files are never written.
"""


def build_open_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="article files or folders"
    )
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    add_index_option(parser)
    return parser


def add_index_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--index",
        type=Path,
        metavar="FILE",
        help="keep the corpus index in FILE (default: one per corpus in your cache folder); "
        "a FILE that is not a newsreader index is refused, never replaced",
    )
    parser.add_argument(
        "-L",
        "--follow",
        action="store_true",
        help="follow symbolic links met in folders (a loop is read once); paths named on "
        "the command line are always followed",
    )
    add_field_option(parser)


def add_field_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--field",
        dest="field_map",
        action=_FieldMapAction,
        type=_field_setting,
        default=None,
        metavar="NAME=COLUMN",
        help="in CSV and JSONL dumps, read field NAME (headline, body, date, url, source, id, "
        "byline, language, version, slugline, subheadline) from COLUMN; repeat for more "
        "fields, e.g. --field body=story_text --field headline=hed",
    )


class _FieldMapAction(argparse.Action):
    """Collects repeated `--field NAME=COLUMN` options into one mapping."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        mapping = dict(getattr(namespace, self.dest, None) or {})
        assert isinstance(values, tuple)  # what _field_setting gives
        mapping[str(values[0])] = str(values[1])
        setattr(namespace, self.dest, mapping)


def _field_setting(text: str) -> tuple[str, str]:
    name, separator, column = text.partition("=")
    if not separator or not name.strip() or not column.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=COLUMN (e.g. body=story_text)")
    # the dump reader knows the field names; imported only when --field is given
    from reader.ingest.formats.tabular import FieldMapError, resolve_columns

    try:
        resolve_columns([], {name.strip(): column})
    except FieldMapError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return name.strip(), column


def build_index_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader index",
        description="Build or refresh the index of a corpus (only new and changed files are "
        "read) and print what it holds. With no PATH, the built-in sample.",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    add_index_option(parser)
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default="in-process",
        help="who reads and groups: this process and its workers (default), or a Spark job "
        "(pip install 'newsreader[spark]' and a Java runtime; see README: Past one machine)",
    )
    parser.add_argument(
        "--memory",
        type=_memory_mib,
        default=DEFAULT_MEMORY_MIB,
        metavar="MIB",
        help="the most memory reading and grouping may take, worker processes included "
        f"(default {DEFAULT_MEMORY_MIB:,}): fewer workers run when they would not fit",
    )
    parser.add_argument(
        "--master",
        metavar="URL",
        help="with --engine spark: the Spark master, e.g. spark://host:7077 (default: "
        "spark-submit's, else local[*] on this machine)",
    )
    return parser


def _memory_mib(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of MiB") from None
    if value < MIN_MEMORY_MIB:
        raise argparse.ArgumentTypeError(f"at least {MIN_MEMORY_MIB} MiB")
    return value


#: The least `--memory` accepted (MiB): below it Python and its libraries alone do not fit.
MIN_MEMORY_MIB = 256

#: The engines `newsreader index --engine` offers.
ENGINES = ("in-process", "spark")


def build_search_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader search",
        description="Full-text search of a corpus, best matches first (bm25). Every word must "
        'match; "quoted words" match as a phrase; word* matches a prefix.',
    )
    parser.add_argument("query", metavar="QUERY")
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    parser.add_argument("--json", action="store_true", help="print the hits as JSON")
    parser.add_argument(
        "--limit", type=_limit, default=20, metavar="N", help=f"at most N hits (1-{MAX_LIMIT:,})"
    )
    add_index_option(parser)
    return parser


def build_diff_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader diff",
        description=(
            "Word diff of two versions of an article. House-style noise (quotes, dashes, "
            "U.S./US, British/American spelling, case, re-flow) is told apart from edits, "
            "and moved sentences are shown as moves, with any edits inside them. Edits are "
            "flagged when they touch numbers, negation, names, attribution or dates. "
            "Hard-wrapped archive copy is compared in the paragraphs the reader shows. "
            "Prints the changed paragraphs with one paragraph of context (-U N, --full). "
            "Exit status: 0 same, 1 different, 2 trouble."
        ),
    )
    parser.add_argument(
        "old", type=Path, metavar="OLD", help="a file, or FILE#RECORD for one record of a dump"
    )
    parser.add_argument("new", type=Path, metavar="NEW")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print the diff as JSON: each change's kind and flags, and pieces that rebuild "
        "both texts (as the reader lays them out)",
    )
    parser.add_argument(
        "--stat",
        action="store_true",
        help="print only the summary: words in and out, changes by kind, flagged changes by flag",
    )
    parser.add_argument(
        "--no-noise", action="store_true", help="hide style-only changes; show edits and moves"
    )
    parser.add_argument(
        "-U",
        "--context",
        type=_context,
        default=1,
        metavar="N",
        help="show each changed paragraph with N unchanged paragraphs around it (default 1)",
    )
    parser.add_argument(
        "--full", action="store_true", help="show the whole text, not only the changed paragraphs"
    )
    add_index_option(parser)  # taken as by every command; a diff reads only its two files
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the diff (default: auto, on a terminal); never gives [-old-]{+new+}",
    )
    return parser


def build_stories_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader stories",
        description=(
            "Group the articles into stories (versions of one wire story) and list them, "
            "versions in filing order. With no PATH, the built-in sample."
        ),
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    parser.add_argument("--json", action="store_true", help="print the stories as JSON")
    add_index_option(parser)
    parser.add_argument(
        "--threshold",
        type=_threshold,
        default=None,
        metavar="X",
        help=(
            "similarity (0-1) two files need to be versions of one story (default: the "
            "one the index was grouped with, else 0.45)"
        ),
    )
    return parser


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError("the threshold is a number above 0 and at most 1")
    return value


def _context(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("the context is a whole number, 0 or more")
    return value


#: Most search hits `--limit` asks for.
MAX_LIMIT = 100_000


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"the limit is a whole number from 1 to {MAX_LIMIT:,}")
    return value
