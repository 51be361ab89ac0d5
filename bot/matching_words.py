"""Soft word coverage: how much of the situation a playbook's own words say, synonyms counted.

For each content word of the situation, the best cosine to any word the playbook's texts use
(the static model's word vectors, so "parcel" finds "package" and "paquete" finds "package"),
averaged over the situation's words. It looks at a playbook's whole vocabulary, not at one example
at a time: a situation worded partly like one example and partly like another is covered, where
each example alone is only half similar. The ranking adds it to the prior
(``Profile.coverage_weight``); benchmarks/eval/README.md has what it gained.

>>> vectors = {"parcel": [1.0, 0.0], "package": [0.8, 0.6], "lost": [0.0, 1.0], "refund": [0.6, -0.8]}
>>> encode = lambda words, language: np.array([vectors[w] for w in words], dtype=np.float32)
>>> table = WordCoverage([[("parcel", "en"), ("lost", "en")], [("refund", "en")], []], encode)
>>> query = table.vectors(["package", "lost"], "en", encode)
>>> [round(float(x), 2) for x in table.coverage(query, [[0], [1], [2], [1, 0]])]
[0.9, -0.4, 0.0, 0.9]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["WordCoverage"]

WordEncoder = Callable[[list[str], str], np.ndarray]  # (words, language) -> one unit vector per word


class WordCoverage:
    """Every group's distinct (word, language) pairs, as rows of one table of unit vectors."""

    def __init__(self, group_words: Sequence[Sequence[tuple[str, str]]], encode: WordEncoder):
        """``group_words[g]``: the (word, language) pairs group ``g`` uses (a playbook, or one line)."""
        self._slot: dict[tuple[str, str], int] = {}
        members = [sorted({self._slot.setdefault(pair, len(self._slot)) for pair in pairs}) for pairs in group_words]
        nothing = len(self._slot)  # a group without words points at this row, all zeros: it covers nothing
        self._members = np.concatenate([m or [nothing] for m in members] or [[]]).astype(np.int64)
        self._starts = np.cumsum([0] + [max(len(m), 1) for m in members])
        self._vectors = np.zeros((nothing + 1, 0), dtype=np.float32)
        by_language: dict[str, list[tuple[str, int]]] = {}
        for (word, language), index in self._slot.items():
            by_language.setdefault(language, []).append((word, index))
        for language, entries in by_language.items():
            words, indices = zip(*entries)
            found = encode(list(words), language)
            if not self._vectors.shape[1]:
                self._vectors = np.zeros((nothing + 1, found.shape[1]), dtype=np.float32)
            self._vectors[list(indices)] = found

    def vectors(self, words: Sequence[str], language: str, encode: WordEncoder) -> np.ndarray:
        """The vectors of a query's words: from the table when the library uses the word too
        (typo repair makes that the usual case), else encoded."""
        rows = np.array([self._slot.get((word, language), -1) for word in words], dtype=np.int64)
        out = self._vectors[rows]  # a copy; an unknown word (-1) reads the zero row until encoded below
        unknown = np.flatnonzero(rows < 0)
        if len(unknown):
            out[unknown] = encode([words[i] for i in unknown], language)
        return out

    def coverage(self, query: np.ndarray, candidates: Sequence[Sequence[int]]) -> np.ndarray:
        """For each candidate (a list of groups, their words pooled): the mean over the query's
        word vectors (rows of ``query``) of their best cosine to one of the candidate's words."""
        if not len(query) or not len(candidates) or not self._vectors.shape[1]:
            return np.zeros(len(candidates))
        starts, members = self._starts, self._members
        pieces = [members[starts[g]:starts[g + 1]] for groups in candidates for g in groups]
        sizes = [sum(int(starts[g + 1] - starts[g]) for g in groups) for groups in candidates]
        cosines = query @ self._vectors[np.concatenate(pieces)].T
        return np.maximum.reduceat(cosines, np.cumsum([0] + sizes[:-1]), axis=1).mean(axis=0)
