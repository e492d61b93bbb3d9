"""Re-file pairs: how many words our diff marks, against git's word diff.

Run: python benchmarks/refile_pairs.py [--smoke]

Each pair is a wire story (hand-written here, in 1987 Reuters and today's agency style)
against a re-file of it: the paragraphs re-flowed to another width, a house style applied
(U.S./US, pct/percent, Mr/Mr., 1,000/1000, quotes, dashes, British/American spelling), and
on most pairs a few real edits (a figure, an attribution, a sentence added or cut, a
paragraph moved up). For each pair it prints the words we mark as edits and moves, the words
`git diff --no-index --word-diff=porcelain` marks, and whether ours stays within 1.5 x git
+ 10 (the bound in issue 10). A house-style-only re-file must report no edit at all.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.diff.noise import ChangeKind
from reader.diff.word_diff import WordDiff, diff_texts

STORIES = {
    "opec": [
        "OPEC OUTPUT SEEN ABOVE CEILING IN FEBRUARY",
        "LONDON, March 3 (Reuters) - OPEC oil output in February was about 16.2 mln barrels "
        "per day, 1.4 mln bpd above the ceiling the group set in December, an industry survey "
        'showed. "The discipline is slipping," said Mr Peter Nolan, an analyst at the '
        "Centre for Global Energy Studies.",
        "Saudi Arabia pumped 4.1 mln bpd, up 300,000 bpd from January, while Iraq raised "
        "exports through its Turkish pipeline to a record 1,500,000 bpd, the survey said.",
        "Prices fell 45 cts to 17.30 dlrs a barrel in New York after the report. Traders said "
        "the market had expected output of about 15.8 mln bpd.",
        "Kuwait's oil minister, Sheikh Ali al-Khalifa al-Sabah, said on Monday the organisation "
        "would defend its 18 dlr reference price and urged members to honour their quotas.",
        "The survey covered all 13 members and was based on data from shipping agents, "
        "officials and oil company executives. REUTER",
    ],
    "nato": [
        "Allies agree to raise defence spending",
        "BRUSSELS, Feb 12 (Reuters) - NATO defence ministers agreed on Thursday to raise "
        "spending on the alliance's eastern flank by 6.5 per cent next year, officials said, "
        "after months of pressure from Washington.",
        "The U.S. has pressed European allies to take on more of the burden, and Defence "
        "Secretary Pete Hegseth told his counterparts the target was a floor, not a ceiling.",
        "“We are already seeing significant increases,” NATO Secretary General Mark Rutte "
        "told reporters after the meeting – the second this year. “Investment is up by tens "
        "of billions.”",
        "Poland, which borders Russia's ally Belarus, said it would spend 4.7 per cent of its "
        "economic output on defence in 2026, the highest share in the alliance.",
        "Ministers will meet again in June to agree capability targets for each member, a "
        "NATO official said, speaking on condition of anonymity.",
        "(Reporting by Jane Doe; Editing by Mark Heinrich)",
    ],
    "quake": [
        "Strong quake hits central Chile, at least 12 dead",
        "SANTIAGO, Chile (AP) — A magnitude 7.1 earthquake struck central Chile late on "
        "Tuesday, killing at least 12 people and toppling older buildings in the port city of "
        "Valparaiso, officials said.",
        "The Interior Ministry said 1,200 homes had been damaged and about 30,000 people were "
        "without power on Wednesday morning. Rescue teams were searching for a family of four "
        "reported missing in the hills above the city.",
        'President Gabriel Boric said the government would "spare no effort" to help those '
        "affected, and declared a state of catastrophe in the Valparaiso region.",
        "The U.S. Geological Survey said the quake was centred 40 kilometres off the coast at "
        "a depth of 35 kilometres. The navy said there was no risk of a tsunami.",
        "Chile, one of the most seismically active countries in the world, was hit in 2010 by "
        "a magnitude 8.8 quake that killed more than 500 people.",
    ],
    "rates": [
        "UPDATE 1-Bank of England holds rates, signals cut in spring",
        "LONDON, Nov 6 (Reuters) - The Bank of England held interest rates at 4.0 pct on "
        "Thursday but said it expected to cut borrowing costs in the spring if inflation kept "
        "falling, sending sterling down 0.6 pct against the dollar.",
        "Five members of the Monetary Policy Committee voted to hold and four voted for a "
        "quarter-point cut, a closer split than most economists had forecast.",
        'Governor Andrew Bailey said the path for rates was "gradually downwards" but that '
        "the bank needed to be sure price pressures were fading. Consumer price inflation was "
        "3.8 pct in September, almost twice the bank's 2 pct target.",
        "The bank raised its forecast for economic growth this year to 1.5 pct from 1.25 pct "
        "and said unemployment would peak at 5.1 pct next year.",
        "Finance minister Rachel Reeves, who presents her budget on Nov 26, welcomed the "
        "decision and said the government was committed to bringing down the cost of living.",
    ],
}

#: House style of the outlet that re-files the copy: (old, new) replacements.
HOUSE_STYLE = [
    ("U.S.", "US"),
    (" per cent", "%"),
    (" pct", " percent"),
    ("Mr ", "Mr. "),
    ("1,500,000", "1500000"),
    ("30,000", "30000"),
    ("1,200", "1200"),
    ("“", '"'),
    ("”", '"'),
    (" – ", " — "),
    ("defence", "defense"),
    ("Defence", "Defense"),
    ("organisation", "organization"),
    ("centred", "centered"),
    ("kilometres", "kilometers"),
    ("honour", "honor"),
    ("Feb 12", "Feb. 12"),
    ("Nov 6", "Nov. 6"),
]

#: Real edits per story: (old, new); an empty new is a cut, a sentence is an addition.
EDITS = {
    "opec": [
        ("16.2 mln", "16.4 mln"),
        ("said Mr Peter Nolan", "said Peter Nolan"),
        ("said on Monday", "said on Tuesday"),
        (" Traders said the market had expected output of about 15.8 mln bpd.", ""),
    ],
    "nato": [
        ("by 6.5 per cent", "by 6.8 per cent"),
        ("officials said", "diplomats said"),
        ("the second this year", "the third this year"),
    ],
    "quake": [
        ("at least 12 people", "at least 19 people"),
        ("at least 12 dead", "at least 19 dead"),
        (
            "reported missing in the hills above the city.",
            "reported missing in the hills above the city. Two of them were found alive.",
        ),
        ("there was no risk", "there was a low risk"),
    ],
    "rates": [
        ("Five members", "Six members"),
        ("four voted", "three voted"),
        ("closer split", "wider split"),
    ],
}


def render(paragraphs: list[str], width: int, indent: bool) -> str:
    """Paragraphs hard-wrapped like an old wire (indented) or one per line (web copy)."""
    if width == 0:
        return "\n\n".join(paragraphs) + "\n"
    lines = []
    for paragraph in paragraphs:
        wrapped = textwrap.wrap(paragraph, width=width, break_on_hyphens=False)
        if indent and wrapped:
            wrapped[0] = "    " + wrapped[0]
        lines.extend(wrapped)
        if not indent:
            lines.append("")
    return "\n".join(lines) + "\n"


def restyle(paragraphs: list[str]) -> list[str]:
    styled = []
    for paragraph in paragraphs:
        for old, new in HOUSE_STYLE:
            paragraph = paragraph.replace(old, new)
        styled.append(paragraph)
    return styled


def edit(paragraphs: list[str], story: str) -> list[str]:
    edited = []
    for paragraph in paragraphs:
        for old, new in EDITS[story]:
            paragraph = paragraph.replace(old, new)
        edited.append(paragraph)
    # A write-through: the fourth paragraph promoted to second.
    if len(edited) > 4:
        edited.insert(2, edited.pop(4))
    return edited


Variant = Callable[[list[str], str], list[str]]
VARIANTS: dict[str, Variant] = {
    "re-flow + house style": lambda paragraphs, story: restyle(paragraphs),
    "re-flow + house style + edits": lambda paragraphs, story: restyle(edit(paragraphs, story)),
    "edits only": edit,
}


def git_marked_words(old: str, new: str) -> int:
    """Words in the lines git's porcelain word diff marks as removed or added."""
    with tempfile.TemporaryDirectory(prefix="refile-") as folder:
        (Path(folder) / "old.txt").write_text(old, encoding="utf-8")
        (Path(folder) / "new.txt").write_text(new, encoding="utf-8")
        result = subprocess.run(
            ["git", "diff", "--no-index", "--word-diff=porcelain", "old.txt", "new.txt"],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
    marked = 0
    for line in result.stdout.splitlines():
        if line.startswith(("---", "+++")):
            continue
        if line.startswith(("-", "+")):
            marked += len(line[1:].split())
    return marked


def our_marked_words(diff: WordDiff) -> int:
    """Words in the edits and moves we report (both sides; a move's text counted once)."""
    marked = 0
    for change in diff.substantive_changes():
        if change.kind is ChangeKind.MOVE:
            marked += len(change.old.split())
        else:
            marked += len(change.old.split()) + len(change.new.split())
    return marked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="one story, for the test suite")
    args = parser.parse_args(argv)
    stories = dict(list(STORIES.items())[:1]) if args.smoke else STORIES
    print(f"{'story':7} {'variant':31} {'ours':>5} {'git':>5} {'bound':>6}  within  edits")
    worst = 0.0
    failures = 0
    for story, paragraphs in stories.items():
        for name, variant in VARIANTS.items():
            wrapped = story == "opec"  # the 1987 story is hard-wrapped on both sides
            old = render(paragraphs, 64 if wrapped else 0, indent=wrapped)
            new = render(variant(paragraphs, story), 69 if wrapped else 0, indent=wrapped)
            diff = diff_texts(old, new)
            assert (diff.old_text, diff.new_text) == (old, new), "round trip failed"
            ours, git = our_marked_words(diff), git_marked_words(old, new)
            bound = 1.5 * git + 10
            edits = len([c for c in diff.changes if c.kind is ChangeKind.EDIT])
            style_only = name == "re-flow + house style"
            ok = ours <= bound and (edits == 0 or not style_only)
            failures += not ok
            worst = max(worst, ours / git if git else 0.0)
            print(
                f"{story:7} {name:31} {ours:5} {git:5} {bound:6.1f}  "
                f"{'yes' if ok else 'NO':6}  {edits}"
            )
    print(f"worst ours/git {worst:.2f}; {failures} pair(s) outside the bound")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
