"""A search hit's snippet shows its match even in a narrow row."""

from __future__ import annotations

from reader.present.search import lead_to_first_match


def test_a_long_search_snippet_starts_a_few_words_before_its_match() -> None:
    text = "Those absences and repeated tensions between President Trump and European " * 2
    text += "nations most recently over Greenland have prompted fresh questions"
    start = text.index("Greenland")
    cut, marks = lead_to_first_match(text, ((start, start + len("Greenland")),))
    assert cut.startswith("…") and len(cut) < len(text)
    assert cut[marks[0][0] : marks[0][1]] == "Greenland"
    assert marks[0][0] <= 26
    assert cut[1] != " " and text[text.index(cut[1:]) - 1] == " "  # cut at a word
