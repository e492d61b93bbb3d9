"""Archive copy as the 1987 Reuters wire files look: hard-wrapped at 60-70 columns, each
paragraph opened by a 4-space indent, a capitalised headline, a bare `REUTER` sign-off,
earnings lines (`Shr ... vs ...`) and a price table kept line by line.

Each story comes in several versions that re-wrap the same words at another width and
change a few of them, as a re-filed or updated take does; `write_archive_corpus` writes
them to a folder with fixed modification times.
"""

from __future__ import annotations

import os
import textwrap
from dataclasses import dataclass
from pathlib import Path

#: 1987-03-02 14:00 UTC: the week of the stories.
ARCHIVE_MTIME = 541_692_000


@dataclass(frozen=True)
class Block:
    """A paragraph to wrap, or (`fixed`) lines to keep exactly as written."""

    text: str
    fixed: bool = False


def wrap_archive(headline: str, blocks: list[Block], width: int) -> str:
    """The file's text: headline, paragraphs wrapped at `width` with a 4-space indent on
    the first line of each, fixed lines as they are, and the `REUTER` trailer."""
    lines = [headline]
    for block in blocks:
        if block.fixed:
            lines.extend(block.text.split("\n"))
            continue
        lines.extend(
            textwrap.wrap(block.text, width=width, initial_indent="    ", subsequent_indent="")
        )
    lines.append(" REUTER")
    return "\n".join(lines) + "\n"


_OPEC_LEDE = (
    "Saudi Arabia's oil minister Hisham Nazer said OPEC would hold to its agreed "
    "production ceiling of 15.8 mln barrels per day and would defend the reference "
    "price of 18 dlrs a barrel, the Saudi Press Agency reported."
)
_OPEC_BODY = [
    "Nazer, speaking in Riyadh after a meeting with King Fahd, said the Saudis would not "
    "increase their output above the quota of 4.133 mln bpd set at the December meeting "
    "in Geneva.",
    "He said the market was stabilising and that buyers who had waited for prices to fall "
    "were returning to term contracts at official prices.",
    "Oil traders in London said spot prices for Brent blend rose 35 cts to 17.65 dlrs in "
    "early trading on the report, the highest level in three weeks.",
    "The minister said OPEC members had shown discipline since the Geneva accord and that "
    "he expected the group to keep to its quotas through the second quarter.",
    "Industry analysts have said that some members, notably the United Arab Emirates and "
    "Ecuador, were producing above their quotas in February.",
    "Nazer said the kingdom was in contact with non-OPEC producers, including Mexico, "
    "Norway and Egypt, and that they had pledged to help keep the market in balance.",
    "He declined to say whether Saudi Arabia would seek an emergency meeting of the "
    "organisation if prices fell below the reference level again.",
    "The Saudi Press Agency said Nazer would travel to Kuwait and Qatar later this week "
    "for talks with their oil ministers.",
    "OPEC's pricing committee is due to meet in Vienna on April 2 to review the market.",
]
_OPEC_PRICES = Block(
    "                          Mar 2     Feb 27    Feb 20\n"
    "  Brent (spot)            17.65     17.30     17.05\n"
    "  Dubai (spot)            16.10     15.85     15.60\n"
    "  WTI (NYMEX, Apr)        17.92     17.55     17.40",
    fixed=True,
)


def _opec_versions() -> list[tuple[str, str]]:
    first = wrap_archive(
        "SAUDI OIL MINISTER SAYS OPEC WILL DEFEND PRICES",
        [Block(_OPEC_LEDE), *(Block(p) for p in _OPEC_BODY)],
        width=65,
    )
    # A write-through: the same words re-wrapped at another width, one sentence changed,
    # and the price table added.
    changed = list(_OPEC_BODY)
    changed[4] = (
        "Industry analysts have said that some members, notably the United Arab Emirates, "
        "Kuwait and Ecuador, were producing well above their quotas in February."
    )
    second = wrap_archive(
        "SAUDI OIL MINISTER SAYS OPEC WILL DEFEND PRICES",
        [Block(_OPEC_LEDE), *(Block(p) for p in changed), _OPEC_PRICES],
        width=69,
    )
    return [("opec-1.txt", first), ("opec-2.txt", second)]


_EARNINGS_HEAD = "CHAMPION PRODUCTS INC <CH> 4TH QTR NET"
_EARNINGS_FIRST = Block(
    "    Shr 34 cts vs 1.19 dlrs\n"
    "    Net 807,000 vs 2,858,000\n"
    "    Revs 51.1 mln vs 48.9 mln\n"
    "    Year\n"
    "    Shr 1.21 dlrs vs 2.32 dlrs\n"
    "    Net 2,883,000 vs 5,559,000\n"
    "    Revs 205.6 mln vs 193.0 mln",
    fixed=True,
)
_EARNINGS_NOTE = (
    "Note: The year-ago results include an extraordinary gain from a tax loss carry "
    "forward of 132,000 dlrs, or five cts per share."
)


def _earnings_versions() -> list[tuple[str, str]]:
    first = wrap_archive(_EARNINGS_HEAD, [_EARNINGS_FIRST, Block(_EARNINGS_NOTE)], width=66)
    corrected = Block(_EARNINGS_FIRST.text.replace("Net 807,000", "Net 870,000"), fixed=True)
    second = wrap_archive(
        "CORRECTED - " + _EARNINGS_HEAD, [corrected, Block(_EARNINGS_NOTE)], width=62
    )
    return [("champion-1.txt", first), ("champion-2.txt", second)]


_DEBT_PARAGRAPHS = [
    "Brazil's finance minister Dilson Funaro said the country would not resume interest "
    "payments on its 68 billion dlrs of commercial bank debt until creditors agreed to "
    "a long-term rescheduling.",
    "Funaro told reporters in Brasilia that the suspension announced on February 20 "
    "would stay in force while Brazil negotiated with its bank advisory committee.",
    "He said the government wanted growth of at least seven pct this year and could not "
    "afford to send abroad the four billion dlrs a year that interest payments would "
    "cost.",
    "Bankers in New York said the advisory committee, led by Citibank, would meet on "
    "Thursday to discuss the Brazilian position.",
]


def _debt_versions() -> list[tuple[str, str]]:
    first = wrap_archive(
        "BRAZIL WILL NOT PAY BANKS UNTIL DEBT IS RESCHEDULED",
        [Block(p) for p in _DEBT_PARAGRAPHS[:2]],
        width=64,
    )
    second = wrap_archive(
        "BRAZIL WILL NOT PAY BANKS UNTIL DEBT IS RESCHEDULED",
        [Block(p) for p in _DEBT_PARAGRAPHS[:3]],
        width=68,
    )
    lede = _DEBT_PARAGRAPHS[0].replace("would not resume", "will not resume")
    third = wrap_archive(
        "BRAZIL'S FUNARO SAYS NO PAYMENTS UNTIL DEBT RESCHEDULED",
        [Block(lede), *(Block(p) for p in _DEBT_PARAGRAPHS[1:])],
        width=66,
    )
    return [("brazil-1.txt", first), ("brazil-2.txt", second), ("brazil-3.txt", third)]


def archive_files() -> list[tuple[str, str]]:
    """(file name, text) of every version of every story in the archive corpus."""
    return [*_opec_versions(), *_earnings_versions(), *_debt_versions()]


def write_archive_corpus(folder: Path) -> Path:
    """Write the archive corpus to `folder` (created) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for offset, (name, text) in enumerate(archive_files()):
        path = folder / name
        path.write_text(text, encoding="ascii")
        os.utime(path, (ARCHIVE_MTIME + 60 * offset, ARCHIVE_MTIME + 60 * offset))
    return folder
