"""The one boundary between untrusted text and anything displayed or printed.

Everything read from a file (article text, headlines, file names, paths, search snippets)
passes `safe_text` (or `safe_line` for one screen line) before the app or the command line
shows it. Characters that could drive a terminal or reorder what is seen are replaced,
one for one, by visible stand-ins, so offsets into the text stay valid:

- C0 controls but newline and tab, ESC, DEL: the Control Pictures `␀`…`␟`, `␡`;
- C1 controls (U+0080–U+009F, which some terminals take as ESC sequences, U+009B as
  CSI): `�`;
- bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the bidi
  marks (U+200E, U+200F, U+061C), which can make a line read differently from what it
  holds: `⇄`;
- invisible characters that could hide a difference between two versions or smuggle
  text: zero-width space, word joiner and invisible operators (U+200B, U+2060–U+2064),
  a byte-order mark inside text (U+FEFF) and tag characters (U+E0000–U+E007F): `�`
  (zero-width joiners and non-joiners, which scripts and emoji need, are kept);
- line and paragraph separators (U+2028, U+2029): `␤`;
- lone surrogates (a file name that is not UTF-8 keeps its bytes as U+DC80–U+DCFF; they
  cannot be written to a terminal): `�`.

`json_dumps` does the same job for JSON output by escaping instead of replacing, so the
data stays exact. Plain Python: no Rich or Textual import, and stand-ins are never markup.
"""

from __future__ import annotations

import json
import re

#: Replaces one C1 control, lone surrogate or other unwritable character.
REPLACEMENT = "\ufffd"
#: Replaces a bidi embedding, override or isolate.
BIDI_STAND_IN = "⇄"
NEWLINE_STAND_IN = "␤"
TAB_STAND_IN = "␉"

_BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_INVISIBLE = "\u200b\u2060-\u2064\ufeff\U000e0000-\U000e007f"
_OTHER = f"{_BIDI}{_INVISIBLE}\u2028\u2029\ud800-\udfff"
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_OTHER}]")
_UNSAFE_IN_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_OTHER}]")
#: What JSON output escapes beyond what `json` itself does (it escapes only C0).
_UNSAFE_IN_JSON = re.compile(f"[\x7f-\x9f{_OTHER}]")


def _stand_in(character: str) -> str:
    code = ord(character)
    if character == "\n" or code in (0x2028, 0x2029):
        return NEWLINE_STAND_IN
    if character == "\t":
        return TAB_STAND_IN
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ … ␛ … ␟
    if code == 0x7F:
        return "␡"
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069 or code in (0x200E, 0x200F, 0x61C):
        return BIDI_STAND_IN
    return REPLACEMENT


def _replace(match: re.Match[str]) -> str:
    return _stand_in(match.group())


def safe_text(text: str) -> str:
    """`text` with every character that could act on a terminal made visible; newlines
    and tabs are kept. The result has the same length as `text`."""
    if text.isprintable():  # the common case: nothing to replace, no regex pass
        return text
    return _UNSAFE.sub(_replace, text)


def safe_line(text: str) -> str:
    """Like `safe_text`, for text shown on one line: newlines and tabs become `␤`, `␉`."""
    if text.isprintable():
        return text
    return _UNSAFE_IN_LINE.sub(_replace, text)


def is_safe(text: str) -> bool:
    """True when `text` holds nothing `safe_text` would replace."""
    return _UNSAFE.search(text) is None


def _escape_for_json(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # JSON escapes a character beyond the BMP as a surrogate pair
        high, low = divmod(code - 0x10000, 0x400)
        return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"
    return f"\\u{code:04x}"


def json_dumps(document: object, *, ascii_only: bool = False) -> str:
    """`document` as indented JSON with non-ASCII text kept readable, but every control
    character (C1 and DEL too), bidi control and lone surrogate escaped as `\\uXXXX`.

    Those characters can only occur inside JSON strings, so escaping them after
    `json.dumps` keeps the document valid and its values exact (`json.loads` gives back
    the same strings, a file name that is not UTF-8 included). `ascii_only` escapes every
    non-ASCII character, for output that cannot carry UTF-8.
    """
    dumped = json.dumps(document, ensure_ascii=ascii_only, indent=2)
    return dumped if ascii_only else _UNSAFE_IN_JSON.sub(_escape_for_json, dumped)
