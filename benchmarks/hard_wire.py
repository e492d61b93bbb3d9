"""Families of generated files that make grouping hard, as real copy does (issue 15).

Each family is a handful of files built to test one difficulty, labelled with the story
each file belongs to and the family's kind, so a benchmark can break its scores down per
kind. The kinds, and what makes each hard:

- ``versions``: plain versions of one story (first take, write-throughs, outlet edits).
- ``shared-background``: different stories on one topic that share background paragraphs.
- ``rewrite``: heavy, re-titled rewrites of one story: the lead and headline are new each
  time and only 30-60% of the text carries over. One story.
- ``follow-up``: a lead story and a later story that reuses its background under a new
  lead. Related, not versions: two stories.
- ``template``: recurring template series (monthly money supply, weekly price tables,
  reserve tables) whose wording repeats and whose figures repeat last period's: every
  issue is its own story.
- ``furniture``: web copies of a story wrapped in an outlet's page furniture (captions,
  "related" lists, timestamps, embedded posts, bylines, cookie text), beside another
  story's pages from the same outlet with the same furniture and embeds.
- ``live-blog``: snapshots of one live blog (one story) whose window of entries moves,
  and a short brief one of its entries quotes (a different story).
- ``digest``: a briefing page holding the openings of several stories, each of which is
  also in the corpus with its versions. The digest is its own story.
- ``first-take``: a one- or two-paragraph bulletin and the long write-throughs that
  contain it.
- ``chain``: an update chain that drifts: each version rewrites part of the one before,
  so the ends (and middle versions) share little with each other.

Everything is drawn from one `random.Random`, so a seed gives the same files.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from wire import (
    DAYS,
    MONTHS,
    PLACES,
    TOPICS,
    Story,
    _name,
    _person,
    _sentence,
    _substitute,
    house_style,
    layout,
    make_story,
    versions_of,
)


@dataclass(frozen=True, slots=True)
class Item:
    """One generated file: the story it belongs to, its family's kind, its text, and the
    family it was made in (files of one family are the hard pairs of its kind)."""

    label: str
    kind: str
    text: str
    family: str = ""


#: A family maker: (rng, family number) -> the family's files.
Family = Callable[[random.Random, int], list[Item]]


@dataclass(slots=True)
class Setting:
    """What stories on one topic share: the topic, a place and the people in the news."""

    topic: dict[str, list[str] | list[tuple[str, str]]]
    caps: str
    place: str
    names: list[str]

    @classmethod
    def draw(cls, rng: random.Random) -> Setting:
        topic = TOPICS[rng.choice(sorted(TOPICS))]
        caps, place = rng.choice(PLACES)
        return cls(topic, caps, place, [_person(rng, topic) for _ in range(3)])

    def paragraphs(self, rng: random.Random, count: int) -> list[str]:
        """`count` new paragraphs of one or two sentences on this topic."""
        return [
            " ".join(
                _sentence(rng, self.topic, self.place, self.names)
                for _ in range(rng.choice((1, 1, 2)))
            )
            for _ in range(count)
        ]

    def headline(self, rng: random.Random) -> str:
        who = rng.choice(self.names).split()[-1]
        verbs, nouns = self.topic["verbs"], self.topic["nouns"]
        text = f"{who} {rng.choice(verbs)} {rng.choice(nouns)} {rng.choice(['in', 'at', 'after talks in'])} {self.place}"
        return text[0].upper() + text[1:]

    def lede(self, paragraph: str) -> str:
        return f"{self.caps} (Reuters) - {paragraph}"


def _strip_dateline(paragraph: str, caps: str) -> str:
    return paragraph.removeprefix(f"{caps} (Reuters) - ")


def _file(rng: random.Random, headline: str, paragraphs: list[str]) -> str:
    return house_style(rng, layout(rng, headline, paragraphs))


# --- one story, many forms ---------------------------------------------------------------


def plain_versions(rng: random.Random, number: int) -> list[Item]:
    """The easy case the first generator covered: versions of one story."""
    story = make_story(rng)
    label = f"versions-{number}"
    return [Item(label, "versions", text) for text in versions_of(rng, story, rng.randint(2, 5))]


def rewrites(rng: random.Random, number: int) -> list[Item]:
    """One story re-written and re-titled each time: new lead, new headline, a different
    50-80% of the earlier text kept (re-worded a little), new paragraphs added."""
    setting = Setting.draw(rng)
    core = setting.paragraphs(rng, rng.randint(10, 14))
    label = f"rewrite-{number}"
    items = []
    for _ in range(rng.randint(3, 4)):
        keep = sorted(rng.sample(range(len(core)), round(len(core) * rng.uniform(0.5, 0.8))))
        kept = [_substitute(rng, core[i], 0.12) for i in keep]
        new = setting.paragraphs(rng, rng.randint(2, 4))
        body = [setting.lede(new[0]), *new[1:3], *kept, *new[3:]]
        if rng.random() < 0.5 and len(body) > 5:  # a quote promoted up the story
            body.insert(1, body.pop(rng.randrange(3, len(body))))
        items.append(Item(label, "rewrite", _file(rng, setting.headline(rng), body)))
    return items


def first_takes(rng: random.Random, number: int) -> list[Item]:
    """An URGENT bulletin of one or two paragraphs, then write-throughs that contain it
    (its lede lightly re-worded) among many new paragraphs."""
    setting = Setting.draw(rng)
    bulletin = [setting.lede(p) for p in setting.paragraphs(rng, 1)] + setting.paragraphs(
        rng, rng.choice((0, 1))
    )
    headline = setting.headline(rng)
    label = f"first-take-{number}"
    items = [Item(label, "first-take", _file(rng, f"URGENT-{headline}", bulletin))]
    body = list(bulletin)
    for step in range(rng.randint(1, 3)):
        body = [
            _substitute(rng, body[0], 0.1),
            *body[1:],
            *setting.paragraphs(rng, rng.randint(4, 8)),
        ]
        marker = f"UPDATE {step + 1}-" if step else ""
        items.append(Item(label, "first-take", _file(rng, marker + headline, body)))
    return items


def drifting_chain(rng: random.Random, number: int) -> list[Item]:
    """An update chain that drifts: each version re-writes the lede, replaces about a third
    of the paragraphs before it and adds some, so far-apart versions share little and only
    neighbours link the middle of the chain to its ends."""
    setting = Setting.draw(rng)
    body = [setting.lede(p) for p in setting.paragraphs(rng, 1)] + setting.paragraphs(rng, 7)
    headline = setting.headline(rng)
    label = f"chain-{number}"
    items = []
    for step in range(rng.randint(5, 8)):
        if step:
            kept = [p for p in body[1:] if rng.random() > 0.35]
            new = setting.paragraphs(rng, rng.randint(3, 5))
            body = [setting.lede(new[0]), *kept[:4], *new[1:], *kept[4:]][:16]
            if rng.random() < 0.5:
                headline = setting.headline(rng)
        marker = f"UPDATE {step}-" if step else ""
        items.append(Item(label, "chain", _file(rng, marker + headline, body)))
    return items


# --- related stories that are not versions -----------------------------------------------


def shared_background(rng: random.Random, number: int) -> list[Item]:
    """Two to four stories on one topic, each with its own lead and news, sharing three to
    five background paragraphs (the same explainer pasted into each)."""
    setting = Setting.draw(rng)
    background = setting.paragraphs(rng, rng.randint(3, 5))
    items = []
    for index in range(rng.randint(2, 4)):
        own = setting.paragraphs(rng, rng.randint(5, 10))
        at = rng.randint(3, len(own))
        body = [setting.lede(own[0]), *own[1:at], *background, *own[at:]]
        story = Story(setting.headline(rng), setting.caps, body)
        label = f"background-{number}-{index}"
        for text in versions_of(rng, story, rng.randint(1, 3)):
            items.append(Item(label, "shared-background", text))
    return items


def follow_ups(rng: random.Random, number: int) -> list[Item]:
    """A lead story with versions, and next day's story that reuses its background and a
    quote under a new lead: a related story, not a version."""
    setting = Setting.draw(rng)
    background = setting.paragraphs(rng, rng.randint(3, 5))
    news = setting.paragraphs(rng, rng.randint(4, 7))
    lead = Story(
        setting.headline(rng), setting.caps, [setting.lede(news[0]), *news[1:], *background]
    )
    items = [
        Item(f"lead-{number}", "follow-up", t) for t in versions_of(rng, lead, rng.randint(1, 3))
    ]
    fresh = setting.paragraphs(rng, rng.randint(2, 4))
    body = [setting.lede(fresh[0]), *fresh[1:], rng.choice(news[1:]), *background]
    for _ in range(rng.randint(1, 2)):
        text = _file(rng, setting.headline(rng), [_substitute(rng, p, 0.05) for p in body])
        items.append(Item(f"follow-up-{number}", "follow-up", text))
    return items


def _money_supply(rng: random.Random, series: int, count: int) -> list[list[str]]:
    country, currency, caps = rng.choice(
        [("Japan", "yen", "TOKYO"), ("India", "rupees", "NEW DELHI"), ("Brazil", "reais", "BRASILIA"),
         ("Canada", "dollars", "OTTAWA"), ("South Korea", "won", "SEOUL"), ("Mexico", "pesos", "MEXICO CITY")]
    )  # fmt: skip
    measure = rng.choice(["M2", "M3", "M1"])
    month = rng.randrange(12)
    stock, growth, lending = rng.randint(900, 9000), rng.uniform(1, 9), rng.uniform(1, 9)
    issues = []
    for _ in range(count):
        previous = (MONTHS[month], stock, growth, lending)
        month = (month + 1) % 12
        stock += rng.randint(-40, 90)
        growth, lending = growth + rng.uniform(-0.6, 0.6), lending + rng.uniform(-0.5, 0.5)
        day = rng.choice(DAYS[:5])
        issues.append(
            [
                f"{country} {measure} money supply up {growth:.1f} pct in {MONTHS[month]}",
                f"{caps} (Reuters) - {country}'s {measure} money supply rose {growth:.1f} percent in the year to {MONTHS[month]}, the central bank said on {day}, after a revised {previous[2]:.1f} percent rise in {previous[0]}.",
                f"{measure} stood at {stock:,} billion {currency} at the end of {MONTHS[month]}, against {previous[1]:,} billion at the end of {previous[0]}.",
                f"Bank lending grew {lending:.1f} percent from a year earlier in {MONTHS[month]}, after {previous[3]:.1f} percent growth in {previous[0]}, the bank said.",
                "The figures are not seasonally adjusted. The central bank compiles them from reports by commercial banks and publishes them on the eighth business day of each month.",
                f"Economists polled by Reuters had expected {measure} growth of {growth + rng.uniform(-0.5, 0.5):.1f} percent.",
            ]
        )
    return issues


def _price_table(rng: random.Random, series: int, count: int) -> list[list[str]]:
    fuel = rng.choice(["gasoline", "diesel", "heating oil", "propane"])
    regions = rng.sample(["East Coast", "Midwest", "Gulf Coast", "Rocky Mountain", "West Coast", "New England", "Central Atlantic"], 5)  # fmt: skip
    prices = {region: rng.randint(250, 450) for region in regions}
    day, month = rng.randint(1, 20), rng.randrange(12)
    issues = []
    for _ in range(count):
        before = dict(prices)
        for region in regions:  # about half the regions' prices do not change in a week
            if rng.random() < 0.5:
                prices[region] += rng.randint(-6, 6)
        average = sum(prices.values()) / len(prices)
        previous_average = sum(before.values()) / len(before)
        day += 7
        if day > 28:
            day, month = day - 28, (month + 1) % 12
        date = f"{MONTHS[month]} {day}"
        rows = [
            f"{region} {prices[region] / 100:.3f} {before[region] / 100:.3f}" for region in regions
        ]
        issues.append(
            [
                f"U.S. retail {fuel} price averages {average / 100:.3f} dlrs/gallon - EIA",
                f"WASHINGTON (Reuters) - The average U.S. retail price of {fuel} was {average / 100:.3f} dlrs a gallon in the week to {date}, against {previous_average / 100:.3f} dlrs a week earlier, the Energy Information Administration said in its weekly survey.",
                f"Prices by region, in dlrs a gallon, for the week to {date} and the week before:",
                *rows,
                "The survey covers about 800 retail outlets and is released every Monday at 5 p.m. EST.",
            ]
        )
    return issues


def _reserve_table(rng: random.Random, series: int, count: int) -> list[list[str]]:
    grains = ["Wheat", "Corn", "Sorghum", "Barley", "Oats"]
    holdings = {grain: rng.randint(20, 900) + rng.randint(0, 9) / 10 for grain in grains}
    loan = {grain: f"{rng.uniform(1.0, 2.8):.2f}" for grain in grains}
    call = {grain: f"{float(loan[grain]) * 1.6:.2f}" for grain in grains}
    month, day = rng.randrange(12), rng.randint(1, 20)
    issues = []
    for _ in range(count):
        before = dict(holdings)
        for grain in grains:
            if rng.random() < 0.6:
                holdings[grain] = round(holdings[grain] + rng.uniform(-4, 4), 1)
        day += rng.choice((1, 1, 7, 14))
        if day > 28:
            day, month = day - 28, (month + 1) % 12
        date = f"{MONTHS[month][:3]} {day}"
        issues.append(
            [
                f"USDA farmer-owned reserve grain holdings through {date}",
                f"WASHINGTON, {date} - Grain in the farmer-owned reserve through {date}, in mln bushels, with the previous report, the Agriculture Department said:",
                *(f"{grain} {holdings[grain]:.1f} vs {before[grain]:.1f}" for grain in grains),
                "Loan rates, dlrs per bushel: "
                + ", ".join(f"{g.lower()} {loan[g]}" for g in grains)
                + ".",
                "Call levels, dlrs per bushel: "
                + ", ".join(f"{g.lower()} {call[g]}" for g in grains)
                + ".",
                "Grain in the reserve may be sold without penalty once the market price reaches the call level.",
            ]
        )
    return issues


def template_series(rng: random.Random, number: int) -> list[Item]:
    """Consecutive issues of one recurring report: the same wording, this period's
    figures beside last period's (so neighbouring issues share about half their
    figures), new dates. Each issue is its own story; some are filed twice."""
    make = rng.choice([_money_supply, _price_table, _reserve_table])
    items = []
    for index, paragraphs in enumerate(make(rng, number, rng.randint(3, 6))):
        label = f"template-{number}-{index}"
        for _ in range(rng.choice((1, 1, 2))):
            items.append(
                Item(label, "template", layout(rng, paragraphs[0], paragraphs[1:], "lines"))
            )
    return items


# --- pages ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outlet:
    """A web outlet's fixed page furniture: the lines every one of its pages carries."""

    top: tuple[str, ...]
    bottom: tuple[str, ...]


def _outlets() -> list[Outlet]:
    """A fixed set of outlets (their own seed: outlets do not change with the corpus)."""
    rng = random.Random(15)
    outlets = []
    for name in ["The Daily Ledger", "Harbor Times", "Metro Courier", "Valley Post", "The Northern Star",
                 "Coast Gazette", "City Wire", "The Evening Record"]:  # fmt: skip
        sections = rng.sample(["World", "Politics", "Business", "Markets", "Sport", "Opinion", "Climate", "Tech", "Video"], 6)  # fmt: skip
        outlets.append(
            Outlet(
                top=(f"{name}", " ".join(sections), "Sign in Subscribe", "Top coverage"),
                bottom=(
                    f"Sign up for the {name} morning newsletter to get the day's top stories in your inbox.",
                    "We use cookies to improve your experience on our site and to show you relevant advertising. By continuing to browse you agree to our use of cookies.",
                    f"© {rng.randint(2019, 2025)} {name}. All rights reserved. Terms of use Privacy policy Contact us",
                ),
            )
        )
    return outlets


OUTLETS = _outlets()


def _timestamp(rng: random.Random) -> str:
    return f"Updated {rng.randint(1, 12)}:{rng.randint(0, 59):02d} {rng.choice(['a.m.', 'p.m.'])} EST, {rng.choice(MONTHS)[:3]} {rng.randint(1, 28)}, 2025"


def _caption(rng: random.Random, setting: Setting) -> str:
    who = rng.choice(setting.names)
    return (
        f"FILE - {who} speaks during a news conference in {setting.place}, {rng.choice(MONTHS)} {rng.randint(1, 28)}, 2024. "
        f"(AP Photo/{_name(rng)}, File)"
    )


def _embedded_post(rng: random.Random, setting: Setting) -> str:
    who = rng.choice(setting.names).split()[-1]
    return (
        f"— {who} (@{who.lower()}_office) {rng.choice(MONTHS)} {rng.randint(1, 28)}, 2025: "
        f"{_sentence(rng, setting.topic, setting.place, setting.names)} pic.twitter.com/{rng.getrandbits(40):010x}"
    )


def web_page(
    rng: random.Random,
    outlet: Outlet,
    headline: str,
    body: list[str],
    related: list[str],
    embeds: list[str],
    setting: Setting,
) -> str:
    """A scraped web page: the outlet's furniture around a story's text, with a byline, a
    timestamp, photo captions, embedded posts and a list of related headlines."""
    body = [_strip_dateline(body[0], setting.caps), *body[1:]]
    page = [*outlet.top, headline, f"By {_name(rng)}", _timestamp(rng), _caption(rng, setting)]
    for index, paragraph in enumerate(body):
        page.append(paragraph)
        if index == 2 and embeds:
            page.extend(embeds)
        if index == 5:
            page.append(_caption(rng, setting))
    page += ["Related", *related, "Most read", *rng.sample(related, min(2, len(related)))]
    return house_style(rng, "\n".join([*page, *outlet.bottom]) + "\n")


def furniture(rng: random.Random, number: int) -> list[Item]:
    """Two stories on one topic, each as a wire file and as web pages of outlets that wrap
    it in furniture: the same outlets, related lists and embedded posts on both stories'
    pages, so furniture alone makes the two look alike while it dilutes each story's own
    text, and captions and timestamps add figures the wire copy lacks."""
    setting = Setting.draw(rng)
    related = [Setting.draw(rng).headline(rng) for _ in range(4)] + [setting.headline(rng)]
    embeds = [_embedded_post(rng, setting) for _ in range(2)]
    outlets = rng.sample(OUTLETS, 3)
    items = []
    for index in range(2):
        own = setting.paragraphs(rng, rng.randint(6, 11))
        story = Story(setting.headline(rng), setting.caps, [setting.lede(own[0]), *own[1:]])
        label = f"furniture-{number}-{index}"
        items.append(Item(label, "furniture", _file(rng, story.headline, story.paragraphs)))
        for outlet in rng.sample(outlets, rng.randint(1, 3)):
            kept = story.paragraphs[: rng.randint(max(4, len(own) // 2), len(own))]
            page = web_page(rng, outlet, story.headline, kept, related, embeds, setting)
            items.append(Item(label, "furniture", page))
    return items


def live_blog(rng: random.Random, number: int) -> list[Item]:
    """Snapshots of one live blog, newest entry first, showing the latest ten entries
    (so early and late snapshots share few), and a short brief on the same event whose
    first two paragraphs the blog posts as one entry."""
    setting = Setting.draw(rng)
    brief = [setting.lede(p) for p in setting.paragraphs(rng, 1)] + setting.paragraphs(
        rng, rng.randint(1, 2)
    )
    entries = []
    hour, minute = rng.randint(6, 10), 0
    for index in range(rng.randint(16, 26)):
        minute += rng.randint(4, 25)
        hour, minute = hour + minute // 60, minute % 60
        text = (
            " ".join([_strip_dateline(brief[0], setting.caps), brief[1]])
            if index == 5
            else " ".join(setting.paragraphs(rng, 1))
        )
        entries.append(f"{hour % 12 or 12}:{minute:02d} {'a.m.' if hour < 12 else 'p.m.'} — {text}")
    title = f"LIVE: {setting.headline(rng)} - latest updates"
    outlet = rng.choice(OUTLETS)
    label = f"live-blog-{number}"
    items = []
    for shown in sorted(rng.sample(range(6, len(entries) + 1), rng.randint(3, 5))):
        window = entries[max(0, shown - 10) : shown][::-1]
        page = [*outlet.top, title, "Live updates", *window, "Load more updates", *outlet.bottom]
        items.append(Item(label, "live-blog", "\n".join(page) + "\n"))
    items.append(
        Item(f"live-brief-{number}", "live-blog", _file(rng, setting.headline(rng), brief))
    )
    return items


def digest(rng: random.Random, number: int) -> list[Item]:
    """Four to six stories with their versions, and one or two briefing pages that each
    hold the headline and first two paragraphs of several of them (half the stories also
    have a two-paragraph first take, which a briefing then wholly contains). A briefing is its own
    story and must never merge the stories it summarises."""
    stories = [make_story(rng) for _ in range(rng.randint(4, 6))]
    items = []
    for index, story in enumerate(stories):
        label = f"digest-{number}-story-{index}"
        if rng.random() < 0.5:  # a two-paragraph first take: all of it is in the digest
            items.append(Item(label, "digest", _file(rng, story.headline, story.paragraphs[:2])))
        for text in versions_of(rng, story, rng.randint(1, 3)):
            items.append(Item(label, "digest", text))
    for edition in range(rng.randint(1, 2)):
        chosen = sorted(rng.sample(range(len(stories)), rng.randint(3, len(stories))))
        page = [f"{rng.choice(['Morning', 'Evening', 'Midday'])} Briefing: what you need to know"]
        for index in chosen:
            page += [
                stories[index].headline,
                *stories[index].paragraphs[:2],
                "Read more",
            ]
        items.append(Item(f"digest-{number}-page-{edition}", "digest", "\n\n".join(page) + "\n"))
    return items


#: How many families of each kind to make, relative to the others (files per family
#: vary: about 3 to 8).
HARD_MIX: dict[str, tuple[Family, int]] = {
    "versions": (plain_versions, 4),
    "rewrite": (rewrites, 3),
    "first-take": (first_takes, 2),
    "chain": (drifting_chain, 2),
    "shared-background": (shared_background, 2),
    "follow-up": (follow_ups, 3),
    "template": (template_series, 2),
    "furniture": (furniture, 2),
    "live-blog": (live_blog, 1),
    "digest": (digest, 1),
}


def hard_items(rng: random.Random) -> Iterator[Item]:
    """Families of every kind, interleaved in a seeded order, without end."""
    deck = [maker for maker, weight in HARD_MIX.values() for _ in range(weight)]
    number = 0
    while True:
        rng.shuffle(deck)
        for maker in deck:
            number += 1
            for item in maker(rng, number):
                yield Item(item.label, item.kind, item.text, f"{item.kind}-{number}")
