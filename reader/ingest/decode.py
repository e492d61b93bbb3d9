"""Turn the bytes of an article file into text, recording how it was decoded."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

#: Bytes looked at when deciding whether a file is binary.
BINARY_SNIFF_BYTES = 8192

#: Magic numbers of binary formats that can slip into a folder of articles.
_BINARY_SIGNATURES = (
    b"\x89PNG",
    b"%PDF",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
)


class NotText(ValueError):
    """The bytes are not an article's text (binary data, or nothing at all)."""


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Text decoded from a file, with the encoding that worked."""

    text: str
    encoding: str
    #: True when the file was not valid UTF-8 and a legacy encoding was used.
    fallback: bool


def _looks_binary(data: bytes) -> bool:
    head = data[:BINARY_SNIFF_BYTES]
    if head.startswith(_BINARY_SIGNATURES):
        return True
    return b"\x00" in head


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_article_bytes(data: bytes, *, truncated: bool = False) -> DecodedText:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 with BOM, then cp1252, then latin-1.

    `truncated` says the bytes are the head of a longer file, so a multi-byte character
    cut at the end is dropped rather than taken as a sign of a legacy encoding.
    Raises NotText for binary data. Newlines are normalised to LF.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            decoder = codecs.getincrementaldecoder("utf-16")()
            text = decoder.decode(data, final=not truncated)
            return DecodedText(normalise_newlines(text), "utf-16", False)
        except UnicodeDecodeError as error:
            raise NotText("invalid UTF-16") from error
    if _looks_binary(data):
        raise NotText("binary file")
    utf8_name = "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        utf8_name = "utf-8-sig"
    try:
        decoder = codecs.getincrementaldecoder("utf-8")()
        text = decoder.decode(data, final=not truncated)
        return DecodedText(normalise_newlines(text), utf8_name, False)
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        encoding = "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps every byte.
        text = data.decode("latin-1")
        encoding = "latin-1"
    return DecodedText(normalise_newlines(text), encoding, True)
