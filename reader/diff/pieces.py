"""A stretch of a word diff, shared by the diff engine, move detection and rendering."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter

from reader.diff.noise import ChangeKind
from reader.diff.tokens import Token


@dataclass(slots=True)
class Piece:
    """A stretch of the diff: unchanged text, a change, or one end of a move.

    `old` and `new` are the tokens on each side; an edit has tokens on one side only (a
    replacement is a deletion piece followed by an insertion piece), a noise change on
    both, a move on one side with the other end elsewhere under the same `move` number.

    A move whose two ends differ carries their word diff in `inner` (the same list at
    both ends); `flags` are the substantive-change flags of the change it belongs to.
    """

    kind: ChangeKind | None
    old: list[Token]
    new: list[Token]
    move: int | None = None
    inner: list[Piece] | None = None
    flags: tuple[str, ...] = field(default=())

    @property
    def old_text(self) -> str:
        return "".join(map(_TEXT, self.old))

    @property
    def new_text(self) -> str:
        return "".join(map(_TEXT, self.new))


_TEXT = attrgetter("text")


def is_blank(tokens: list[Token]) -> bool:
    return all(token.is_space for token in tokens)


def words(tokens: list[Token]) -> list[Token]:
    return [token for token in tokens if not token.is_space]
