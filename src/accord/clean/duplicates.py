"""Near-duplicate detection: MinHash signatures of articles and an LSH index over them.

Syndicated copies of a story differ in their menus, ads and a word here and there, so
exact hashes miss them. Each principal article gets a MinHash signature of its word
5-shingles (datasketch); an LSH index finds earlier documents whose estimated Jaccard
similarity is at least THRESHOLD, and the new document is linked to the earliest of
them. Signatures are stored as bytes with the document, so the index can be rebuilt
from the store and detection works across runs.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

THRESHOLD = 0.8
PERMUTATIONS = 128
SHINGLE = 5
SEED = 1
SCHEME = "affine32"
"""datasketch's default hashing scheme, named because shared permutations must name it."""


def shingles(text: str) -> set[bytes]:
    """The word n-grams of a text, lower-cased, as bytes."""
    words = re.findall(r"\w+", text.lower())
    if len(words) < SHINGLE:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


@cache
def _permutations() -> np.ndarray:
    """The permutation parameters every signature uses (drawn from SEED; drawing them
    costs more than signing a whole article, so it is done once per process)."""
    return MinHash(num_perm=PERMUTATIONS, seed=SEED).permutations


def minhash_of(text: str) -> LeanMinHash:
    """The MinHash signature of a text."""
    signature = MinHash(num_perm=PERMUTATIONS, seed=SEED, permutations=_permutations(), scheme=SCHEME)
    signature.update_batch(list(shingles(text)))
    return LeanMinHash(signature)


def minhash_to_bytes(signature: LeanMinHash) -> bytes:
    """A signature as bytes, for the store."""
    buffer = bytearray(signature.bytesize())
    signature.serialize(buffer)
    return bytes(buffer)


def minhash_from_bytes(blob: bytes) -> LeanMinHash:
    """A signature read back from the store."""
    return LeanMinHash.deserialize(blob)


class DuplicateIndex:
    """The documents seen so far, findable by near-duplicate signature."""

    def __init__(self) -> None:
        self._lsh = MinHashLSH(threshold=THRESHOLD, num_perm=PERMUTATIONS)
        self._order: dict[str, int] = {}
        self._signatures: dict[str, LeanMinHash] = {}

    def add(self, doc_id: str, signature: LeanMinHash) -> None:
        """Remember a document (a document already known is left as it is)."""
        if doc_id in self._order or signature.is_empty():
            return
        self._order[doc_id] = len(self._order)
        self._signatures[doc_id] = signature
        self._lsh.insert(doc_id, signature)

    def find(self, signature: LeanMinHash) -> str | None:
        """The earliest known document that the signature nearly duplicates, or None."""
        if signature.is_empty():
            return None
        close = [d for d in self._lsh.query(signature) if signature.jaccard(self._signatures[d]) >= THRESHOLD]
        return min(close, key=self._order.__getitem__) if close else None

    def __len__(self) -> int:
        return len(self._order)
