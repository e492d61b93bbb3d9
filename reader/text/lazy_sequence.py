"""A read-only sequence whose items are worked out when read: the shape shared by the
story list's rows, entries and stories and the articles of a kept list, each of which
stands for up to a million items without holding them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar, overload

T = TypeVar("T")


class MadeWhenRead(Sequence[T]):
    """Subclasses give `__len__` and `_item` (of an index within bounds); a slice is made
    by `_items`, which a subclass may do in one go (a query for many rows)."""

    def __len__(self) -> int:
        raise NotImplementedError

    def _item(self, index: int) -> T:
        raise NotImplementedError

    def _items(self, indexes: range) -> list[T]:
        return [self._item(index) for index in indexes]

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        count = len(self)
        if isinstance(index, slice):
            return self._items(range(*index.indices(count)))
        if not -count <= index < count:
            raise IndexError(index)
        return self._item(index % count)
