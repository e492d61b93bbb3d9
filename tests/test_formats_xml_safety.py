"""XML parsing never expands entity bombs, never reads local files and never fetches anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.ingest.formats import read_items

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE nitf [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<nitf><body><body.head><hedline><hl1>Laughs &lol9;</hl1></hedline></body.head>
<body.content><p>Text &lol9; here.</p></body.content></body></nitf>
"""


def external_entity_document(root: str, target: Path) -> bytes:
    """A document whose entity points at a local file, wrapped in `root`'s format."""
    doctype = f'<!DOCTYPE {root} [<!ENTITY secret SYSTEM "file://{target}">]>'
    bodies = {
        "nitf": "<nitf><body><body.head><hedline><hl1>Leak &secret;</hl1></hedline>"
        "</body.head><body.content><p>Leak: &secret;</p></body.content></body></nitf>",
        "newsItem": '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g" version="1">'
        '<itemMeta><itemClass qcode="ninat:text"/></itemMeta><contentMeta><headline>Leak'
        " &secret;</headline></contentMeta><contentSet><inlineXML contenttype="
        '"application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body>'
        "<p>Leak: &secret;</p></body></html></inlineXML></contentSet></newsItem>",
        "NewsML": "<NewsML><NewsItem><NewsComponent><NewsLines><HeadLine>Leak &secret;"
        "</HeadLine></NewsLines><ContentItem><DataContent><p>Leak: &secret;</p>"
        "</DataContent></ContentItem></NewsComponent></NewsItem></NewsML>",
    }
    return f'<?xml version="1.0"?>\n{doctype}\n{bodies[root]}'.encode()


def all_text(data: bytes, name: str) -> str:
    result = read_items(data, name)
    parts = [p.message for p in result.problems]
    for item in result.items:
        parts += [item.headline, *(p.text for p in item.paragraphs)]
    return " ".join(parts)


def test_billion_laughs_is_not_expanded() -> None:
    text = all_text(BILLION_LAUGHS, "bomb.xml")
    assert "lollollol" not in text
    assert len(text) < 2000


@pytest.mark.parametrize("root", ["nitf", "newsItem", "NewsML"])
def test_external_entity_never_brings_a_local_file_into_the_text(root: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-PASSWORD-4711")
    text = all_text(external_entity_document(root, secret), "leak.xml")
    assert "TOP-SECRET-PASSWORD-4711" not in text


def test_external_dtd_is_never_loaded(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY injected "INJECTED-FROM-DTD">')
    document = (
        f'<?xml version="1.0"?>\n<!DOCTYPE nitf SYSTEM "file://{dtd}">\n'
        "<nitf><body><body.head><hedline><hl1>Title &injected;</hl1></hedline></body.head>"
        "<body.content><p>Body &injected; text.</p></body.content></body></nitf>"
    ).encode()
    assert "INJECTED-FROM-DTD" not in all_text(document, "dtd.xml")


def test_a_network_dtd_is_not_fetched() -> None:
    # An unroutable address: a fetch would hang or fail loudly; the parser must not try.
    document = (
        b'<?xml version="1.0"?>\n<!DOCTYPE nitf SYSTEM "http://192.0.2.1/nitf.dtd">\n'
        b"<nitf><body><body.head><hedline><hl1>Offline</hl1></hedline></body.head>"
        b"<body.content><p>Parsed without the network.</p></body.content></body></nitf>"
    )
    result = read_items(document, "net.xml")
    assert [item.headline for item in result.items] == ["Offline"]
