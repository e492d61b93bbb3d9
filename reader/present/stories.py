"""Rich renderables and JSON for stories, shared by the app and the command line."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from reader.grouping.links import StoryLink
from reader.grouping.stories import Story
from reader.ingest.article import Article
from reader.ingest.corpus import display_name
from reader.store.story_links import series_names
from reader.text.safe_text import safe_text


def version_range(story: Story) -> str:
    """`000_x.txt – 001_y.txt`: the first and last files of a story, by filing order."""
    summary = story.summary  # kept with a story listed from the index: nothing loaded
    first, last = display_name(summary.first_name), display_name(summary.latest_name)
    return first if first == last else f"{first} – {last}"


def stories_table(stories: Sequence[Story]) -> Table:
    """One row per story: title, number of versions, its files in filing order."""
    table = Table(box=None, padding=(0, 1), header_style="bold")
    table.add_column("#", justify="right", style="dim")
    table.add_column("story", ratio=3)
    table.add_column("versions", justify="right")
    table.add_column("files", ratio=2, style="dim")
    for number, story in enumerate(stories, start=1):
        files = "\n".join(display_name(version.name) for version in story.versions)
        # Cells are Text, never str: a str cell would be parsed as markup.
        title = Text(safe_text(story.title))
        for note in story.notes:  # a metadata conflict is shown, never hidden
            title.append("\n⚠ " + safe_text(note), style="yellow")
        table.add_row(Text(str(number)), title, Text(str(len(story))), Text(files))
    return table


def stories_to_json(stories: Sequence[Story], links: Sequence[StoryLink] = ()) -> dict[str, object]:
    """The `--json` document: stories with their versions in order, and each story's links
    to others (`links`: as the index keeps them; a series as a spanning forest of its
    issues, so each issue also names its series, by the smallest id of its issues)."""
    listed = {story.id for story in stories}
    linked: dict[str, list[dict[str, str]]] = {}
    for link in links:
        if link.story in listed and link.other in listed:
            for one, other in ((link.story, link.other), (link.other, link.story)):
                linked.setdefault(one, []).append(
                    {"story": other, "relation": link.relation.value, "rule": link.rule}
                )
    series = series_names(link for link in links if link.story in listed and link.other in listed)
    return {
        "stories": [
            {
                "id": story.id,
                "title": story.title,
                "versions": [version_to_json(version) for version in story.versions],
                "notes": list(story.notes),
                "series": series.get(story.id),
                "links": linked.get(story.id, []),
            }
            for story in stories
        ]
    }


def version_to_json(article: Article) -> dict[str, object]:
    """One version in `--json` output: where it is (the file, and its record inside a
    container; `path` is the name shown, `file#record` for a record), and what its format's
    metadata says."""
    document: dict[str, object] = {
        "path": article.name,
        "record": article.record,
        "title": article.headline,
        "words": article.words,
    }
    meta = article.meta
    if meta is not None:
        document["metadata"] = {
            "format": meta.format,
            "provider": meta.provider,
            "story_id": meta.story_id,
            "version": meta.version,
            "version_time": meta.version_time.isoformat() if meta.version_time else None,
            "version_markers": list(article.parsed.version_markers),
            "url": meta.url,
        }
    return document
