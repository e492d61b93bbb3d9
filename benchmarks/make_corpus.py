"""Generate a labelled corpus of wire-story versions with distractors, for benchmarks.

Run: python benchmarks/make_corpus.py OUT --files 10000 [--seed 1] [--corpus hard|easy]

`hard` (the default) is made of families of files, each testing one thing that makes
real copy hard to group (benchmarks/hard_wire.py): heavy re-titled rewrites, drifting
update chains, short first takes, stories sharing background paragraphs, follow-ups,
template series, scraped page furniture, live blogs and digests, besides plain versions.

`easy` is the first generator: about 70% of the files are versions of stories (2 to 6
versions each: a first take, write-throughs, updates with new ledes, outlet edits, trims,
identical re-files), about 15% single stories on the same topics with the same people
and places, and about 15% recurring template stories. Its true and false pairs are far
apart in similarity, so it cannot show a bad threshold; it is kept for comparison.

File names are random, so their order says nothing. The ground truth is written outside
the articles' folder OUT/articles: OUT/truth.json (file name -> story label) and
OUT/kinds.json (file name -> the kind and number of the family the file was made in).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hard_wire import Item, hard_items
from wire import layout, make_story, template_story, versions_of

VERSION_SHARE = 0.7
SINGLE_SHARE = 0.15
CORPORA = ("hard", "easy")
#: Part of the benchmarks' cache folder names: bump it when the generator's output changes.
GENERATOR_VERSION = 3


def easy_items(files: int, rng: random.Random) -> Iterator[Item]:
    """The first generator's mix (see the module docstring), `files` items or a few more."""
    made = 0
    story_number = 0
    while made < files * VERSION_SHARE:
        story_number += 1
        story = make_story(rng)
        for text in versions_of(rng, story, rng.randint(2, 6)):
            made += 1
            yield Item(f"story-{story_number}", "versions", text, f"story-{story_number}")
    while made < files * (VERSION_SHARE + SINGLE_SHARE):
        story_number += 1
        story = make_story(rng)
        made += 1
        text = layout(rng, story.headline, story.paragraphs)
        yield Item(f"story-{story_number}", "single", text, f"story-{story_number}")
    issue = 0
    while made < files:
        issue += 1
        series = issue % 12
        story = template_story(rng, series, issue)
        label = f"template-{series}-{issue}"
        for _ in range(rng.choice((1, 1, 2))):
            made += 1
            text = layout(rng, story.headline, story.paragraphs)
            yield Item(label, "template", text, f"template-{series}")


def generate(files: int, seed: int, corpus: str = "easy") -> Iterator[Item]:
    """`files` labelled articles, made one at a time (the corpus is never all in memory)."""
    rng = random.Random(seed)
    items = hard_items(rng) if corpus == "hard" else easy_items(files, rng)
    return itertools.islice(items, files)


def write_corpus(out: Path, files: int, seed: int, corpus: str = "easy") -> Path:
    """Write the corpus under out/articles, out/truth.json and out/kinds.json; returns the
    articles folder. `easy` by default, so the index benchmark, the soak run and the tests
    keep the corpus their figures were measured on; the CLIs default to `hard`."""
    articles = out / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed + 1)
    truth, kinds = {}, {}
    for item in generate(files, seed, corpus):
        name = f"{rng.getrandbits(48):012x}.txt"
        (articles / name).write_text(item.text, encoding="utf-8")
        truth[name] = item.label
        kinds[name] = {"kind": item.kind, "family": item.family}
    (out / "kinds.json").write_text(json.dumps(kinds, indent=0), encoding="utf-8")
    # written last: its presence says the corpus is complete
    (out / "truth.json").write_text(json.dumps(truth, indent=0), encoding="utf-8")
    return articles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", choices=CORPORA, default="hard")
    args = parser.parse_args(argv)
    folder = write_corpus(args.out, args.files, args.seed, args.corpus)
    print(f"wrote {args.files:,} {args.corpus} articles to {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
