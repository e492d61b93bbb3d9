"""Generate a labelled corpus of wire-story versions with distractors, for benchmarks.

Run: python benchmarks/make_corpus.py OUT --files 10000 [--seed 1]

About 70% of the files are versions of stories (2 to 6 versions each: a first take, write-throughs,
updates with new ledes, outlet edits, trims, identical re-files), about 15% single stories
on the same topics with the same people and places, and about 15% recurring template
stories (weekly statistics whose wording repeats while the figures change). File names
are random, so their order says nothing. The ground truth is written to OUT/truth.json
(file name -> story label), outside the articles' folder OUT/articles.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from wire import layout, make_story, template_story, versions_of

VERSION_SHARE = 0.7
SINGLE_SHARE = 0.15


def generate(files: int, seed: int) -> list[tuple[str, str]]:
    """(story label, text) for `files` articles."""
    rng = random.Random(seed)
    items: list[tuple[str, str]] = []
    story_number = 0
    while len(items) < files * VERSION_SHARE:
        story_number += 1
        story = make_story(rng)
        for text in versions_of(rng, story, rng.randint(2, 6)):
            items.append((f"story-{story_number}", text))
    while len(items) < files * (VERSION_SHARE + SINGLE_SHARE):
        story_number += 1
        story = make_story(rng)
        items.append((f"story-{story_number}", layout(rng, story.headline, story.paragraphs)))
    issue = 0
    while len(items) < files:
        issue += 1
        series = issue % 12
        story = template_story(rng, series, issue)
        label = f"template-{series}-{issue}"
        for _ in range(rng.choice((1, 1, 2))):
            items.append((label, layout(rng, story.headline, story.paragraphs)))
    return items[:files]


def write_corpus(out: Path, files: int, seed: int) -> Path:
    """Write the corpus under out/articles and out/truth.json; returns the articles folder."""
    articles = out / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed + 1)
    truth = {}
    for label, text in generate(files, seed):
        name = f"{rng.getrandbits(48):012x}.txt"
        (articles / name).write_text(text, encoding="utf-8")
        truth[name] = label
    (out / "truth.json").write_text(json.dumps(truth, indent=0), encoding="utf-8")
    return articles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    folder = write_corpus(args.out, args.files, args.seed)
    print(f"wrote {args.files:,} articles to {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
