"""The stories linked to a story, as rows grouped by relation (the `l` screen)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reader.grouping.decide import Relation
from reader.present.list_row import ListRow
from reader.store.story_links import LinkedStory
from reader.text.safe_text import safe_line

#: The heading of each relation's rows, in the order they are shown.
SECTIONS = {
    Relation.SERIES: "Series: other issues of this report",
    Relation.RELATED: "Related: follow-ups and stories sharing background",
    Relation.DIGEST_ITEM: "Digests holding its opening",
}

#: Opens the detail line of a story row that is an issue of a series.
SERIES_MARK = "series · "


@dataclass(frozen=True, slots=True)
class LinkRow:
    """A row of the screen: a heading (story None) or a linked story."""

    row: ListRow
    story: str | None = None


def link_rows(links: Sequence[LinkedStory], titles: Mapping[str, str]) -> list[LinkRow]:
    """Headings and rows: each linked story's title (`titles`: of the stories listed, by
    id, in list order; a story not among them is left out) and the rule that decided the
    link, in list order under each heading."""
    place = {story: number for number, story in enumerate(titles)}
    rows: list[LinkRow] = []
    for relation, heading in SECTIONS.items():
        found = sorted(
            (link for link in links if link.relation is relation and link.story in place),
            key=lambda link: place[link.story],
        )
        if not found:
            continue
        count = f"{len(found):,} stor{'ies' if len(found) != 1 else 'y'}"
        rows.append(LinkRow(ListRow(title=heading, detail=count)))
        rows.extend(
            LinkRow(
                ListRow(title=safe_line(titles[link.story]), detail=_detail(link), depth=1),
                link.story,
            )
            for link in found
        )
    return rows


def _detail(link: LinkedStory) -> str:
    rule = safe_line(link.rule)
    return rule if link.direct else f"through other issues: {rule}"
