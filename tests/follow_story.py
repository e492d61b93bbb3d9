"""A wire story filed five times, with known provenance, for the story-following tests.

v1 is the first take; v2 adds a paragraph; v3 adds the hospital sentence and the cause
sentence; v4 changes the death toll in a sentence from v1 (12 -> 15) and the number taken
to hospital in the sentence from v3 (14 -> 20), and adds a paragraph; v5 adds the closing
paragraph.
"""

from __future__ import annotations

import os
from pathlib import Path

HEADLINE = "Explosion at Lyon chemical plant kills workers"
LEDE = (
    "LYON, France (AP) — An explosion tore through a chemical plant on the outskirts of "
    "Lyon on Thursday morning, setting off a fire that sent black smoke over the city."
)
TOLL_V1 = "At least 12 people were killed in the blast, the regional prefecture said."
TOLL_V4 = "At least 15 people were killed in the blast, the regional prefecture said."
CONTEXT = (
    "The plant, built in 1968 on a 30-hectare site and run by the industrial group Rhodanie "
    "Chimie, makes solvents for the paint industry and employs about 400 people. "
    "Firefighters said the fire was under control by early afternoon."
)
HOSPITAL_V3 = "Police said 14 people were taken to hospital with burns and breathing problems."
HOSPITAL_V4 = "Police said 20 people were taken to hospital with burns and breathing problems."
CAUSE = "The cause of the explosion was not immediately known."
RESIDENTS = (
    "Residents within two kilometres were told to keep their windows shut, and three "
    "schools nearby were closed for the day as a precaution."
)
CLOSING = (
    "France's interior minister was expected to visit the site on Friday. An inquiry into "
    "the cause of the explosion has been opened by the Lyon prosecutor's office."
)
#: The new words of v5 against v4, in order.
V5_NEW_WORDS = CLOSING.split()


def version_texts() -> list[str]:
    """The five versions' texts, oldest first."""
    paragraphs = [
        [LEDE, TOLL_V1],
        [LEDE, TOLL_V1, CONTEXT],
        [LEDE, TOLL_V1 + " " + HOSPITAL_V3, CONTEXT + " " + CAUSE],
        [LEDE, TOLL_V4 + " " + HOSPITAL_V4, CONTEXT + " " + CAUSE, RESIDENTS],
        [LEDE, TOLL_V4 + " " + HOSPITAL_V4, CONTEXT + " " + CAUSE, RESIDENTS, CLOSING],
    ]
    return [HEADLINE + "\n\n" + "\n\n".join(parts) + "\n" for parts in paragraphs]


#: 2026-03-05 08:00 UTC; each version is filed 30 minutes after the one before.
FIRST_FILED = 1_772_697_600


def write_version(folder: Path, number: int) -> Path:
    """Write version `number` (from 1) as `lyon_0N.txt`, with its filing time as mtime."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"lyon_0{number}.txt"
    path.write_text(version_texts()[number - 1], encoding="utf-8")
    moment = FIRST_FILED + 1800 * (number - 1)
    os.utime(path, (moment, moment))
    return path


def write_story(folder: Path, versions: int = 5) -> list[Path]:
    """Write the first `versions` versions into `folder`."""
    return [write_version(folder, number) for number in range(1, versions + 1)]
