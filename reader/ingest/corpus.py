"""Find article files, read them (never writing), and parse them into a Corpus."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import re
import stat as stat_module
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import BinaryIO

from reader.ingest.article import Article, parse_article_text
from reader.ingest.decode import NotText, decode_article_bytes
from reader.ingest.pickling import plain_pickling
from reader.text.safe_text import safe_line

#: Only this much of a file is read; a longer one is shown truncated, with a notice.
MAX_ARTICLE_BYTES = 2 * 1024 * 1024

#: Called with (files done, files in all); what it returns is ignored.
ProgressCallback = Callable[[int, int], object]


class CorpusError(Exception):
    """A path the user named cannot be opened at all (missing, unreadable)."""


@plain_pickling
@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file that is not in the corpus, and why."""

    path: Path
    name: str
    reason: str


@dataclass(slots=True)
class Corpus:
    """The articles found under the paths the user opened, in natural file-name order."""

    name: str
    #: A list, or (a corpus listed from its index) a sequence reading each from the index.
    articles: Sequence[Article] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.articles)


@dataclass(frozen=True, slots=True)
class CorpusFile:
    """A file found under one of the opened paths, with the name to show for it."""

    path: Path
    name: str
    #: str(path), kept: a large corpus compares and looks up paths as strings many times.
    location: str = ""

    def __post_init__(self) -> None:
        if not self.location:
            object.__setattr__(self, "location", str(self.path))


@lru_cache(maxsize=65_536)
def natural_key(text: str) -> str:
    """Sort key that puts `2_x` before `10_x`: the text, case folded, with each run of
    digits compared as a number (and before letters).

    One string, not a tuple of parts: sorting a million names made a million tuples of
    tuples, most of a gigabyte that Python kept after the sort. A number is written as
    its length and its digits (leading zeros dropped), so that comparing the strings
    compares the numbers; each part is opened by a mark below any other character.
    """
    parts = _DIGIT_RUNS_RE.split(text.casefold())  # text, digits, text, ... digits, text
    return "".join(
        _number_key(part) if odd else f"\x02{part}"
        for odd, part in zip(itertools.cycle((False, True)), parts, strict=False)
        if part
    )


def _number_key(digits: str) -> str:
    """A run of digits (any script's) as its length and value, so that strings compare as
    the numbers do."""
    value = str(int(digits)) if len(digits) < 4000 else digits.lstrip("0")  # int's limit
    return f"\x01{chr(len(value) + 1)}{value}"


_DIGIT_RUNS_RE = re.compile(r"(\d+)")


def sample_corpus_path() -> Path:
    """The folder of the built-in sample corpus shipped inside the package."""
    return Path(str(resources.files("reader") / "sample"))


def check_paths(paths: Iterable[Path]) -> None:
    """Raise CorpusError for the first path that does not exist or cannot be read."""
    for path in paths:
        if not path.exists():
            raise CorpusError(f"{path}: no such file or directory")
        readable = os.access(path, os.R_OK | (os.X_OK if path.is_dir() else 0))
        if not readable:
            raise CorpusError(f"{path}: permission denied")


def corpus_name(paths: Sequence[Path]) -> str:
    """A short name for the corpus, for the header."""
    if not paths:
        return "sample"
    if len(paths) == 1:
        return paths[0].resolve().name or str(paths[0])
    return f"{len(paths)} paths"


#: Why a symbolic link met inside a folder is not read.
SYMLINK_NOT_FOLLOWED = "symbolic link, not followed (--follow follows links)"
#: Why a folder reached again through symbolic links is not read twice.
SYMLINK_LOOP = "symbolic link loop: this folder is read once"


def discover_files(
    paths: Sequence[Path], skipped: list[SkippedFile] | None = None, *, follow: bool = False
) -> list[CorpusFile]:
    """Article files under `paths`, in natural order, each once (see `find_files`)."""
    found = find_files(paths, skipped, follow=follow)
    files = [CorpusFile(Path(location), name, location) for location, name in found.files.items()]
    files.sort(key=lambda file: natural_key(file.name))
    return files


@dataclass(frozen=True, slots=True)
class FolderListing:
    """What listing a folder found (the names of its files and of its folders, hidden ones
    left out), and the folder's status then, which says whether it may be reused."""

    #: (inode, modification time, status change time), ns: see `listing_is_current`.
    stamp: tuple[int, int, int]
    files: tuple[str, ...]
    folders: tuple[str, ...]


@dataclass(slots=True)
class FoundFiles:
    """The files under the opened paths: location (the path as the index keeps it, as
    `str(Path(...))` names it) -> the name shown; and the folders' listings."""

    files: dict[str, str] = field(default_factory=dict)
    #: Listings that may be reused by the next walk (see `listing_is_current`).
    listings: dict[str, FolderListing] = field(default_factory=dict)
    #: Folders whose remembered listing was used instead of listing them again.
    reused: int = 0


#: A folder changed this recently (seconds) is listed again next time, whatever its times
#: say: see `listing_is_current`.
RECENT_FOLDER_SECONDS = 3


def listing_is_current(listing: FolderListing, status: os.stat_result) -> bool:
    """Whether a remembered listing still holds for a folder whose status is `status`.

    Creating, deleting or renaming an entry of a folder sets the folder's modification and
    change times, so while both (and its inode: a folder moved into its place is another
    folder) are as they were, its entries are the same and it need not be listed again.
    The change time cannot be set back by a program (`touch -d` sets only the
    modification time). Two limits, and what we do about them:

    - Times have a granularity (2 s on FAT, a clock tick elsewhere): a file created in the
      same tick as the listing, after it, leaves the times unchanged. A listing is only
      remembered when the folder last changed more than RECENT_FOLDER_SECONDS before it
      was taken (`find_files`), as git does for its index; on a network file system whose
      clock runs behind ours by more than that, such a change is seen only once the
      folder changes again.
    - Writing to a file in place changes the file's times, not its folder's: an unchanged
      folder says nothing of its files' content, so every file is still stat'ed
      (reader.store.library); reusing a listing only saves listing it.
    """
    return listing.stamp == (status.st_ino, status.st_mtime_ns, status.st_ctime_ns)


def find_files(
    paths: Sequence[Path],
    skipped: list[SkippedFile] | None = None,
    *,
    follow: bool = False,
    remembered: Mapping[str, FolderListing] | None = None,
) -> FoundFiles:
    """Files under `paths`, each once, in no particular order.

    Folders are walked recursively and every file in them (but hidden ones) is found: reading
    sniffs its format from its content, and skips what holds no article, saying why. As
    with ripgrep and find, a symbolic link met in a folder is not
    followed (it goes to `skipped`) unless `follow` is set, and then a folder reached
    again (a loop) is read once. A path named explicitly is always read, link or not.
    A folder whose listing is `remembered` (from the last walk) and current is not listed
    again (never when following links, and never one holding a link: what is skipped must
    be said again).
    """
    skips: list[SkippedFile] = skipped if skipped is not None else []
    found = FoundFiles()
    known = remembered or {}
    if len(paths) == 1 and paths[0].is_dir():  # one walk never yields a file twice
        _walk(paths[0], skips, follow, known, found)
        return found
    seen: set[str] = set()
    for root in paths:
        part = FoundFiles()
        if root.is_dir():
            _walk(root, skips, follow, known, part)
        else:
            part.files[str(root)] = str(root)
        for location, name in part.files.items():
            key = os.path.abspath(location)
            if key not in seen:
                seen.add(key)
                found.files[location] = name
        found.listings.update(part.listings)
        found.reused += part.reused
    return found


def _walk(
    root: Path,
    skips: list[SkippedFile],
    follow: bool,
    remembered: Mapping[str, FolderListing],
    found: FoundFiles,
) -> None:
    top = str(root)
    prefix = len(os.path.join(top, ""))
    # Path("./a.txt") is "a.txt": locations are named as Path names them, as the index does
    strip = 2 if top == "." else 0
    settled_before = time.time_ns() - RECENT_FOLDER_SECONDS * 1_000_000_000
    folders_read: set[tuple[int, int]] = set()
    files_read: set[tuple[int, int]] = set()
    files = found.files
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            status = os.stat(folder)
        except OSError:
            continue  # unreadable or gone while walking: as os.walk, nothing to list
        if follow:
            if (status.st_dev, status.st_ino) in folders_read:
                skips.append(SkippedFile(Path(folder), folder[prefix:], SYMLINK_LOOP))
                continue
            folders_read.add((status.st_dev, status.st_ino))
        listing = remembered.get(folder)
        has_link = False
        if not follow and listing is not None and listing_is_current(listing, status):
            found.reused += 1
        else:
            listed = _list_folder(folder, status, skips, prefix, follow, files_read)
            if listed is None:
                continue
            listing, has_link = listed
        settled = max(status.st_mtime_ns, status.st_ctime_ns) < settled_before
        if settled and not (follow or has_link):
            found.listings[folder] = listing
        within = folder if folder.endswith(os.sep) else folder + os.sep
        for name in listing.files:
            full = within + name
            files[full[strip:]] = full[prefix:]
        stack.extend(within + name for name in listing.folders)


def _list_folder(
    folder: str,
    status: os.stat_result,
    skips: list[SkippedFile],
    prefix: int,
    follow: bool,
    files_read: set[tuple[int, int]],
) -> tuple[FolderListing, bool] | None:
    """List `folder` (None when it cannot be), and say whether it holds a symbolic link."""
    files: list[str] = []
    folders: list[str] = []
    has_link = False
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:
        return None
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            has_link = True
            if not follow:
                full = entry.path
                skips.append(SkippedFile(Path(full), full[prefix:], SYMLINK_NOT_FOLLOWED))
                continue
        try:
            is_folder = entry.is_dir()
        except OSError:
            is_folder = False  # a link loop or a broken link: reading it says why
        if is_folder:
            folders.append(entry.name)
        elif follow and not _first_time(entry, files_read):
            continue  # the same file reached through another link
        else:
            files.append(entry.name)
    stamp = (status.st_ino, status.st_mtime_ns, status.st_ctime_ns)
    return FolderListing(stamp, tuple(files), tuple(folders)), has_link


def _first_time(entry: os.DirEntry[str], files_read: set[tuple[int, int]]) -> bool:
    try:
        status = entry.stat()
    except OSError:
        return True  # reading it will say why it cannot be read
    key = (status.st_dev, status.st_ino)
    if key in files_read:
        return False
    files_read.add(key)
    return True


def article_id(path: Path) -> str:
    """A stable id for the file at `path`: the same path gives the same id in every run."""
    # fsencode: the bytes of the name, also for one that is not valid UTF-8
    return hashlib.blake2b(os.fsencode(os.path.abspath(path)), digest_size=8).hexdigest()


def read_article(file: CorpusFile, whole: tuple[bytes, os.stat_result] | None = None) -> Article:
    """Read and parse one file. Raises OSError or NotText when it cannot be an article.
    `whole`: the file's bytes and status, when the caller has read all of it already."""
    data, stat = whole if whole is not None else _read_head(file.path)
    truncated = len(data) > MAX_ARTICLE_BYTES
    if truncated:
        data = data[:MAX_ARTICLE_BYTES]
    if not data.strip():
        raise NotText("empty file")
    decoded = decode_article_bytes(data, truncated=truncated)
    if not decoded.text.strip():
        raise NotText("empty file")
    notes = []
    if decoded.fallback:
        notes.append(f"not valid UTF-8; decoded as {decoded.encoding}")
    if truncated:
        notes.append(
            f"only the first {MAX_ARTICLE_BYTES // (1024 * 1024)} MiB of the file is shown"
        )
    return Article(
        id=article_id(file.path),
        path=file.path,
        name=file.name,
        parsed=parse_article_text(decoded.text),
        size=stat.st_size,
        mtime=stat.st_mtime,
        encoding=decoded.encoding,
        encoding_fallback=decoded.fallback,
        truncated=truncated,
        notes=tuple(notes),
        digest=file_digest(file.path) if truncated else _digest(data),
    )


#: Bytes hashed at a time when a whole file is hashed.
_DIGEST_BLOCK = 1024 * 1024


def file_digest(path: Path) -> str:
    """The content hash of the whole file, to tell a re-written file from a touched one (a
    container may change anywhere, so all of it counts)."""
    hasher = hashlib.blake2b(digest_size=16)
    with open_regular_file(path) as handle:
        while block := handle.read(_DIGEST_BLOCK):
            hasher.update(block)
    return hasher.hexdigest()


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def with_body(article: Article) -> Article:
    """The article with its paragraphs, reading the file again if they were left out (for an
    article inside a container, its record).

    Raises OSError or NotText if the file can no longer be read.
    """
    if article.body_loaded:
        return article
    if article.meta is not None:
        # containers reads through the format readers, which import this module
        from reader.ingest.containers import reread_article

        return reread_article(article)
    reread = read_article(CorpusFile(article.path, article.name))
    return replace(reread, id=article.id)


def article_text(article: Article) -> str:
    """The article as text to diff: for a plain file its decoded text, as parsing saw it; for
    an article read from a format, its headline and paragraphs, one per block."""
    if article.meta is None:
        return read_article_text(article.path)
    full = with_body(article)
    return "\n\n".join([full.headline, *(paragraph.text for paragraph in full.paragraphs)])


def _read_head(path: Path) -> tuple[bytes, os.stat_result]:
    """The first MAX_ARTICLE_BYTES + 1 bytes of a regular file (never blocking on a pipe)."""
    with open_regular_file(path) as handle:
        return handle.read(MAX_ARTICLE_BYTES + 1), os.fstat(handle.fileno())


@contextlib.contextmanager
def open_regular_file(path: Path) -> Iterator[BinaryIO]:
    """The file opened for reading, if it is a regular file (never blocking on a pipe or a
    device); raises NotText when it is not one, OSError when it cannot be opened."""
    if not stat_module.S_ISREG(os.stat(path).st_mode):
        raise NotText("not a regular file")
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as handle:
        if not stat_module.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise NotText("not a regular file")
        yield handle


def read_ahead(paths: Iterable[Path]) -> None:
    """Ask the kernel to start reading these regular files now, all at once, and return
    at once (`posix_fadvise` WILLNEED, where the system has it): reading a chunk of small
    files one after the other waited on the disk a quarter of the time when they were not
    cached. Files that are not regular or cannot be opened are passed over (reading them
    says why)."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    for path in paths:
        try:
            if not stat_module.S_ISREG(os.stat(path).st_mode):
                continue
            descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            continue
        try:
            advise(descriptor, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(descriptor)


def display_name(name: str) -> str:
    """A file name safe to show on one line: control characters become visible marks."""
    return safe_line(name)


@dataclass(frozen=True, slots=True)
class TextRead:
    """The decoded text of a file as parsing saw it (for diffing), and what to say of it."""

    text: str
    #: True when only the head of the file was read (see MAX_ARTICLE_BYTES).
    truncated: bool
    #: Caveats to show beside a comparison of it (cut short, legacy encoding).
    notes: tuple[str, ...]


def read_article_text(path: Path) -> str:
    """The decoded text of a file, as parsing saw it (for diffing)."""
    return read_text(path).text


def read_text(path: Path) -> TextRead:
    """The decoded text of a file, whether it was cut short, and the caveats."""
    data, _ = _read_head(path)
    truncated = len(data) > MAX_ARTICLE_BYTES
    decoded = decode_article_bytes(data[:MAX_ARTICLE_BYTES], truncated=truncated)
    notes = []
    if truncated:
        limit = MAX_ARTICLE_BYTES // (1024 * 1024)
        notes.append(f"{display_name(str(path))}: only the first {limit} MiB is compared")
    if decoded.fallback:
        notes.append(f"{display_name(str(path))}: not valid UTF-8; decoded as {decoded.encoding}")
    return TextRead(decoded.text, truncated, tuple(notes))


def same_bytes(first: Path, second: Path) -> bool:
    """Whether two files hold the same bytes (read in blocks: any size)."""
    if os.path.getsize(first) != os.path.getsize(second):
        return False
    with open(first, "rb") as one, open(second, "rb") as other:
        while True:
            block = one.read(1 << 20)
            if block != other.read(1 << 20):
                return False
            if not block:
                return True


def describe_os_error(error: OSError) -> str:
    """`permission denied` rather than `[Errno 13] Permission denied: '/x'`."""
    return (error.strerror or str(error)).lower()
