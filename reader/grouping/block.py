"""The signatures of one block of candidate pairs, as grouping reads them.

Deciding a million articles' candidate pairs reads each signature about ten times, and
most pairs are settled by what arrays can tell: the shingles the two share, their page
kinds, and whether both leads name dates. A block gives those for each of its articles as
columns (`kinds`, `dated`, `sizes`) and a list of shingle arrays, and makes an article's
dates, or its whole `Signature`, only when a pair that passed those screens asks for it
(`dates`, `signature`). Made from signatures held in memory (`LoadedBlock`), or from a
scratch pack that parses them on demand (`store.signature_pack`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping

import numpy as np

from reader.grouping.cleaning import PageKind
from reader.grouping.signature import Signature

#: Page kinds by number, as the `kinds` column holds them.
KINDS: tuple[PageKind, ...] = tuple(PageKind)
KIND_CODES: dict[PageKind, int] = {kind: code for code, kind in enumerate(KINDS)}


class BlockSignatures(ABC):
    """The signatures of some articles, by position in `ids` (sorted)."""

    def __init__(
        self, ids: np.ndarray, shingles: list[np.ndarray], kinds: np.ndarray, dated: np.ndarray
    ) -> None:
        self.ids = ids
        self.shingles = shingles
        #: Each article's page kind (`KIND_CODES`), and whether its lead names dates.
        self.kinds = kinds
        self.dated = dated
        self.sizes = np.fromiter(map(len, shingles), dtype=np.int64, count=len(shingles))

    def positions(self, ids: np.ndarray) -> np.ndarray:
        """Where these articles (all in the block) are."""
        return np.searchsorted(self.ids, ids)

    @abstractmethod
    def dates(self, position: int) -> frozenset[str]:
        """The dates and periods the article's headline and lead name."""

    @abstractmethod
    def signature(self, position: int) -> Signature:
        """The article's whole signature."""


class LoadedBlock(BlockSignatures):
    """A block of signatures already made."""

    def __init__(self, signatures: Mapping[int, Signature]) -> None:
        ids = np.fromiter(signatures.keys(), dtype=np.int64, count=len(signatures))
        order = np.argsort(ids)
        held = list(signatures.values())
        self._held: list[Signature] = [held[position] for position in order.tolist()]
        super().__init__(
            ids[order],
            [signature.shingles for signature in self._held],
            np.fromiter(
                (KIND_CODES[signature.kind] for signature in self._held),
                dtype=np.uint8,
                count=len(held),
            ),
            np.fromiter(
                (bool(signature.dates) for signature in self._held), dtype=bool, count=len(held)
            ),
        )

    def dates(self, position: int) -> frozenset[str]:
        return self._held[position].dates

    def signature(self, position: int) -> Signature:
        return self._held[position]
