"""What one row of a list shows, independent of any widget."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ListRow:
    """A title, a dim detail line, and a figure at the right."""

    title: str
    detail: str
    figure: str = ""
    depth: int = 0
    #: A marker drawn before the title (for example a story's expand arrow).
    marker: str = ""
    #: Stretches (start, end) of the detail to mark, such as the words a search matched.
    marks: tuple[tuple[int, int], ...] = ()
