"""Decoding article bytes: UTF-8 first, legacy encodings recorded, binary refused."""

from __future__ import annotations

import codecs

import pytest

from reader.ingest.decode import NotText, decode_article_bytes


def test_utf8_is_decoded_without_fallback() -> None:
    decoded = decode_article_bytes("NATO’s “allies” — 5%".encode())
    assert decoded.text == "NATO’s “allies” — 5%"
    assert (decoded.encoding, decoded.fallback) == ("utf-8", False)


def test_utf8_byte_order_mark_is_dropped() -> None:
    decoded = decode_article_bytes(codecs.BOM_UTF8 + b"Brussels")
    assert decoded.text == "Brussels"
    assert decoded.encoding == "utf-8-sig"
    assert not decoded.fallback


def test_cp1252_smart_quotes_fall_back_and_are_recorded() -> None:
    decoded = decode_article_bytes(b"\x93Now it\x92s time,\x94 he said \x96 twice")
    assert decoded.text == "“Now it’s time,” he said – twice"
    assert (decoded.encoding, decoded.fallback) == ("cp1252", True)


def test_bytes_undefined_in_cp1252_fall_back_to_latin1() -> None:
    decoded = decode_article_bytes(b"caf\xe9 \x81")
    assert decoded.text == "café \x81"
    assert decoded.encoding == "latin-1"


def test_utf16_with_byte_order_mark() -> None:
    decoded = decode_article_bytes("Hegseth said".encode("utf-16"))
    assert decoded.text == "Hegseth said"
    assert decoded.encoding == "utf-16"


@pytest.mark.parametrize("raw", [b"CRLF\r\nline\r\n", b"CR\rline\r"])
def test_crlf_and_lone_cr_become_lf(raw: bytes) -> None:
    assert "\r" not in decode_article_bytes(raw).text
    assert decode_article_bytes(raw).text.count("\n") == 2


@pytest.mark.parametrize("raw", [b"text\x00with nul", b"\x89PNG\r\n\x1a\n....", b"%PDF-1.7 body"])
def test_binary_data_is_not_text(raw: bytes) -> None:
    with pytest.raises(NotText):
        decode_article_bytes(raw)


def test_a_character_cut_by_truncation_does_not_force_a_legacy_encoding() -> None:
    data = "Rutte said “we”".encode()[:-1]
    decoded = decode_article_bytes(data, truncated=True)
    assert decoded.encoding == "utf-8"
    assert decoded.text.startswith("Rutte said")
