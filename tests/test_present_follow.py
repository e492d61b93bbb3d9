"""Timeline rows, provenance shading and what's new as text: figures, bars, and text from
files kept as data."""

from __future__ import annotations

import io

from rich.console import Console

from reader.follow.changes import whats_new
from reader.follow.provenance import build_provenance
from reader.follow.timeline import VersionInput, build_timeline
from reader.present.follow import (
    BAR_WIDTH,
    big_jumps,
    render_provenance,
    timeline_rows,
    whats_new_summary,
)


def plain(renderable: object, width: int = 100) -> str:
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


FIRST = "Fire at the port.\n\nTwo ships were damaged, officials said.\n"
SECOND = FIRST + "\nThe harbour was closed to traffic until Friday.\n"
THIRD = SECOND.replace("Two ships", "Three ships")


def test_timeline_rows_give_the_diff_figures_and_scale_the_bar_to_the_largest() -> None:
    versions = [
        VersionInput(text, f"port_{n}.txt") for n, text in enumerate([FIRST, SECOND, THIRD], 1)
    ]
    rows = timeline_rows(build_timeline(versions))
    assert [row.cells[0] for row in rows] == ["v1", "v2", "v3"]
    assert rows[0].cells[4:8] == ("–", "–", "–", "–")
    assert rows[1].cells[4:6] == ("+8", "−0")
    assert rows[1].cells[-1] == "█" * BAR_WIDTH
    assert 0 < len(rows[2].cells[-1]) < BAR_WIDTH
    assert rows[1].big_jump and not rows[2].big_jump


def test_one_big_jump_per_four_versions_up_to_three() -> None:
    texts = [FIRST]
    for number in range(1, 16):
        texts.append(texts[-1] + f"\nParagraph {number} adds {'more ' * number}detail.\n")
    timeline = build_timeline([VersionInput(text, "f") for text in texts])
    assert len(big_jumps(timeline)) == 3
    assert len(big_jumps(build_timeline([VersionInput(t, "f") for t in texts[:5]]))) == 1


def test_provenance_shows_each_sentence_with_its_version_in_the_gutter() -> None:
    provenance = build_provenance([FIRST, SECOND])
    shown = plain(render_provenance(provenance.versions[1], SECOND, 2, None))
    lines = [line.strip().split(maxsplit=1) for line in shown.splitlines() if line.strip()]
    assert lines == [
        ["v1", "Fire at the port."],
        ["v1", "Two ships were damaged, officials said."],
        ["v2", "The harbour was closed to traffic until Friday."],
    ]


def test_text_from_a_file_is_shown_as_data_in_the_provenance_view() -> None:
    hostile = "Headline\n\nThe \x1b[31mred\x1b[0m [bold]claim[/bold] was false.\n"
    provenance = build_provenance([hostile])
    shown = plain(render_provenance(provenance.versions[0], hostile, 1, 0))
    assert "\x1b" not in shown
    assert "[bold]claim[/bold]" in shown


def test_whats_new_lists_substantive_changes_before_other_edits() -> None:
    news = whats_new([FIRST, THIRD], 1)
    lines = plain(whats_new_summary(news)).splitlines()
    assert lines[0].startswith("What's new: v1 → v2 (1 version since you read v1)")
    assert lines[1].startswith("! Two → Three [numbers]")
    assert "The harbour was closed to traffic until Friday." in lines[2]
