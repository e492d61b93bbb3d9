"""Generate wire-like stories and the edits outlets make to them (see ../shared/DOMAIN.md).

Seeded and deterministic. A story is a headline and a list of paragraphs (each one or two
sentences); versions are made from it by the edits wire copy goes through: a short first
take, write-throughs, new ledes, trims from the bottom, re-ordered paragraphs, word
substitutions, house style (quotes, dashes, U.S./US, British/American spelling),
sub-headlines, re-titling, re-flow, identical re-files. Distractors: different stories
on the same topic with the same people and places, and recurring template stories whose
wording repeats while figures, names and dates change.
"""

from __future__ import annotations

import random
import textwrap
from dataclasses import dataclass

PLACES = [
    ("BRUSSELS", "Brussels"), ("WASHINGTON", "Washington"), ("LONDON", "London"),
    ("PARIS", "Paris"), ("BERLIN", "Berlin"), ("KYIV", "Kyiv"), ("WARSAW", "Warsaw"),
    ("TOKYO", "Tokyo"), ("BEIJING", "Beijing"), ("NEW DELHI", "New Delhi"), ("GENEVA", "Geneva"),
    ("NAIROBI", "Nairobi"), ("CAIRO", "Cairo"), ("ANKARA", "Ankara"), ("OTTAWA", "Ottawa"),
    ("CANBERRA", "Canberra"), ("BRASILIA", "Brasilia"), ("MEXICO CITY", "Mexico City"),
]  # fmt: skip
TOPICS = {
    "defence": {
        "people": [
            ("Defence Secretary", "Pete Hegseth"), ("Secretary General", "Mark Rutte"),
            ("policy chief", "Elbridge Colby"), ("Defence Minister", "Boris Pistorius"),
            ("Foreign Minister", "Radoslaw Sikorski"), ("General", "Christopher Cavoli"),
        ],
        "nouns": ["defence spending", "the alliance", "troops", "air defence", "the summit",
                  "capability targets", "command posts", "deterrence", "the eastern flank",
                  "ammunition production", "burden-sharing", "the ministers", "security guarantees"],
        "verbs": ["urged", "pledged", "warned", "called for", "rejected", "welcomed", "questioned",
                  "announced", "signalled", "defended", "criticised", "backed"],
    },
    "energy": {
        "people": [
            ("Energy Minister", "Abdulaziz bin Salman"), ("OPEC Secretary General", "Haitham al-Ghais"),
            ("IEA chief", "Fatih Birol"), ("Energy Secretary", "Chris Wright"),
            ("Commissioner", "Dan Jorgensen"), ("analyst", "Amrita Sen"),
        ],
        "nouns": ["oil output", "crude prices", "the cartel", "gas storage", "refinery margins",
                  "production quotas", "the price cap", "supply cuts", "demand forecasts",
                  "LNG imports", "the energy transition", "fuel subsidies", "spare capacity"],
        "verbs": ["cut", "raised", "forecast", "warned", "defended", "agreed", "extended",
                  "questioned", "signalled", "lowered", "backed", "criticised"],
    },
    "elections": {
        "people": [
            ("President", "Emmanuel Macron"), ("Prime Minister", "Keir Starmer"),
            ("opposition leader", "Marine Le Pen"), ("Chancellor", "Friedrich Merz"),
            ("election commissioner", "Sunil Arora"), ("candidate", "Claudia Sheinbaum"),
        ],
        "nouns": ["the vote", "turnout", "the coalition", "the ballot", "opinion polls",
                  "the runoff", "parliament", "the campaign", "voters", "the manifesto",
                  "the electoral commission", "the results", "the constituency"],
        "verbs": ["conceded", "claimed", "promised", "rejected", "urged", "warned", "accused",
                  "welcomed", "called for", "questioned", "announced", "defended"],
    },
    "markets": {
        "people": [
            ("Fed Chair", "Jerome Powell"), ("ECB President", "Christine Lagarde"),
            ("Treasury Secretary", "Scott Bessent"), ("BoE Governor", "Andrew Bailey"),
            ("strategist", "Kit Juckes"), ("economist", "Mohamed El-Erian"),
        ],
        "nouns": ["interest rates", "inflation", "bond yields", "the dollar", "equities",
                  "the central bank", "rate cuts", "the labour market", "consumer prices",
                  "the yield curve", "growth forecasts", "tariffs", "investor sentiment"],
        "verbs": ["held", "raised", "cut", "warned", "signalled", "forecast", "questioned",
                  "defended", "welcomed", "rejected", "hinted at", "played down"],
    },
}  # fmt: skip
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip
ADJECTIVES = ["significant", "sharp", "modest", "unexpected", "long-awaited", "fresh",
              "renewed", "growing", "broad", "limited", "historic", "fragile", "costly"]  # fmt: skip
CONNECTORS = ["after", "as", "before", "while", "even as", "just days after", "weeks after"]
SAY = ["said", "told reporters", "said in a statement", "told a news conference", "added"]
SUBSTITUTIONS = {
    "said": "added", "urged": "called on", "warned": "cautioned", "significant": "major",
    "sharp": "steep", "announced": "unveiled", "rejected": "dismissed", "claimed": "asserted",
    "before": "ahead of", "after": "following", "officials": "diplomats", "fresh": "new",
    "questioned": "challenged", "backed": "supported", "modest": "small", "growing": "mounting",
}  # fmt: skip
BRITISH = {"defense": "defence", "center": "centre", "organize": "organise", "program": "programme",
           "signaled": "signalled", "labor": "labour", "favor": "favour", "criticized": "criticised"}  # fmt: skip
AMERICAN = {british: american for american, british in BRITISH.items()}


@dataclass
class Story:
    """A story's full text: headline, dateline and paragraphs."""

    headline: str
    dateline: str
    paragraphs: list[str]


def _person(rng: random.Random, topic: dict) -> str:
    title, name = rng.choice(topic["people"])
    return f"{title} {name}"


NOUNS = [
    "talks",
    "budget",
    "ceasefire",
    "deal",
    "sanctions",
    "tariffs",
    "pipeline",
    "reactor",
    "border",
    "treaty",
    "mission",
    "coalition",
    "strike",
    "protest",
    "inquiry",
    "reform",
    "pension",
    "subsidy",
    "loan",
    "bailout",
    "merger",
    "lawsuit",
    "verdict",
    "appeal",
    "ruling",
    "vaccine",
    "outbreak",
    "harvest",
    "drought",
    "flood",
    "wildfire",
    "earthquake",
    "evacuation",
    "convoy",
    "shipment",
    "embargo",
    "blockade",
    "referendum",
    "amendment",
    "decree",
    "audit",
    "probe",
    "scandal",
    "leak",
    "dossier",
    "memo",
    "ballot",
    "recount",
    "quota",
    "levy",
    "surplus",
    "deficit",
    "bond",
    "auction",
    "rally",
    "selloff",
    "rebound",
    "slump",
    "forecast",
    "outlook",
    "survey",
    "index",
    "factory",
    "mine",
    "port",
    "airport",
    "railway",
    "highway",
    "bridge",
    "dam",
    "grid",
    "refinery",
    "warehouse",
    "hospital",
    "school",
    "campus",
    "prison",
    "embassy",
    "consulate",
    "parliament",
    "senate",
    "court",
    "tribunal",
    "agency",
    "ministry",
    "regulator",
    "union",
    "cartel",
    "consortium",
    "startup",
    "lender",
    "insurer",
    "broker",
    "carrier",
    "airline",
    "shipyard",
    "stadium",
    "museum",
]
VERBS = [
    "approved",
    "rejected",
    "delayed",
    "blocked",
    "unveiled",
    "scrapped",
    "extended",
    "revised",
    "endorsed",
    "criticised",
    "condemned",
    "praised",
    "suspended",
    "resumed",
    "launched",
    "halted",
    "challenged",
    "defended",
    "doubled",
    "trimmed",
    "raised",
    "lowered",
    "tightened",
    "eased",
    "signed",
    "vetoed",
    "drafted",
    "leaked",
    "disputed",
    "confirmed",
    "denied",
]
MODIFIERS = [
    "controversial",
    "delayed",
    "disputed",
    "emergency",
    "fragile",
    "interim",
    "landmark",
    "long-awaited",
    "modest",
    "provisional",
    "regional",
    "revised",
    "sweeping",
    "temporary",
    "tentative",
    "unprecedented",
    "unpopular",
    "urgent",
]
PREPOSITIONS = ["amid", "despite", "after", "over", "ahead of", "following", "without", "under"]
FIRST_NAMES = [
    "Ana",
    "Bilal",
    "Carmen",
    "Dmitri",
    "Elena",
    "Farid",
    "Grace",
    "Hiroshi",
    "Ines",
    "Jonas",
    "Kemal",
    "Lina",
    "Mateo",
    "Nadia",
    "Omar",
    "Priya",
    "Quentin",
    "Rosa",
    "Samir",
    "Tomas",
    "Ursula",
    "Viktor",
    "Wen",
    "Yusuf",
    "Zofia",
    "Amara",
    "Bruno",
    "Chiara",
    "Darius",
    "Esther",
]
SURNAMES = [
    "Almeida",
    "Barros",
    "Chen",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quispe",
    "Rossi",
    "Silva",
    "Tanaka",
    "Ueda",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zeller",
]
WEEKDAYS_AT = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday",
               "late on Sunday", "early on Saturday", "this week", "last month", "overnight"]  # fmt: skip


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def _sentence(rng: random.Random, topic: dict, place: str, names: list[str]) -> str:
    """One sentence, built from large word lists so that unrelated stories rarely share
    three words in a row (as real ones rarely do), while sharing names and topic words."""
    who = rng.choice(names)
    surname = who.split()[-1]
    noun, other = rng.sample(NOUNS, 2)
    topic_noun = rng.choice(topic["nouns"])
    verb = rng.choice(VERBS)
    modifier = rng.choice(MODIFIERS)
    when = rng.choice(WEEKDAYS_AT)
    number = rng.choice(
        [str(rng.randint(2, 99)), f"{rng.randint(100, 999):,}", f"{rng.randint(1, 40)}%"]
    )
    shape = rng.randrange(8)
    if shape == 0:
        return f"{who} {rng.choice(topic['verbs'])} {topic_noun} {when}, {rng.choice(PREPOSITIONS)} a {modifier} {noun} in {place}."
    if shape == 1:
        return f"“Our {noun} cannot wait for {other},” {surname} {rng.choice(SAY)}, adding that {number} {rng.choice(NOUNS)}s were {verb}."
    if shape == 2:
        return f"{rng.choice(['Officials', 'Diplomats', 'Lawmakers', 'Aides', 'Investors'])} in {place} {verb} the {modifier} {noun} {when}, {rng.choice(PREPOSITIONS)} {number} {other}s."
    if shape == 3:
        return f"{_name(rng)}, a {rng.choice(['spokesperson', 'senior official', 'lawmaker', 'analyst', 'negotiator'])} {rng.choice(['for', 'at', 'with'])} the {other}, said {topic_noun} {rng.choice(['remained', 'looked', 'was'])} {modifier}."
    if shape == 4:
        return f"The {noun} was {verb} {when} {rng.choice(PREPOSITIONS)} {topic_noun}, {rng.choice(['according to', 'said', 'wrote'])} {_name(rng)}."
    if shape == 5:
        return f"{surname} {verb} {number} {noun}s {rng.choice(PREPOSITIONS)} {topic_noun}, {rng.choice(['and', 'but', 'while'])} {rng.choice(names)} {rng.choice(topic['verbs'])} the {other}."
    if shape == 6:
        return f"“{rng.choice(['We', 'They', 'You'])} {rng.choice(['will', 'must', 'should', 'cannot'])} {rng.choice(['fix', 'stop', 'fund', 'reopen', 'review'])} {topic_noun} {when},” {surname} {rng.choice(SAY)}."
    return f"In {rng.choice(PLACES)[1]}, {number} {noun}s were {verb} {rng.choice(PREPOSITIONS)} the {modifier} {other}, {_name(rng)} {rng.choice(SAY)}."


def make_story(
    rng: random.Random, topic_name: str | None = None, paragraphs: int | None = None
) -> Story:
    """A new story: a topic, its people, a place, and 8 to 22 paragraphs."""
    topic = TOPICS[topic_name or rng.choice(sorted(TOPICS))]
    caps, place = rng.choice(PLACES)
    names = [_person(rng, topic) for _ in range(3)]
    count = paragraphs or rng.randint(8, 22)
    body = []
    for _ in range(count):
        sentences = [_sentence(rng, topic, place, names) for _ in range(rng.choice((1, 1, 2)))]
        body.append(" ".join(sentences))
    body[0] = f"{caps} (Reuters) - {body[0]}"
    noun = rng.choice(topic["nouns"])
    headline = f"{names[0].split()[-1]} {rng.choice(topic['verbs'])} {noun} as {rng.choice(topic['nouns'])} {rng.choice(['loom', 'stall', 'shift', 'falter', 'rise'])}"
    return Story(headline=headline[0].upper() + headline[1:], dateline=caps, paragraphs=body)


def template_story(rng: random.Random, series: int, issue: int) -> Story:
    """A recurring template story (weekly statistics): same wording, new figures and dates."""
    country = ["Japan", "India", "Germany", "Brazil", "Canada", "Korea"][series % 6]
    item = ["crude oil demand", "money supply", "factory orders", "retail sales"][series % 4]
    week = f"{rng.choice(MONTHS)} {rng.randint(1, 28)}"
    figure, previous = rng.randint(100, 999), rng.randint(100, 999)
    pct = f"{rng.uniform(0.1, 9.9):.1f}"
    paragraphs = [
        f"TOKYO (Reuters) - {country}'s {item} rose {pct} percent to {figure}.{rng.randint(0, 9)} billion in the week to {week}, from {previous}.{rng.randint(0, 9)} billion a week earlier, government data showed on {rng.choice(DAYS)}.",
        f"The figure compared with a forecast of {rng.randint(100, 999)}.{rng.randint(0, 9)} billion in a Reuters poll of {rng.randint(8, 30)} economists.",
        f"Year-on-year, {item} was up {rng.uniform(0.1, 9.9):.1f} percent, after a {rng.uniform(0.1, 9.9):.1f} percent rise in the previous week.",
        f"The data is compiled by the ministry from reports by {rng.randint(20, 90)} companies and is revised monthly.",
    ]
    return Story(
        headline=f"{country} weekly {item} rises {pct} pct to {figure} bln",
        dateline="TOKYO",
        paragraphs=paragraphs,
    )


# --- versions -------------------------------------------------------------------------------


def _substitute(rng: random.Random, paragraph: str, rate: float) -> str:
    words = paragraph.split(" ")
    for index, word in enumerate(words):
        bare = word.strip(',.“”"')
        if bare in SUBSTITUTIONS and rng.random() < rate * 4:
            words[index] = word.replace(bare, SUBSTITUTIONS[bare])
    return " ".join(words)


def house_style(rng: random.Random, text: str) -> str:
    """Apply one outlet's style: quotes, dashes, U.S./US, British or American spelling."""
    if rng.random() < 0.5:
        text = text.replace("“", '"').replace("”", '"').replace("’", "'")
    if rng.random() < 0.5:
        text = text.replace(" - ", " – ")
    if rng.random() < 0.5:
        text = text.replace("U.S.", "US")
    table = BRITISH if rng.random() < 0.5 else AMERICAN
    for source, target in table.items():
        text = text.replace(source, target)
    return text


def layout(
    rng: random.Random, headline: str, paragraphs: list[str], style: str | None = None
) -> str:
    """Lay the text out: blank lines, one paragraph per line, or hard-wrapped with indents."""
    style = style or rng.choice(["blank", "blank", "lines", "wrapped"])
    if style == "lines":
        return "\n".join([headline, *paragraphs]) + "\n"
    if style == "wrapped":
        wrapped = [textwrap.fill(p, width=68, initial_indent="    ") for p in paragraphs]
        return "\n".join([headline.upper(), *wrapped]) + "\n"
    return "\n\n".join([headline, *paragraphs]) + "\n"


def versions_of(rng: random.Random, story: Story, count: int) -> list[str]:
    """`count` versions of a story as files' texts, first take first."""
    texts: list[str] = []
    full = story.paragraphs
    for number in range(count):
        kind = (
            "first"
            if number == 0
            else rng.choice(["write", "write", "update", "outlet", "outlet", "refile", "trim"])
        )
        paragraphs = list(full)
        headline = story.headline
        if kind == "first":
            paragraphs = full[: max(2, len(full) // 3)]
            headline = rng.choice(["", "URGENT-", "BREAKING-"]) + headline
        elif kind == "update":
            headline = f"UPDATE {number}-{headline}"
            new_lede = f"{story.dateline} (Reuters) - " + _substitute(
                rng, full[min(3, len(full) - 1)].split(" - ")[-1], 0.5
            )
            paragraphs = [
                new_lede,
                *(p.replace(f"{story.dateline} (Reuters) - ", "") for p in full),
            ]
        elif kind == "trim":
            paragraphs = full[: max(3, (len(full) * 2) // 3)]
        elif kind == "refile" and texts:
            texts.append(texts[-1])
            continue
        if kind in ("outlet", "trim", "update"):
            paragraphs = [_substitute(rng, p, 0.08) for p in paragraphs]
            if len(paragraphs) > 4 and rng.random() < 0.5:
                i = rng.randrange(2, len(paragraphs) - 1)
                paragraphs[i], paragraphs[i + 1] = paragraphs[i + 1], paragraphs[i]
            if len(paragraphs) > 5 and rng.random() < 0.3:
                paragraphs.insert(rng.randrange(3, len(paragraphs)), "Allies weigh next steps")
            if rng.random() < 0.4:
                headline = _substitute(rng, headline, 0.5) + rng.choice(
                    ["", " - sources", " -officials"]
                )
        text = (
            layout(rng, headline, paragraphs)
            if headline
            else layout(rng, paragraphs[0], paragraphs[1:])
        )
        texts.append(house_style(rng, text))
    return texts
