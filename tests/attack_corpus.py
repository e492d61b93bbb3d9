"""A corpus built to attack the reader: terminal escape sequences, Rich/Textual markup, bidi
controls, C1 controls, names that are not UTF-8 and names that look like options.

Every payload carries the marker `PWN` right before its dangerous part, so a test can
check raw output for what matters: a marker followed by ESC or a C1 byte means an attack
reached the terminal; a marker followed by its stand-in means it was shown as data.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

#: Put before every dangerous sequence in the corpus.
MARKER = "PWN"

#: Sequences a terminal or Textual would act on, each after the marker.
ESCAPES = {
    "osc52": "\x1b]52;c;SEVMTE8=\x07",  # write "HELLO" to the system clipboard
    "osc0": "\x1b]0;owned-title\x07",  # set the window title
    "clear": "\x1b[2J",  # wipe the screen
    "csi_c1": "\x9b31m",  # CSI as one C1 character
    "osc8": "\x1b]8;;file:///etc/passwd\x1b\\link\x1b]8;;\x1b\\",  # a hyperlink
    "bell": "\x07\x08\x0b\x0c\r\x7f",
}
#: Markup Rich or Textual would interpret, each after the marker.
MARKUP = {
    "click_quit": "[@click=app.quit]quit[/]",
    "click_screenshot": "[@click=app.screenshot('x','/tmp')]shot[/]",
    "close": "[/]",
    "link": "[link=file:///etc/passwd]passwd[/link]",
    "bold": "[bold red]loud[/]",
}
#: Characters that reorder how a line reads.
BIDI = "\u202eevil\u202c \u2066iso\u2069"
#: Bytes that are not UTF-8, in a file name.
NOT_UTF8_NAME = b"caf\xe9-\xff\xfe.txt"

#: Raw byte sequences that must never reach a terminal from the corpus.
FORBIDDEN_BYTES = (
    b"\x1b]52",  # clipboard
    b"\x1b]0;owned",  # window title
    b"\x1b]8;;file:///etc",  # hyperlink
    b"\xc2\x9b31m",  # U+009B, CSI, in UTF-8
    b"\xe2\x80\xae",  # U+202E, right-to-left override, in UTF-8
    b"\xe2\x81\xa6",  # U+2066, left-to-right isolate, in UTF-8
)
#: Our own colours (SGR) and cursor moves: what may legitimately follow shown text.
_OWN_SEQUENCE = re.compile(rb"\x1b\[[0-9;:]*[mH]")
#: The marker, then (after any of our own colours) a control byte or a C1 character.
_MARKER_THEN_CONTROL = re.compile(
    MARKER.encode()
    + rb"(?:\x1b\[[0-9;:]*m)*(?:\x1b(?!\[[0-9;:]*[mH])|[\x00-\x1a\x1c-\x1f\x7f]|\xc2[\x80-\x9f])"
)


def payloads() -> dict[str, str]:
    """Every attack, by name, with the marker before it."""
    found = {f"esc_{name}": MARKER + text for name, text in ESCAPES.items()}
    found.update({f"markup_{name}": MARKER + text for name, text in MARKUP.items()})
    found["bidi"] = MARKER + BIDI
    return found


def hostile_text(headline_attack: str, body_attack: str) -> str:
    """A wire story whose headline and body carry attacks; long enough to be grouped."""
    body = (
        "BRUSSELS (Reuters) - NATO allies agreed on Thursday to raise defence spending "
        f"after talks that ran late into the night {body_attack} in the Belgian capital.\n\n"
        "Ministers said the plan would be reviewed next year, and officials from several "
        f"member states welcomed the deal {body_attack} as a step forward.\n"
    )
    return f"Allies agree {headline_attack} on spending\n\n{body}"


def build_attack_corpus(root: Path) -> dict[bytes, bytes]:
    """Write the attack corpus under `root` (created); returns every file's bytes by name.

    Files: one per payload (in the headline and the body), two versions of one story so
    the diff shows attacks, a name holding escapes, a name holding markup, a name that is
    not UTF-8, and names that look like options.
    """
    root.mkdir(parents=True, exist_ok=True)
    files: dict[bytes, bytes] = {}
    for number, (name, attack) in enumerate(sorted(payloads().items())):
        files[f"{number:02d}_{name}.txt".encode()] = hostile_text(attack, attack).encode()
    everything = " ".join(payloads().values())
    files[b"story_v1.txt"] = hostile_text(everything, "").encode()
    files[b"story_v2.txt"] = hostile_text(everything, everything).encode()
    files[f"name{MARKER}\x1b]0;owned-title\x07.txt".encode()] = hostile_text("", "").encode()
    files[f"name{MARKER}[@click=app.quit]x[/]y.txt".encode()] = hostile_text("x", "").encode()
    files[NOT_UTF8_NAME] = hostile_text("not utf-8 name", "").encode()
    files[b"--index"] = hostile_text("looks like an option", "").encode()
    files[b"-rf.txt"] = hostile_text("dash name", "").encode()
    for name, data in files.items():
        path = os.path.join(os.fsencode(root), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)  # `x[/]y.txt` is `]y.txt` in `x[`
        with open(path, "wb") as handle:
            handle.write(data)
    return files


def snapshot(root: Path) -> dict[bytes, bytes]:
    """Every file under `root` with its bytes, to show a corpus was left unchanged."""
    found: dict[bytes, bytes] = {}
    for folder, _, names in os.walk(os.fsencode(root)):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, os.fsencode(root))] = handle.read()
    return found


def attack_reached(output: bytes) -> list[bytes]:
    """What of the attacks reached raw terminal `output`: forbidden sequences, and any
    marker followed by a control character other than our own colours and cursor moves."""
    found = [sequence for sequence in FORBIDDEN_BYTES if sequence in output]
    found.extend(match.group() for match in _MARKER_THEN_CONTROL.finditer(output))
    return found


def strip_own_sequences(output: str) -> str:
    """`output` without our own colours and cursor moves: what is left is shown text."""
    return re.sub(r"\x1b\[[0-9;:]*[mH]", "", output)
