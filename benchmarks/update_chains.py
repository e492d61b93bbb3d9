"""Generate update chains of a wire story where the history of every sentence is known.

Seeded and deterministic. A chain starts from a wire story (`wire.make_story`): a first
take of a headline and a few paragraphs. Each later version applies a few of the edits
wire copy goes through, to sentences not yet touched in that version: additions (new
paragraphs or sentences), deletions (trims), updates (a changed number, an added or
removed negation, another name, another attribution verb), merges of two neighbouring
sentences, splits at `, and`/`, but`/`, while`, paragraph moves, restores of sentences
cut earlier, and a house style of its own (quotes, dashes, `U.S.`/`US`, British or
American spelling, blank-line / one-per-line / hard-wrapped layout), which is not an edit.

Beside each version's text the generator records, for every sentence in reading order,
the version that introduced it and the versions that edited it: the ground truth that
provenance must reproduce.
"""

from __future__ import annotations

import random
import re
import textwrap
from dataclasses import dataclass, field

from wire import (
    AMERICAN,
    BRITISH,
    FIRST_NAMES,
    MODIFIERS,
    NOUNS,
    SURNAMES,
    VERBS,
    WEEKDAYS_AT,
    make_story,
)


@dataclass(frozen=True)
class Truth:
    """What provenance should say of one sentence."""

    introduced: int
    edited: tuple[int, ...] = ()


@dataclass
class _Sentence:
    text: str
    truth: Truth


@dataclass
class Chain:
    """The versions' texts, and for each version the truth of its sentences in order."""

    texts: list[str] = field(default_factory=list)
    truths: list[list[Truth]] = field(default_factory=list)
    operations: list[list[str]] = field(default_factory=list)  # what each version did


_SPLIT_AT = re.compile(r", (and|but|while) ")
_NUMBER = re.compile(r"\b\d[\d,]*\b")
_AUXILIARY = re.compile(r"\b(was|were|will|would|must|should|had|has|is|are) (not )?")
_LOWER_WHEN_JOINED = frozenset(
    ["The", "Officials", "Diplomats", "Lawmakers", "Aides", "Investors", "In"]
)
_ROLES = ["spokesperson", "senior official", "lawmaker", "analyst", "negotiator", "diplomat"]
_ACTS = ["review", "fund", "reopen", "block", "extend", "audit"]


class _Writer:
    """Makes fresh sentences on the story's topic, each with a few content words."""

    def __init__(self, rng: random.Random, names: list[str], place: str) -> None:
        self.rng, self.names, self.place = rng, names, place

    def sentence(self) -> str:
        rng = self.rng
        noun, other = rng.sample(NOUNS, 2)
        surname = rng.choice(self.names).split()[-1]
        count = str(rng.randint(3, 950))
        when = rng.choice(WEEKDAYS_AT)
        verb, verb2 = rng.sample(VERBS, 2)
        shape = rng.randrange(5)
        if shape == 0:
            who = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
            role = rng.choice(_ROLES)
            return f"{who}, a {role} at the {noun}, said {count} {other}s had been {verb} {when}."
        if shape == 1:
            act = rng.choice(_ACTS)
            return (
                f"“We will {act} the {noun} {when},” {surname} said, and added that "
                f"{count} {other}s were {verb}."
            )
        if shape == 2:
            return (
                f"The {rng.choice(MODIFIERS)} {noun} was {verb} {when} in {self.place}, "
                f"and {count} {other}s were {verb2} in response."
            )
        if shape == 3:
            return (
                f"Officials from the U.S. {verb} the {noun} {when}, while {surname} "
                f"{verb2} {count} {other}s."
            )
        return (
            f"{surname} said the {rng.choice(MODIFIERS)} {noun} would cost {count} million "
            f"euros, but the {other} was {verb} {when}."
        )


def make_chain(seed: int, versions: int, paragraphs: int = 4, edits: int = 3) -> Chain:
    """A chain of `versions` versions; about `edits` edits per version after the first."""
    rng = random.Random(seed)
    story = make_story(rng, paragraphs=max(paragraphs, 8))
    names = _story_names(story.paragraphs) or [f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"]
    writer = _Writer(rng, names, story.dateline.title())
    body = [
        [_Sentence(text, Truth(1)) for text in _sentences_of(paragraph)]
        for paragraph in story.paragraphs[:paragraphs]
    ]
    state = _Story(rng, writer, [[_Sentence(story.headline, Truth(1))], *body])
    chain = Chain()
    for number in range(1, versions + 1):
        done = state.edit(number, edits) if number > 1 else []
        chain.texts.append(state.render())
        chain.truths.append([s.truth for paragraph in state.paragraphs for s in paragraph])
        chain.operations.append(done)
    return chain


def _story_names(paragraphs: list[str]) -> list[str]:
    """Surnames quoted in the story, to be quoted again in new sentences."""
    found = re.findall(r"” (\w+) (?:said|told|added)", " ".join(paragraphs))
    return sorted(set(found))


def _sentences_of(paragraph: str) -> list[str]:
    """The sentences `wire.make_story` joined into one paragraph (each ends `. `)."""
    parts = re.split(r"(?<=\.) (?=[A-Za-z“])", paragraph)
    return [part[0].upper() + part[1:] for part in parts if part]


class _Story:
    """The story as paragraphs of tracked sentences, edited version by version."""

    def __init__(self, rng: random.Random, writer: _Writer, paragraphs: list[list[_Sentence]]):
        self.rng, self.writer, self.paragraphs = rng, writer, paragraphs
        self.cut: list[_Sentence] = []

    def edit(self, number: int, edits: int) -> list[str]:
        touched: set[int] = set()  # ids of sentences edited in this version
        done = []
        for _ in range(self.rng.randint(1, edits)):
            kind = self.rng.choice(
                ["add", "add", "update", "update", "delete", "merge", "split", "move", "restore"]
            )
            if getattr(self, "_" + kind)(number, touched):
                done.append(kind)
        return done

    def _body(self, touched: set[int]) -> list[tuple[int, int]]:
        """(paragraph, sentence) of the body sentences not touched in this version."""
        return [
            (p, s)
            for p, paragraph in enumerate(self.paragraphs)
            for s, sentence in enumerate(paragraph)
            if p > 0 and id(sentence) not in touched
        ]

    def _add(self, number: int, touched: set[int]) -> bool:
        fresh = _Sentence(self.writer.sentence(), Truth(number))
        touched.add(id(fresh))
        if self.rng.random() < 0.5:
            self.paragraphs.insert(self.rng.randint(2, len(self.paragraphs)), [fresh])
        else:
            paragraph = self.paragraphs[self.rng.randrange(1, len(self.paragraphs))]
            paragraph.insert(self.rng.randint(0, len(paragraph)), fresh)
        return True

    def _delete(self, number: int, touched: set[int]) -> bool:
        places = self._body(touched)
        if len(places) < 4:
            return False
        p, s = self.rng.choice(places)
        self.cut.append(self.paragraphs[p].pop(s))
        if not self.paragraphs[p]:
            del self.paragraphs[p]
        return True

    def _restore(self, number: int, touched: set[int]) -> bool:
        if not self.cut:
            return False
        sentence = self.cut.pop(self.rng.randrange(len(self.cut)))
        touched.add(id(sentence))
        self.paragraphs.insert(self.rng.randint(2, len(self.paragraphs)), [sentence])
        return True

    def _update(self, number: int, touched: set[int]) -> bool:
        places = self._body(touched) + (
            [(0, 0)] if id(self.paragraphs[0][0]) not in touched else []
        )
        self.rng.shuffle(places)
        for p, s in places:
            sentence = self.paragraphs[p][s]
            changed = _changed_fact(self.rng, sentence.text)
            if changed is not None:
                edited = _Sentence(changed, _edited(number, sentence.truth))
                self.paragraphs[p][s] = edited
                touched.add(id(edited))
                return True
        return False

    def _merge(self, number: int, touched: set[int]) -> bool:
        pairs = [
            (p, s)
            for p, s in self._body(touched)
            if s + 1 < len(self.paragraphs[p]) and id(self.paragraphs[p][s + 1]) not in touched
        ]
        if not pairs:
            return False
        p, s = self.rng.choice(pairs)
        first, second = self.paragraphs[p][s], self.paragraphs[p][s + 1]
        opening, _, rest = second.text.partition(" ")
        if opening in _LOWER_WHEN_JOINED:
            opening = opening.lower()
        text = f"{first.text[:-1]}, and {opening} {rest}"
        introduced = min(first.truth.introduced, second.truth.introduced)
        edited = sorted({*first.truth.edited, *second.truth.edited, number})
        merged = _Sentence(text, Truth(introduced, tuple(edited)))
        self.paragraphs[p][s : s + 2] = [merged]
        touched.add(id(merged))
        return True

    def _split(self, number: int, touched: set[int]) -> bool:
        for p, s in self.rng.sample(self._body(touched), len(self._body(touched))):
            sentence = self.paragraphs[p][s]
            match = _SPLIT_AT.search(sentence.text)
            if match is None or "“" in sentence.text[match.end() :]:
                continue
            head, tail = sentence.text[: match.start()] + ".", sentence.text[match.end() :]
            if len(head.split()) < 5 or len(tail.split()) < 5:
                continue
            truth = _edited(number, sentence.truth)
            parts = [_Sentence(head, truth), _Sentence(tail[0].upper() + tail[1:], truth)]
            self.paragraphs[p][s : s + 1] = parts
            touched.update(id(part) for part in parts)
            return True
        return False

    def _move(self, number: int, touched: set[int]) -> bool:
        if len(self.paragraphs) < 5:
            return False
        paragraph = self.paragraphs.pop(self.rng.randrange(2, len(self.paragraphs)))
        self.paragraphs.insert(self.rng.randrange(1, len(self.paragraphs)), paragraph)
        return True

    def render(self) -> str:
        """The text in a house style and layout of this version's own."""
        rng = self.rng
        paragraphs = [" ".join(s.text for s in paragraph) for paragraph in self.paragraphs]
        text = "\n\n".join(paragraphs)
        if rng.random() < 0.5:
            text = text.replace("“", '"').replace("”", '"').replace("’", "'")
        if rng.random() < 0.5:
            text = text.replace(" - ", " – ")
        if rng.random() < 0.5:
            text = text.replace("U.S.", "US")
        for source, target in (BRITISH if rng.random() < 0.5 else AMERICAN).items():
            text = re.sub(rf"\b{source}\b", target, text)
        headline, *rest = text.split("\n\n")
        layout = rng.choice(["blank", "lines", "wrapped"])
        if layout == "lines":
            return "\n".join([headline, *rest]) + "\n"
        if layout == "wrapped":
            wrapped = [textwrap.fill(p, width=64, initial_indent="    ") for p in rest]
            return "\n".join([headline.upper(), *wrapped]) + "\n"
        return "\n\n".join([headline, *rest]) + "\n"


def _edited(number: int, truth: Truth) -> Truth:
    return Truth(truth.introduced, (*truth.edited, number))


def _changed_fact(rng: random.Random, text: str) -> str | None:
    """The sentence with one fact changed: a number, a negation, a name or a verb of saying."""
    choices = []
    number = _NUMBER.search(text)
    if number is not None:
        value = int(number.group().replace(",", "")) + rng.randint(1, 9)
        choices.append(text[: number.start()] + str(value) + text[number.end() :])
    auxiliary = _AUXILIARY.search(text)
    if auxiliary is not None:
        negated = f"{auxiliary.group(1)} " if auxiliary.group(2) else f"{auxiliary.group(1)} not "
        choices.append(text[: auxiliary.start()] + negated + text[auxiliary.end() :])
    surnames = [name for name in SURNAMES if re.search(rf"\b{name}\b", text)]
    if surnames:
        old = rng.choice(surnames)
        new = rng.choice([name for name in SURNAMES if name != old])
        choices.append(re.sub(rf"\b{old}\b", new, text))
    if " said" in text:
        choices.append(text.replace(" said", " claimed", 1))
    return rng.choice(choices) if choices else None
