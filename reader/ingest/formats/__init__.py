"""Readers for the formats wires and archives deliver, all yielding one item model.

`read_items(data, name)` sniffs the format and reads every article in the file; see
`README.md` in this folder for what is taken from each format.
"""

from reader.ingest.formats.model import NewsItem, Problem, ReadResult, to_parsed_text
from reader.ingest.formats.read import iter_items, read_items
from reader.ingest.formats.sniff import sniff_format
from reader.ingest.formats.versions import order_versions, story_key, version_key

__all__ = [
    "NewsItem",
    "Problem",
    "ReadResult",
    "iter_items",
    "order_versions",
    "read_items",
    "sniff_format",
    "story_key",
    "to_parsed_text",
    "version_key",
]
