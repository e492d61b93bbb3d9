"""Cheaper pickling for the frozen dataclasses that carry what workers read.

Reading a large corpus sends every file's rows, as the index stores them, from a worker to
the main process. A frozen dataclass with slots is pickled by `dataclasses`' own
`__getstate__`/`__setstate__`, which look its fields up again for every object (about a
fifth of unpickling a file's results, work the busiest process does a million times).
`plain_pickling` gives such a class the same state, a list of its field values, from
names looked up once.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


def plain_pickling(cls: type[T]) -> type[T]:
    """Pickle a frozen dataclass with slots by its field values in order (apply it over
    `@dataclass`)."""
    names = tuple(field.name for field in dataclasses.fields(cls))  # type: ignore[arg-type]

    def getstate(self: Any) -> list[Any]:
        return [getattr(self, name) for name in names]

    def setstate(self: Any, state: list[Any]) -> None:
        for name, value in zip(names, state, strict=True):
            object.__setattr__(self, name, value)

    setattr(cls, "__getstate__", getstate)  # noqa: B010 - replaces dataclasses' own
    setattr(cls, "__setstate__", setstate)  # noqa: B010
    return cls
