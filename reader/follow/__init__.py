"""Following a story: sentence operations between versions, the provenance of every
sentence, the timeline, "what's new", and the `story --json` document.

Plain Python, no Textual. Modules, lowest first: `sentences` (splitting news copy),
`similarity` (sentence keys and likeness), `alignment` (NewsEdits operations between two
versions), `changes` (the differ's flags, what's new), `provenance` (blame for sentences,
cacheable), `timeline` (per-version figures), `story_json` (the document; its schema is
in the README), `followed` (a story of the corpus, cached in the index).
"""
