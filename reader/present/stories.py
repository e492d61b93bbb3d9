"""Rich renderables and JSON for stories, shared by the app and the command line."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from reader.grouping.stories import Story
from reader.ingest.corpus import display_name
from reader.text.safe_text import safe_text


def version_range(story: Story) -> str:
    """`000_x.txt – 001_y.txt`: the first and last files of a story, by filing order."""
    first, last = display_name(story.versions[0].name), display_name(story.versions[-1].name)
    return first if first == last else f"{first} – {last}"


def stories_table(stories: list[Story]) -> Table:
    """One row per story: title, number of versions, its files in filing order."""
    table = Table(box=None, padding=(0, 1), header_style="bold")
    table.add_column("#", justify="right", style="dim")
    table.add_column("story", ratio=3)
    table.add_column("versions", justify="right")
    table.add_column("files", ratio=2, style="dim")
    for number, story in enumerate(stories, start=1):
        files = "\n".join(display_name(version.name) for version in story.versions)
        # Cells are Text, never str: a str cell would be parsed as markup.
        table.add_row(
            Text(str(number)), Text(safe_text(story.title)), Text(str(len(story))), Text(files)
        )
    return table


def stories_to_json(stories: list[Story]) -> dict[str, object]:
    """The `--json` document: stories with their versions in order."""
    return {
        "stories": [
            {
                "id": story.id,
                "title": story.title,
                "versions": [
                    {"path": version.name, "title": version.headline, "words": version.words}
                    for version in story.versions
                ],
            }
            for story in stories
        ]
    }
