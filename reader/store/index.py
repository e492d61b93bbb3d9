"""The on-disk index of a corpus: SQLite (WAL) holding per article what reading it produced.

One database per corpus, in the user's cache folder (never inside the corpus). It holds
one row per article (a container such as a feed, a WARC or a CSV dump has one per record,
told apart by `record`; a file that holds no article has one row saying why), with its
file's path, size, modification time (ns) and content hash, the parsed fields and the
format's metadata, the
grouping signature and sketches, the story it belongs to, and a full-text (FTS5) copy of
its text for search. Everything in it can be rebuilt from the files: a corrupt or
older-schema index is deleted and rebuilt with a notice, and a cache folder that
cannot be written falls back to an index in memory. Only a file that is our index (its
header carries our application id) is ever rebuilt or deleted: a path holding anything
else is refused, and a database another process holds is waited for, never rebuilt.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import hashlib
import json
import os
import sqlite3
import stat as stat_module
import threading
import time
import urllib.parse
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from reader.grouping.stories import Signature, StorySummary
from reader.ingest.article import Article, ArticleMeta, Dateline, ParsedText
from reader.ingest.corpus import FolderListing, SkippedFile
from reader.ingest.pickling import plain_pickling

SCHEMA_VERSION = 9
MEMORY = ":memory:"

#: The indexes holding each article's story, made again after a full grouping
#: (`CorpusIndex.put_grouping`): by story, and the story list's covering index.
_STORY_INDEX = "CREATE INDEX IF NOT EXISTS files_story ON files(story)"
_LISTED_INDEX = """CREATE INDEX IF NOT EXISTS files_listed ON files(
    story, path, name, size, article_id, digest, headline, headline_from_lede, markers,
    dateline, byline, words, filed, mtime, encoding, encoding_fallback, truncated, notes,
    record, offset, meta, skipped
) WHERE skipped IS NULL"""
_STORY_INDEXES = ("files_story", "files_listed")
_STORY_INDEX_STATEMENTS = (_STORY_INDEX, _LISTED_INDEX)
#: A grouping of an index of at least this many rows that writes the story of every row,
#: or of half of them, remakes them.
REBUILD_STORY_INDEXES = 10_000

_SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    rowid INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    skipped TEXT,
    article_id TEXT,
    digest TEXT,
    headline TEXT,
    headline_from_lede INTEGER,
    markers TEXT,
    dateline TEXT,
    byline TEXT,
    words INTEGER,
    filed TEXT,
    mtime REAL,
    encoding TEXT,
    encoding_fallback INTEGER,
    truncated INTEGER,
    notes TEXT,
    story TEXT,
    record INTEGER,
    offset INTEGER,
    meta TEXT
);
"""
    + _STORY_INDEX
    + """;
-- what grouping compares of each article (`Signature`): kilobytes a row, kept apart from
-- `files` so that writing an article's story does not rewrite them
CREATE TABLE IF NOT EXISTS signatures (
    rowid INTEGER PRIMARY KEY,
    shingles BLOB NOT NULL,
    lede BLOB NOT NULL,
    facts TEXT NOT NULL
);
-- LSH band keys of every article at the last full grouping, one row per band: the keys
-- sorted (uint64) and the row ids beside them, searched in place (see store/bands.py)
CREATE TABLE IF NOT EXISTS lsh_bands (
    band INTEGER PRIMARY KEY,
    keys BLOB NOT NULL,
    rowids BLOB NOT NULL
);
-- band keys of the articles joined to stories since then
CREATE TABLE IF NOT EXISTS lsh_added (
    band INTEGER NOT NULL,
    key INTEGER NOT NULL,
    rowid INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS lsh_added_key ON lsh_added(band, key);
CREATE INDEX IF NOT EXISTS files_path ON files(path);
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(
    headline, body, tokenize = 'unicode61 remove_diacritics 2'
);
"""
)


#: What the user read and cached story provenance (reader.store.read_state): created on
#: every connection, so an index made before these tables gains them without a rebuild.
_FOLLOW_SCHEMA = """
CREATE TABLE IF NOT EXISTS read_state (
    story TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    read_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS read_state_article ON read_state(article_id);
CREATE TABLE IF NOT EXISTS follow_cache (
    kind TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    document TEXT NOT NULL,
    used_at REAL NOT NULL,
    PRIMARY KEY (kind, fingerprint)
);
"""


#: Links between stories that are never merged (series, related stories, digests holding
#: an opening: reader.grouping.links), each once (`story` < `other`), with the rule that
#: decided it; replaced by a full grouping, added to when files join stored stories
#: (reader.store.story_links). Created on every connection, so an index made before this
#: table gains it without a rebuild (and is linked at its next grouping).
_LINK_SCHEMA = """
CREATE TABLE IF NOT EXISTS story_links (
    story TEXT NOT NULL,
    other TEXT NOT NULL,
    relation TEXT NOT NULL,
    rule TEXT NOT NULL,
    PRIMARY KEY (story, other, relation)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS story_links_other ON story_links(other);
"""


#: Each folder's listing as the last walk found it (reader.ingest.corpus.FolderListing), so
#: that a folder that did not change is not listed again: created on every connection, so
#: an index made before this table gains it without a rebuild. Names are joined by `/`
#: (which no file name holds), as bytes (a name need not be valid Unicode).
_FOLDER_SCHEMA = """
CREATE TABLE IF NOT EXISTS folders (
    path BLOB PRIMARY KEY,
    inode INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    files BLOB NOT NULL,
    folders BLOB NOT NULL
);
"""

#: What re-opening reads, kept apart from the rows of `files` (which carry kilobytes of
#: signatures and sketches each, so that scanning them reads most of the database): covering
#: indexes for the re-scan (`file_states`), the story list (`articles`) and the skipped
#: files, and the order of the list as last shown (`ListOrder`). Created on every
#: connection, so an index made before them gains them without a rebuild.
_LIST_SCHEMA = (
    """
CREATE INDEX IF NOT EXISTS files_state ON files(path, size, mtime_ns);
"""
    + _STORY_INDEX
    + """;
"""
    + _LISTED_INDEX
    + """;
CREATE INDEX IF NOT EXISTS files_skipped ON files(path, name, skipped) WHERE skipped IS NOT NULL;
CREATE TABLE IF NOT EXISTS list_order (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    rowids BLOB NOT NULL,
    story_starts BLOB NOT NULL,
    by_name BLOB NOT NULL
);
"""
)
_LIST_NAMES = frozenset(
    {"files_state", "files_story", "files_listed", "files_skipped", "list_order"}
)

#: What the list shows of each story without its versions (`StorySummary`), column by
#: column in the list's order (`ListOrder.story_starts`): the story ids, latest headlines,
#: first and latest file names and latest article ids as JSON arrays, the numbers of versions
#: and the latest versions' words as 64-bit integers. Re-opening reads one row and makes no
#: object per story until it is shown (a million files have half a million stories).
#: Written with the list order (an index made before it has none until the order is next
#: kept: the list is then made from the articles, as before). Created on every connection.
_STORY_LIST_SCHEMA = """
CREATE TABLE IF NOT EXISTS story_list (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    stories TEXT NOT NULL,
    titles TEXT NOT NULL,
    first_names TEXT NOT NULL,
    latest_names TEXT NOT NULL,
    latest_ids TEXT NOT NULL,
    counts BLOB NOT NULL,
    words BLOB NOT NULL
);
"""
#: Finds an article by its id (search and the palette name articles by id): made when the
#: story list is first kept, so an index made before it gains it without a rebuild.
_ARTICLE_ID_INDEX = "CREATE INDEX IF NOT EXISTS files_article ON files(article_id)"
#: The articles read with a caveat (the problems screen), found without a scan.
_NOTED_INDEX = (
    "CREATE INDEX IF NOT EXISTS files_noted ON files(rowid) WHERE skipped IS NULL AND notes != ''"
)


class IndexUnavailable(Exception):
    """The index database cannot be opened or written."""


class IndexRefused(IndexUnavailable):
    """The path given for the index holds something that is not a newsreader index: it is
    never opened for writing, rebuilt or deleted."""


class IndexDamaged(Exception):
    """What the index holds cannot be read back as it was stored."""


@dataclass(frozen=True, slots=True)
class StoredFile:
    """What the index remembers of a file to tell whether it changed."""

    rowid: int
    size: int
    mtime_ns: int
    #: Hash of the content read (None for a skipped file).
    digest: str | None
    #: Every row of the file: one per article (and per problem) of a container.
    rowids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ListOrder:
    """The story list's order as last built, kept so that re-opening need not sort: the
    articles' row ids story by story (each story's versions in filing order), where each
    story starts among them, and the articles' places in `rowids` in natural file-name
    order (`Corpus.articles`)."""

    rowids: array[int]
    story_starts: array[int]
    by_name: array[int]


@dataclass(frozen=True, slots=True)
class StoryColumns:
    """The story list as kept (`CorpusIndex.put_story_list`): each story's id and summary
    (`StorySummary`), field by field, in the list's order."""

    ids: list[str]
    titles: list[str]
    first_names: list[str]
    latest_names: list[str]
    latest_ids: list[str]
    counts: array[int]
    words: array[int]

    def summary(self, number: int) -> StorySummary:
        """The summary of story `number`."""
        return StorySummary(
            self.counts[number],
            self.titles[number],
            self.first_names[number],
            self.latest_names[number],
            self.latest_ids[number],
            self.words[number],
        )


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result: the file, its headline, a snippet with the match marked, a score."""

    path: str
    name: str
    title: str
    snippet: str
    score: float
    article_id: str
    #: The record inside its file (a container's article), None for a file that is one.
    record: int | None = None


@dataclass(frozen=True, slots=True)
class TitleMatch:
    """An article found by its headline or file name (for jumping to it)."""

    article_id: str
    name: str
    title: str
    words: int


#: Headline matches looked at when ranking a jump-to-article query (bounds its cost).
TITLE_CANDIDATES = 2000

#: Queries matching more articles than this rank the newest this many (see _ranked_rowids).
BROAD_MATCHES = 5_000

#: Markers around matched words in snippets; the app turns them into highlight styles.
MATCH_START = "\x02"
MATCH_END = "\x03"


def default_index_path(paths: Sequence[Path]) -> Path:
    """The index file for a corpus: in the user's cache folder, keyed by the corpus paths."""
    from platformdirs import user_cache_dir

    key = "\n".join(sorted(os.path.abspath(path) for path in paths)) or "<sample>"
    digest = hashlib.blake2b(os.fsencode(key), digest_size=10).hexdigest()
    return Path(user_cache_dir("newsreader")) / f"corpus-{digest}.sqlite3"


#: `PRAGMA application_id` of our databases ("nwsr"): tells our index from any other file.
APPLICATION_ID = 0x6E777372
_SQLITE_MAGIC = b"SQLite format 3\x00"
#: Tables a usable index has (FTS5 keeps the search text in shadow tables).
_TABLES = frozenset(
    {"meta", "files", "search", "search_data", "search_idx", "search_content", "search_docsize"}
)
#: Seconds to wait for another process that holds the index (two `newsreader index` runs).
BUSY_TIMEOUT = 10.0


def _is_busy(error: sqlite3.Error) -> bool:
    message = str(error).lower()
    return "locked" in message or "busy" in message


def index_file_kind(path: Path) -> str:
    """What is at `path`: `missing`, `ours` (a newsreader index, maybe damaged past its
    header), `ours-old` (one made before indexes carried our application id), `empty`,
    `sqlite` (another program's database), `not-regular`, `broken-link` (a symbolic link
    that leads nowhere, or in a loop) or `other`."""
    try:
        status = os.stat(path)  # a path the user named: a symlink is followed
    except OSError:
        if os.path.islink(path):
            return "broken-link"  # opening would create or delete something we did not make
        return "missing"  # or a folder on the way is not one: opening says why
    if not stat_module.S_ISREG(status.st_mode):
        return "not-regular"
    if status.st_size == 0:
        return "empty"
    with open(path, "rb") as handle:
        header = handle.read(100)
    if not header.startswith(_SQLITE_MAGIC) or len(header) < 100:
        return "other"
    application_id = int.from_bytes(header[68:72], "big")
    if application_id == APPLICATION_ID:
        return "ours"
    if application_id == 0 and _has_schema_marker(path):
        return "ours-old"
    return "sqlite"


def read_only_uri(location: str | Path) -> str:
    """The SQLite URI that opens the database at `location` read-only."""
    return "file:" + urllib.parse.quote(os.path.abspath(location)) + "?mode=ro"


@contextlib.contextmanager
def reading_connection(location: str | Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the index file at `location`, closed when the block ends
    (how worker processes read the index beside the process writing it)."""
    with contextlib.closing(sqlite3.connect(read_only_uri(location), uri=True)) as connection:
        yield connection


def _check_pages_of(location: str | Path) -> None:
    """Read every page of the index file at `location`, on a connection of its own."""
    with reading_connection(location) as connection:
        _read_every_page(connection)


def _read_every_page(connection: sqlite3.Connection) -> None:
    """`PRAGMA quick_check`: damage raises sqlite3.DatabaseError; a database another
    process holds (never to be rebuilt) raises IndexUnavailable."""
    try:
        connection.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as error:
        if _is_busy(error):
            raise IndexUnavailable(str(error)) from error
        raise


def _has_schema_marker(path: Path) -> bool:
    """True when the database at `path` has our tables (`meta` with a schema version,
    `files`, the `search` full-text table), as indexes made before the application id
    have. Read only: nothing is written to a file that may not be ours."""
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT)
        try:
            tables = {
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                )
            }
            row = connection.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'"
            ).fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return False
    return row is not None and {"meta", "files", "search"} <= tables


def check_index_file(path: Path, *, owned: bool = False) -> None:
    """Raise IndexRefused unless `path` may hold our index: missing (it will be made), or
    a newsreader index. With `owned` (our own file in the cache folder) anything but a
    non-regular file is accepted, to be rebuilt."""
    kind = index_file_kind(path)
    if kind == "empty" and not owned:
        kind = _empty_for_a_moment(path)
    if kind == "not-regular":
        raise IndexRefused(f"{path} is not a regular file")
    if kind == "broken-link":
        raise IndexRefused(f"{path} is a symbolic link that leads nowhere; it is left as it is")
    if owned or kind in ("missing", "ours", "ours-old"):
        return
    what = {
        "sqlite": "another program's SQLite database",
        "empty": "an empty file newsreader did not make",
    }
    raise IndexRefused(
        f"{path} is {what.get(kind, 'not a newsreader index')}; it is left as it is "
        "(give --index a new path or an index newsreader made)"
    )


#: How long an empty file named by --index may take to become an index (see below).
EMPTY_INDEX_WAIT = 2.0


def _empty_for_a_moment(path: Path) -> str:
    """SQLite leaves an empty file for an instant while another newsreader creates the
    index there: wait a little for it to become one. An empty file that stays empty (an
    empty article, say) is not ours to replace."""
    deadline = time.monotonic() + EMPTY_INDEX_WAIT
    kind = "empty"
    while kind == "empty" and time.monotonic() < deadline:
        time.sleep(0.1)
        kind = index_file_kind(path)
    return kind


class CorpusIndex:
    """The index database of one corpus."""

    def __init__(self, location: Path | str, *, check_pages: bool = True) -> None:
        self.location = str(location)
        #: Set when the index could not be used as it was (rebuilt, or kept in memory).
        self.notice: str | None = None
        #: Held by whoever reads or writes: the app searches while a worker refreshes.
        self.lock = threading.RLock()
        self._check_on_connect = check_pages
        self.connection = self._open()

    # -- opening -------------------------------------------------------------------

    @classmethod
    def open(
        cls, location: Path | None, *, owned: bool = False, check_pages: bool = True
    ) -> CorpusIndex:
        """Open (or create) the index at `location`, or in memory when None.

        `owned` says the location is ours (the cache folder), so whatever is there may be
        rebuilt; otherwise only a newsreader index is, and anything else raises
        IndexRefused. A folder that cannot be written, or an index another process holds
        longer than BUSY_TIMEOUT, falls back to memory, with a notice. `check_pages` False
        leaves reading every page (`check_pages`) to the caller, for later.
        """
        if location is None:
            return cls(MEMORY)
        check_index_file(location, owned=owned)
        try:
            location.parent.mkdir(parents=True, exist_ok=True)
            return cls(location, check_pages=check_pages)
        except (OSError, IndexUnavailable) as error:
            index = cls(MEMORY)
            index.notice = f"the index could not be kept at {location} ({error}); using memory"
            return index

    def _open(self) -> sqlite3.Connection:
        try:
            connection = self._connect()
            problem = self._problem(connection)
            if problem is not None:
                connection.close()
                self._delete_files()
                self.notice = f"{problem}; rebuilt it"
                connection = self._connect()
            return connection
        except sqlite3.Error as error:
            if self.location == MEMORY or _is_busy(error):
                # Never rebuild an index another process is writing.
                raise IndexUnavailable(str(error)) from error
            if not isinstance(error, sqlite3.DatabaseError):
                raise IndexUnavailable(str(error)) from error
            with contextlib.suppress(NameError, sqlite3.Error):
                connection.close()
            self._delete_files()
            self.notice = f"the index was damaged ({error}); rebuilt it"
            try:
                return self._connect()
            except sqlite3.Error as second:
                raise IndexUnavailable(str(second)) from second

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self.location, check_same_thread=False, isolation_level=None, timeout=BUSY_TIMEOUT
        )
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        if self._check_on_connect:
            connection.execute("PRAGMA quick_check").fetchone()
        if not self._tables(connection):  # a new database: mark it as ours
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            connection.executescript(_SCHEMA)
            connection.execute(
                "INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )
        if not {"read_state", "follow_cache"} <= self._tables(connection):
            # An index that cannot be written keeps working without them (callers of
            # reader.store.read_state handle sqlite3.Error).
            with contextlib.suppress(sqlite3.OperationalError):
                connection.executescript(_FOLLOW_SCHEMA)
        if "story_links" not in self._tables(connection):
            # Without it (an index that cannot be written) stories are shown unlinked.
            with contextlib.suppress(sqlite3.OperationalError):
                connection.executescript(_LINK_SCHEMA)
        if "folders" not in self._tables(connection):
            # Without it (an index that cannot be written) every folder is listed.
            with contextlib.suppress(sqlite3.OperationalError):
                connection.executescript(_FOLDER_SCHEMA)
        if not self._schema_names(connection) >= _LIST_NAMES:
            # Without them (an index that cannot be written) re-opening is slower.
            with contextlib.suppress(sqlite3.OperationalError):
                connection.executescript(_LIST_SCHEMA)
        if "story_list" not in self._tables(connection):
            with contextlib.suppress(sqlite3.OperationalError):
                connection.executescript(_STORY_LIST_SCHEMA)
        return connection

    @staticmethod
    def _schema_names(connection: sqlite3.Connection) -> set[str]:
        return {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}

    @staticmethod
    def _tables(connection: sqlite3.Connection) -> set[str]:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows}

    def _problem(self, connection: sqlite3.Connection) -> str | None:
        """Why an existing database cannot be used as it is, or None when it can."""
        version = self._schema_version(connection)
        markers = (
            connection.execute("PRAGMA application_id").fetchone()[0],
            connection.execute("PRAGMA user_version").fetchone()[0],
        )
        if version != SCHEMA_VERSION or markers != (APPLICATION_ID, SCHEMA_VERSION):
            return "the index was made by another version of newsreader, or damaged"
        missing = _TABLES - self._tables(connection)
        if missing:
            return f"the index was damaged (no {', '.join(sorted(missing))} table)"
        return None

    @staticmethod
    def _schema_version(connection: sqlite3.Connection) -> int | None:
        try:
            row = connection.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'"
            ).fetchone()
        except sqlite3.OperationalError:
            return None
        try:
            return int(row[0]) if row else None
        except (TypeError, ValueError):
            return None

    @contextlib.contextmanager
    def pages_checked_meanwhile(self) -> Iterator[None]:
        """`check_pages`, on a connection of its own in a thread, while the block works
        (for an index opened with `check_pages=False`): a re-scan of a million unchanged
        files spent a third of its time reading every page first. Damage found is raised
        as the block ends (whoever opened the index rebuilds it and works again)."""
        if self.location == MEMORY:
            yield
            return
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as thread:
            checked = thread.submit(_check_pages_of, self.location)
            yield
            checked.result()

    def check_pages(self) -> None:
        """Read every page of the database (`PRAGMA quick_check`), as opening does unless
        told not to: at 100,000 files that takes a second, so re-opening shows the stories
        kept first and checks after. A damaged index is rebuilt, with a notice."""
        with self.lock:
            try:
                _read_every_page(self.connection)
            except sqlite3.DatabaseError as error:
                if self.location == MEMORY:
                    raise IndexUnavailable(str(error)) from error
                self.rebuild(str(error))

    def rebuild(self, reason: str) -> None:
        """Start again from an empty index after its content proved damaged."""
        if self.location == MEMORY:
            raise IndexUnavailable(reason)
        with contextlib.suppress(sqlite3.Error):
            self.connection.close()
        self._delete_files()
        self.connection = self._connect()
        self.notice = f"the index was damaged ({reason}); rebuilt it"

    def _delete_files(self) -> None:
        # Only ever our own index: open() refused any other file before we got here.
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(self.location + suffix)

    def close(self) -> None:
        self.connection.close()

    # -- files ---------------------------------------------------------------------

    def stored_files(self) -> dict[str, StoredFile]:
        """Every file the index knows, by path."""
        rows = self.connection.execute(
            "SELECT path, rowid, size, mtime_ns, digest FROM files ORDER BY rowid"
        )
        found: dict[str, StoredFile] = {}
        for path, rowid, size, mtime, digest in rows:
            name = from_db_text(path)
            known = found.get(name)
            if known is None:
                found[name] = StoredFile(rowid, size, mtime, digest, (rowid,))
            else:  # another record of a container: the file's values are the same
                found[name] = StoredFile(
                    known.rowid, size, mtime, known.digest or digest, (*known.rowids, rowid)
                )
        return found

    def file_states(self) -> dict[str, tuple[int, int]]:
        """Every file the index knows (path -> size, modification time in ns): what tells
        whether a file changed, loaded in one pass (a container's records share them)."""
        rows = self.connection.execute("SELECT path, size, mtime_ns FROM files")
        return {
            (path if isinstance(path, str) else os.fsdecode(path)): (size, mtime_ns)
            for path, size, mtime_ns in rows
        }

    def stored_file(self, location: str) -> StoredFile | None:
        """What the index remembers of the file at `location`, if anything."""
        rows = self.connection.execute(
            "SELECT rowid, size, mtime_ns, digest FROM files WHERE path = ? ORDER BY rowid",
            (to_db_text(location),),
        ).fetchall()
        if not rows:
            return None
        rowid, size, mtime_ns, _ = rows[0]
        digest = next((row[3] for row in rows if row[3]), None)
        return StoredFile(rowid, size, mtime_ns, digest, tuple(row[0] for row in rows))

    def rowids_of(self, locations: Sequence[str]) -> list[int]:
        """The rows of the files at `locations`."""
        found: list[int] = []
        for start in range(0, len(locations), 900):
            part = [to_db_text(location) for location in locations[start : start + 900]]
            marks = ",".join("?" * len(part))
            rows = self.connection.execute(
                f"SELECT rowid FROM files WHERE path IN ({marks}) ORDER BY rowid", part
            )
            found.extend(rowid for (rowid,) in rows)
        return found

    def folder_listings(self) -> dict[str, FolderListing]:
        """The folders' listings the last walk left (folder path -> listing)."""
        try:
            rows = self.connection.execute(
                "SELECT path, inode, mtime_ns, ctime_ns, files, folders FROM folders"
            ).fetchall()
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):
                return {}  # an index that could not be given the table: list every folder
            raise
        return {
            os.fsdecode(path): FolderListing(
                (inode, mtime_ns, ctime_ns), _names(files), _names(folders)
            )
            for path, inode, mtime_ns, ctime_ns, files, folders in rows
        }

    def put_folder_listings(
        self, listings: Mapping[str, FolderListing], before: Mapping[str, FolderListing]
    ) -> None:
        """Keep `listings` for the next walk in place of `before` (what folder_listings
        gave): only the folders whose listing changed are written."""
        gone = [(os.fsencode(path),) for path in before.keys() - listings.keys()]
        changed = [
            (
                os.fsencode(path),
                listing.stamp[0],
                listing.stamp[1],
                listing.stamp[2],
                os.fsencode("/".join(listing.files)),
                os.fsencode("/".join(listing.folders)),
            )
            for path, listing in listings.items()
            if before.get(path) != listing
        ]
        if not gone and not changed:
            return
        self.connection.executemany("DELETE FROM folders WHERE path = ?", gone)
        self.connection.executemany(
            "INSERT OR REPLACE INTO folders VALUES (?, ?, ?, ?, ?, ?)", changed
        )

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Commit what the block wrote, all or nothing (an interrupted refresh keeps the
        files it finished and re-reads the rest next time)."""
        self.connection.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    def remove(self, rowids: Iterable[int]) -> None:
        rows = [(rowid,) for rowid in rowids]
        self.connection.executemany("DELETE FROM files WHERE rowid = ?", rows)
        self.connection.executemany("DELETE FROM signatures WHERE rowid = ?", rows)
        self.connection.executemany("DELETE FROM search WHERE rowid = ?", rows)

    def touch(self, changes: Iterable[tuple[int, int, int]]) -> None:
        """Record new sizes and modification times (rowid, size, mtime_ns) of files whose
        content did not change."""
        self.connection.executemany(
            "UPDATE files SET size = ?, mtime_ns = ? WHERE rowid = ?",
            [(size, mtime_ns, rowid) for rowid, size, mtime_ns in changes],
        )

    def put_skipped(self, skip: SkippedFile, size: int, mtime_ns: int) -> None:
        self._delete_path(str(skip.path))
        self._insert_skipped(skip, size, mtime_ns)

    def _insert_skipped(self, skip: SkippedFile, size: int, mtime_ns: int) -> None:
        self.connection.execute(
            "INSERT INTO files (path, name, size, mtime_ns, skipped) VALUES (?, ?, ?, ?, ?)",
            (to_db_text(str(skip.path)), to_db_text(skip.name), size, mtime_ns, skip.reason),
        )

    def _delete_path(self, path: str) -> None:
        rows = self.connection.execute(
            "SELECT rowid FROM files WHERE path = ?", (to_db_text(path),)
        ).fetchall()
        if rows:
            self.remove([row[0] for row in rows])

    def put_files(self, files: Sequence[FileRows]) -> list[int]:
        """Store what reading files gave, each in place of what the index held for it: its
        articles (rows made by `article_rows`) and the records that failed. Returns the
        articles' row ids, in order.

        The rows come ready from the workers, so that storing (which one process does for
        all of them) is three `executemany` calls a chunk of files.
        """
        for file in files:
            self._delete_path(file.location)
            for problem in file.problems:
                self._insert_skipped(problem, file.size, file.mtime_ns)
        # the ids SQLite would give one at a time: one more than the largest (this
        # connection is the only writer, inside the caller's transaction)
        largest = self.connection.execute("SELECT max(rowid) FROM files").fetchone()[0]
        stored = [rows for file in files for rows in file.articles]
        rowids = range((largest or 0) + 1, (largest or 0) + 1 + len(stored))
        self.connection.executemany(
            _INSERT_FILE,
            [(rowid, *rows.file) for rowid, rows in zip(rowids, stored, strict=True)],
        )
        self.connection.executemany(
            "INSERT INTO signatures VALUES (?, ?, ?, ?)",
            [(rowid, *rows.signature) for rowid, rows in zip(rowids, stored, strict=True)],
        )
        self.connection.executemany(
            "INSERT INTO search (rowid, headline, body) VALUES (?, ?, ?)",
            [(rowid, *rows.search) for rowid, rows in zip(rowids, stored, strict=True)],
        )
        return list(rowids)

    # -- reading back --------------------------------------------------------------

    def articles(
        self, paths: dict[str, Path] | None = None
    ) -> list[tuple[int, Article, str | None]]:
        """Every article (without paragraphs) with its row id and story id.

        `paths` (location -> Path) lends Path objects already made, which saves making
        100,000 of them again.
        """
        known = paths or {}
        rows = self.connection.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM files WHERE skipped IS NULL"
        )
        if not known:  # re-opening: 100,000 rows, each made into an article as cheaply as can be
            return [(row[0], _article_from_row(row), row[18]) for row in rows]
        return [
            (row[0], _article_from_row(row, known.get(from_db_text(row[1]))), row[18])
            for row in rows
        ]

    def articles_of(self, rowids: Sequence[int]) -> dict[int, Article]:
        """Some articles (without paragraphs), by row id."""
        found: dict[int, Article] = {}
        for start in range(0, len(rowids), 900):
            part = list(rowids[start : start + 900])
            rows = self.connection.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM files"
                f" WHERE rowid IN ({','.join('?' * len(part))})",
                part,
            )
            found.update((row[0], _article_from_row(row)) for row in rows)
        return found

    def articles_with_story(self, rowids: Sequence[int]) -> dict[int, tuple[Article, str]]:
        """Some articles (without paragraphs) with their story id (the article's own id
        when not grouped), by row id."""
        return articles_with_story(self.connection, rowids)

    def article_ids(self, rowids: Sequence[int]) -> dict[int, str]:
        """The article ids of some rows."""
        found: dict[int, str] = {}
        for start in range(0, len(rowids), 900):
            part = list(rowids[start : start + 900])
            rows = self.connection.execute(
                f"SELECT rowid, article_id FROM files WHERE rowid IN ({','.join('?' * len(part))})",
                part,
            )
            found.update(rows)
        return found

    def stories_of_rows(self) -> dict[int, tuple[str | None, str | None]]:
        """Each article's story (None before grouping) and story key (metadata)."""
        rows = self.connection.execute(
            "SELECT rowid, story, json_extract(meta, '$.story_key') FROM files"
            " WHERE skipped IS NULL"
        )
        return {rowid: (story, key) for rowid, story, key in rows}

    def counts(self) -> tuple[int, int]:
        """How many articles and stories the index holds (an article not yet grouped is a
        story of its own)."""
        articles, grouped, ungrouped = self.connection.execute(
            "SELECT count(*), count(DISTINCT story), count(*) - count(story) FROM files"
            " WHERE skipped IS NULL"
        ).fetchone()
        return int(articles), int(grouped) + int(ungrouped)

    def article_count(self) -> int:
        """How many articles the index holds."""
        query = "SELECT count(*) FROM files WHERE skipped IS NULL"
        return int(self.connection.execute(query).fetchone()[0])

    def rows_at_most(self) -> int:
        """An upper bound of the articles the index holds, at once (the largest row id;
        counting them reads every row: half a minute at a million)."""
        return int(self.connection.execute("SELECT max(rowid) FROM files").fetchone()[0] or 0)

    def signature_rows(self) -> list[int]:
        """The rows holding a signature (every article read), in order."""
        return [rowid for (rowid,) in self.connection.execute("SELECT rowid FROM signatures")]

    def rows_with_story(self) -> list[int]:
        """The rows of articles assigned to a story."""
        query = "SELECT rowid FROM files WHERE skipped IS NULL AND story IS NOT NULL"
        return [rowid for (rowid,) in self.connection.execute(query)]

    def rows_without_story(self) -> list[int]:
        """The rows of articles not yet assigned to a story."""
        query = "SELECT rowid FROM files WHERE skipped IS NULL AND story IS NULL"
        return [rowid for (rowid,) in self.connection.execute(query)]

    def count_without_story(self) -> int:
        """Articles not yet assigned to a story."""
        query = "SELECT count(*) FROM files WHERE skipped IS NULL AND story IS NULL"
        return int(self.connection.execute(query).fetchone()[0])

    def list_order(self) -> ListOrder | None:
        """The order of the story list as `put_list_order` kept it, if any."""
        try:
            row = self.connection.execute(
                "SELECT rowids, story_starts, by_name FROM list_order"
            ).fetchone()
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):
                return None  # an index that could not be given the table
            raise
        try:
            return ListOrder(*(_integers(value) for value in row)) if row is not None else None
        except (TypeError, ValueError):
            return None  # damaged: it is made again, as for an index that did not keep one

    def put_list_order(
        self, order: ListOrder | None, stories: Sequence[tuple[str, StorySummary]] = ()
    ) -> None:
        """Keep the order of the story list (None: forget it, as the rows changed), and
        what it shows of each story (story id, summary), one per story in its order: with
        them re-opening lists the stories without loading their articles."""
        self.forget_story_list()
        if order is None:
            self.connection.execute("DELETE FROM list_order")
            return
        self.connection.execute(
            "INSERT OR REPLACE INTO list_order VALUES (1, ?, ?, ?)",
            (order.rowids.tobytes(), order.story_starts.tobytes(), order.by_name.tobytes()),
        )
        if stories and len(stories) == len(order.story_starts):
            self.put_story_list(stories)

    def put_story_list(self, stories: Sequence[tuple[str, StorySummary]]) -> None:
        """Keep what the list shows of each story, in the order kept (`put_list_order`)."""
        self.connection.execute(_ARTICLE_ID_INDEX)
        self.connection.execute(_NOTED_INDEX)

        def column(values: Iterable[str]) -> str:
            # ASCII: a name that is not Unicode (lone surrogates) is kept as escapes
            return json.dumps(list(values), ensure_ascii=True)

        summaries = [summary for _, summary in stories]
        self.connection.execute(
            "INSERT OR REPLACE INTO story_list VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
            (
                column(story for story, _ in stories),
                column(summary.title for summary in summaries),
                column(summary.first_name for summary in summaries),
                column(summary.latest_name for summary in summaries),
                column(summary.latest_id for summary in summaries),
                array("q", (summary.count for summary in summaries)).tobytes(),
                array("q", (summary.latest_words for summary in summaries)).tobytes(),
            ),
        )

    def story_list(self) -> StoryColumns | None:
        """What `put_story_list` kept; None when nothing was kept (an index made before
        it, or a list order kept without it). Raises ValueError or TypeError when damaged."""
        try:
            row = self.connection.execute(
                "SELECT stories, titles, first_names, latest_names, latest_ids, counts, words"
                " FROM story_list"
            ).fetchone()
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):
                return None
            raise
        if row is None:
            return None
        texts = [json.loads(value) for value in row[:5]]
        ids, titles, first_names, latest_names, latest_ids = texts
        columns = StoryColumns(
            ids, titles, first_names, latest_names, latest_ids, _integers(row[5]), _integers(row[6])
        )
        count = len(columns.ids)
        for values in (*texts, columns.counts, columns.words):
            if len(values) != count:
                raise ValueError("a damaged story list: columns of different lengths")
        for values in texts:
            if not isinstance(values, list) or not set(map(type, values)) <= {str}:
                raise ValueError("a damaged story list: not names")
        return columns

    def forget_story_list(self) -> None:
        """Drop the kept story list (the articles or their stories are changing): until the
        list is kept again, re-opening makes it from the articles, which checks the order."""
        with contextlib.suppress(sqlite3.OperationalError):  # an index made before it
            self.connection.execute("DELETE FROM story_list")

    def has_story_list(self) -> bool:
        """Whether the story list is kept beside the list order."""
        with contextlib.suppress(sqlite3.OperationalError):
            row = self.connection.execute("SELECT 1 FROM story_list").fetchone()
            return row is not None
        return False

    def skipped(self) -> list[SkippedFile]:
        rows = self.connection.execute(
            "SELECT path, name, skipped FROM files WHERE skipped IS NOT NULL"
        )
        return [
            SkippedFile(Path(from_db_text(path)), from_db_text(name), reason)
            for path, name, reason in rows
        ]

    def signatures(self, rowids: Sequence[int]) -> dict[int, Signature]:
        """The grouping signatures of some rows (KeyError when one is not in the index)."""
        return stored_signatures(self.connection, rowids)

    def put_grouping(self, stories: Mapping[int, str], *, others_alone: bool = False) -> None:
        """Record each row's story; `others_alone`: every other article is a story of its
        own (named after it), as a full grouping leaves most of them.

        When most rows change (a full grouping), the indexes that hold the story are
        dropped first and made again after: made anew, sorted once, they cost a few
        seconds at a million rows, where keeping them up to date row by row cost minutes.
        """
        rebuild = self._rows() >= REBUILD_STORY_INDEXES and (
            others_alone or 2 * len(stories) >= self._rows()
        )
        if rebuild:
            self.drop_story_indexes()
        if others_alone:
            self.connection.execute("UPDATE files SET story = article_id WHERE skipped IS NULL")
        self.connection.executemany(
            "UPDATE files SET story = ? WHERE rowid = ?",
            [(story, rowid) for rowid, story in stories.items()],
        )
        for statement in _STORY_INDEX_STATEMENTS:  # also those a large read dropped
            self.connection.execute(statement)

    def drop_story_indexes(self) -> None:
        """Drop the indexes holding stories before reading most of a large corpus: each
        article read would be put in them only to be moved when its story is written
        (`put_grouping` makes them again; so does opening, should reading be stopped)."""
        for name in _STORY_INDEXES:
            self.connection.execute(f"DROP INDEX IF EXISTS {name}")

    def _rows(self) -> int:
        return int(self.connection.execute("SELECT max(rowid) FROM files").fetchone()[0] or 0)

    def get_meta(self, key: str) -> str | None:
        row = self.connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.connection.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- search --------------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Articles matching `query` (words, "phrases", prefix*), best first (bm25)."""
        match = fts_query(query)
        if not match:
            return []
        with self.lock:
            return self._search(match, limit)

    def find_titles(self, text: str, limit: int = 20) -> list[TitleMatch]:
        """Articles whose headline has a word starting with each word of `text` (those
        where more of them are whole words, then shorter headlines, first), then those
        whose file name contains `text`. Looks at no more than TITLE_CANDIDATES headline
        matches, so a one-letter query costs no more than a long one."""
        words = _fts_words(text)
        if not words:
            return []
        match = "{headline} : (" + " AND ".join(f'"{word}"*' for word in words) + ")"
        wanted = {word.casefold() for word in words}
        with self.lock:
            rows = self.connection.execute(
                "SELECT files.article_id, files.name, files.headline, files.words"
                " FROM search JOIN files ON files.rowid = search.rowid"
                " WHERE search MATCH ? LIMIT ?",
                (match, TITLE_CANDIDATES),
            ).fetchall()
            rows.sort(key=lambda row: _title_rank(row[2] or "", wanted))
            found = [
                TitleMatch(row[0], from_db_text(row[1]), row[2] or from_db_text(row[1]), row[3])
                for row in rows[:limit]
            ]
            if len(found) < limit:
                escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                seen = {title.article_id for title in found}
                for article_id, name, title, count in self.connection.execute(
                    "SELECT article_id, name, headline, words FROM files"
                    " WHERE skipped IS NULL AND name LIKE ? ESCAPE '\\' LIMIT ?",
                    (f"%{escaped}%", limit),
                ):
                    if article_id not in seen and len(found) < limit:
                        shown = from_db_text(name)
                        found.append(TitleMatch(article_id, shown, title or shown, count))
        return found

    def _search(self, match: str, limit: int) -> list[SearchHit]:
        ranked = self._ranked_rowids(match, limit)
        if not ranked:
            return []
        marks = ",".join("?" * len(ranked))
        rows = self.connection.execute(
            "SELECT search.rowid, files.path, files.name, files.headline,"
            " snippet(search, 1, ?, ?, '…', 14), files.article_id, files.record"
            f" FROM search JOIN files ON files.rowid = search.rowid"
            f" WHERE search MATCH ? AND search.rowid IN ({marks})",
            (MATCH_START, MATCH_END, match, *ranked),
        )
        found = {row[0]: row[1:] for row in rows}
        hits = []
        for rowid, score in ranked.items():
            path, name, title, snippet, article_id, record = found[rowid]
            path, name = from_db_text(path), from_db_text(name)
            hits.append(SearchHit(path, name, title or name, snippet, score, article_id, record))
        return hits

    def _ranked_rowids(self, match: str, limit: int) -> dict[int, float]:
        """The best `limit` matches (row id -> score), ranked by bm25, headline weighted 4x.

        Ranking costs time for every matching article; a query matching more than
        BROAD_MATCHES of them ranks the newest BROAD_MATCHES (the latest files read):
        at a million articles that keeps a word most of them hold under 30 ms, where
        ranking every match, or first those with the word in their headline (a column
        filter reads the word's every occurrence), took over 100.
        """
        if self._matches_up_to(match, BROAD_MATCHES) <= BROAD_MATCHES:
            return self._ranked(match, limit)
        oldest = self.connection.execute(
            "SELECT rowid FROM search WHERE search MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            (match, BROAD_MATCHES - 1),
        ).fetchone()[0]
        return self._ranked(match, limit, since=oldest)

    def _matches_up_to(self, match: str, most: int) -> int:
        """How many articles match, counted no further than `most` + 1."""
        return int(
            self.connection.execute(
                "SELECT count(*) FROM (SELECT rowid FROM search WHERE search MATCH ? LIMIT ?)",
                (match, most + 1),
            ).fetchone()[0]
        )

    def _ranked(self, match: str, limit: int, since: int = 0) -> dict[int, float]:
        """The best `limit` matches from row `since` on."""
        rows = self.connection.execute(
            "SELECT rowid, bm25(search, 4.0, 1.0) FROM search WHERE search MATCH ?"
            " AND rowid >= ? ORDER BY bm25(search, 4.0, 1.0) LIMIT ?",
            (match, since, limit),
        )
        return {rowid: round(-score, 6) for rowid, score in rows}


def articles_with_story(
    connection: sqlite3.Connection, rowids: Sequence[int]
) -> dict[int, tuple[Article, str]]:
    """Some articles (without paragraphs) with their story id (the article's own id when not
    grouped), by row id, read through `connection` (the index's, or a reader's)."""
    found: dict[int, tuple[Article, str]] = {}
    for start in range(0, len(rowids), 900):
        part = list(rowids[start : start + 900])
        rows = connection.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM files"
            f" WHERE skipped IS NULL AND rowid IN ({','.join('?' * len(part))})",
            part,
        )
        for row in rows:
            article = _article_from_row(row)
            found[row[0]] = (article, row[18] or article.id)
    return found


class IndexReader:
    """Reads an index while a refresh holds it: a second, read-only connection to an index
    file (WAL lets readers work beside the one writer, so loading a story's versions never
    waits for a re-scan that takes half a minute), or the index's own connection and lock
    for an index in memory. What it reads is what was last committed."""

    def __init__(self, index: CorpusIndex) -> None:
        self.lock: contextlib.AbstractContextManager[object]
        if index.location == MEMORY:
            self.connection = index.connection
            self.lock = index.lock
            return
        self.connection = sqlite3.connect(
            read_only_uri(index.location), uri=True, check_same_thread=False, timeout=BUSY_TIMEOUT
        )
        self.lock = threading.Lock()

    def articles_with_story(self, rowids: Sequence[int]) -> dict[int, tuple[Article, str]]:
        """As `CorpusIndex.articles_with_story`."""
        with self.lock:
            return articles_with_story(self.connection, rowids)

    def articles_of_story(self, story: str) -> list[Article]:
        """The articles of the story with this id as the index holds them now (the story's
        own article when it is not grouped), in no particular order."""
        with self.lock:
            rows = self.connection.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM files WHERE story = ? AND skipped IS NULL",
                (story,),
            ).fetchall()
            if not rows:
                rows = self.connection.execute(
                    f"SELECT {_ARTICLE_COLUMNS} FROM files"
                    " WHERE article_id = ? AND story IS NULL AND skipped IS NULL",
                    (story,),
                ).fetchall()
        return [_article_from_row(row) for row in rows]

    def rowids_of_article(self, article_id: str) -> list[int]:
        """The rows holding the article with this id (one, unless the index is changing)."""
        with self.lock:
            rows = self.connection.execute(
                "SELECT rowid FROM files WHERE article_id = ? AND skipped IS NULL", (article_id,)
            ).fetchall()
        return [rowid for (rowid,) in rows]

    def noted_rowids(self) -> list[int]:
        """The rows of the articles read with a caveat (their notes are not empty)."""
        query = "SELECT rowid FROM files {} WHERE skipped IS NULL AND notes != ''"
        with self.lock:
            try:  # the planner would scan the list's covering index: a second at a million
                rows = self.connection.execute(query.format("INDEXED BY files_noted")).fetchall()
            except sqlite3.OperationalError:  # kept by an index that could not be given it
                rows = self.connection.execute(query.format("")).fetchall()
        return [rowid for (rowid,) in rows]


def _title_rank(headline: str, wanted: set[str]) -> tuple[int, int]:
    """Headlines holding more of the wanted words whole come first, then shorter ones."""
    return -len(wanted & set(_fts_words(headline.casefold()))), len(headline)


#: The columns of an article's `files` row that `article_rows` fills, in its order.
_FILE_COLUMN_NAMES = (
    "path", "name", "size", "mtime_ns", "article_id", "digest", "headline",
    "headline_from_lede", "markers", "dateline", "byline", "words", "filed", "mtime",
    "encoding", "encoding_fallback", "truncated", "notes", "record", "offset", "meta",
)  # fmt: skip
_INSERT_FILE = (
    f"INSERT INTO files (rowid, {', '.join(_FILE_COLUMN_NAMES)})"
    f" VALUES (?{', ?' * len(_FILE_COLUMN_NAMES)})"
)


class ArticleRows(NamedTuple):
    """One article as the index stores it, less its row id: its `files` row (the columns
    of `_FILE_COLUMN_NAMES`), its `signatures` row and its `search` row (headline, body)."""

    file: tuple[Any, ...]
    signature: tuple[bytes, bytes, str]
    search: tuple[str, str]


@plain_pickling
@dataclass(frozen=True, slots=True)
class FileRows:
    """What reading one file gave, as the index stores it (`CorpusIndex.put_files`): its
    location, its articles' rows, the records that failed, its size and modification time."""

    location: str
    articles: list[ArticleRows]
    problems: list[SkippedFile]
    size: int
    mtime_ns: int


def article_rows(article: Article, signature: Signature, mtime_ns: int, body: str) -> ArticleRows:
    """The rows that store an article (without paragraphs; `body` is its searchable text).
    Plain values only: workers make them, and the process that stores them only inserts."""
    parsed = article.parsed
    dateline = parsed.dateline
    return ArticleRows(
        (
            to_db_text(str(article.path)),
            to_db_text(article.name),
            article.size,
            mtime_ns,
            article.id,
            article.digest,
            parsed.headline,
            int(parsed.headline_from_lede),
            _join(parsed.version_markers),
            _join([dateline.text, dateline.place, dateline.date or "", dateline.agency or ""])
            if dateline
            else None,
            parsed.byline,
            parsed.words,
            parsed.filed.isoformat() if parsed.filed else None,
            article.mtime,
            article.encoding,
            int(article.encoding_fallback),
            int(article.truncated),
            _join(article.notes),
            article.record,
            article.offset,
            meta_to_json(article.meta),
        ),
        (signature.shingles.tobytes(), signature.lede_blob(), signature.facts_json()),
        (_without_match_marks(parsed.headline), _without_match_marks(body)),
    )


def _without_match_marks(text: str) -> str:
    """`text` for full-text search: a file holding our snippet markers cannot fake a match.
    (Two replaces, not `str.translate`: its table lookups took 0.1 ms an article, a
    quarter of storing one.)"""
    return text.replace(MATCH_START, "␂").replace(MATCH_END, "␃")


def to_db_text(text: str) -> str | bytes:
    """A path or file name as stored: text, or its bytes when it is not valid Unicode.

    Python keeps the bytes of a file name that is not UTF-8 as lone surrogates, which
    SQLite cannot store as text; such a name is stored as the bytes it has on disk.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text)
    return text


def from_db_text(value: str | bytes) -> str:
    """A path or file name as `to_db_text` stored it, back as Python names it."""
    return os.fsdecode(value) if isinstance(value, bytes) else value


#: Rows asked for in one query (SQLite allows 32,766 parameters; fewer keep plans simple).
_QUERY_ROWS = 900


def stored_signatures(
    connection: sqlite3.Connection, rowids: Sequence[int]
) -> dict[int, Signature]:
    """The grouping signatures of some rows, read through `connection` (KeyError when one
    is not in the index)."""
    found: dict[int, Signature] = {}
    for start in range(0, len(rowids), _QUERY_ROWS):
        part = list(rowids[start : start + _QUERY_ROWS])
        marks = ",".join("?" * len(part))
        rows = connection.execute(
            f"SELECT rowid, shingles, lede, facts FROM signatures WHERE rowid IN ({marks})", part
        )
        for rowid, shingles, lede, facts in rows:
            found[rowid] = Signature.stored(shingles, lede, facts)
    if len(found) < len(set(rowids)):
        missing = len(set(rowids) - found.keys())
        raise KeyError(f"{missing} articles are no longer in the index")
    return found


def fts_query(query: str) -> str:
    """A user's query as an FTS5 query: each word must match (prefix with `*`), quoted
    phrases kept; FTS5 syntax characters in words are neutralised."""
    terms = []
    for number, part in enumerate(query.split('"')):
        if number % 2:  # inside quotes: a phrase
            words = _fts_words(part)
            if words:
                terms.append('"' + " ".join(words) + '"')
            continue
        for word in part.split():
            prefix = word.endswith("*")
            for token in _fts_words(word):
                terms.append(f'"{token}"' + ("*" if prefix else ""))
    return " AND ".join(terms)


def _fts_words(text: str) -> list[str]:
    return [word for word in "".join(c if c.isalnum() else " " for c in text).split() if word]


_SEPARATOR = "\x1f"  # the ASCII unit separator never occurs in parsed text fields


def _join(values: Sequence[str]) -> str:
    return _SEPARATOR.join(values)


def _integers(value: bytes) -> array[int]:
    """64-bit integers as `ListOrder` stores them (raises ValueError or TypeError when
    damaged)."""
    numbers = array("q")
    numbers.frombytes(value)
    return numbers


def _names(value: bytes) -> tuple[str, ...]:
    return tuple(os.fsdecode(value).split("/")) if value else ()


@functools.lru_cache(maxsize=65_536)
def _dateline(value: str) -> Dateline:  # the versions of a story share one: made once
    text, place, date, agency = value.split(_SEPARATOR)
    return Dateline(text, place, date or None, agency or None)


#: The concrete Path class of this system (PosixPath or WindowsPath): made directly, a path
#: skips Path's choosing it each time.
_PATH = type(Path())


#: The columns `_article_from_row` reads, in its order.
_ARTICLE_COLUMNS = (
    "rowid, path, name, size, article_id, digest, headline, headline_from_lede, markers,"
    " dateline, byline, words, filed, mtime, encoding, encoding_fallback, truncated, notes,"
    " story, record, offset, meta"
)


def _article_from_row(row: tuple[Any, ...], path_object: Path | None = None) -> Article:
    # Called 100,000 times when a large corpus is re-opened: arguments by position, and
    # the helpers' common cases (an empty field, a name that is text) inline.
    (_, path, name, size, article_id, digest, headline, from_lede, markers, dateline, byline,
     words, filed, mtime, encoding, fallback, truncated, notes, _story, record, offset,
     meta) = row  # fmt: skip
    parsed = ParsedText(
        headline,
        from_lede == 1,
        tuple(markers.split(_SEPARATOR)) if markers else (),
        _dateline(dateline) if dateline else None,
        byline,
        (),
        words,
        datetime.fromisoformat(filed) if filed else None,
    )
    return Article(
        article_id,
        path_object or _PATH(path if type(path) is str else os.fsdecode(path)),
        name if type(name) is str else os.fsdecode(name),
        parsed,
        size,
        mtime,
        encoding,
        fallback == 1,
        truncated == 1,
        tuple(notes.split(_SEPARATOR)) if notes else (),
        False,  # body_loaded
        digest,
        record,
        offset,
        meta_from_json(meta) if meta is not None else None,
    )


_META_TIMES = ("version_time", "first_created", "captured")


def meta_to_json(meta: ArticleMeta | None) -> str | None:
    """An article's format metadata as stored (JSON), None for a plain text file."""
    if meta is None:
        return None
    document: dict[str, Any] = {}
    for name in ArticleMeta.__dataclass_fields__:
        value = getattr(meta, name)
        if isinstance(value, datetime):
            value = value.isoformat()
        if value is not None and value != ():
            document[name] = value
    return json.dumps(document, ensure_ascii=False)


def meta_from_json(value: str | None) -> ArticleMeta | None:
    """The metadata `meta_to_json` stored (raises ValueError or TypeError when damaged)."""
    if value is None:
        return None
    document = json.loads(value)
    for name in _META_TIMES:
        if name in document:
            document[name] = datetime.fromisoformat(document[name])
    document["field_map"] = tuple(tuple(pair) for pair in document.get("field_map", ()))
    return ArticleMeta(**document)
