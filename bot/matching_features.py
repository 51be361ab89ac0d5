"""What the matcher learns from, and how a text becomes a row: tf-idf of words and characters.

A library gives rows: each playbook's examples, titles (every language), aliases
and summary; then the hidden "nothing fits" class from ``bot/data/out-of-scope.txt``.
Each row is seen as sublinear tf-idf of content words and word pairs, and of
character 2-5-grams (see ``bot/normalizing.py``); ``bot/matching.py`` adds the
sentence embedding and weighs the three views into one unit vector.

>>> vocab, idf, matrix = tfidf_fit([["late", "package"], ["lost", "package"]])
>>> matrix.shape, sorted(vocab)
((2, 3), ['late', 'lost', 'package'])
>>> row = tfidf_row(["late", "unknown"], vocab, idf, common_idf=0.0)
>>> round(float((row @ matrix.T).toarray()[0, 0]), 2)  # "unknown" counts in the length, as the rarest word
0.58
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import numpy as np
from scipy import sparse

from bot.matching_profiles import Profile
from bot.models import Playbook

__all__ = ["OUT_OF_SCOPE", "out_of_scope_texts", "out_of_scope_topics", "training_texts", "tfidf_fit", "tfidf_row",
           "view_weights"]

OUT_OF_SCOPE = Path(__file__).resolve().parent / "data" / "out-of-scope.txt"


@lru_cache(maxsize=1)
def out_of_scope_texts() -> tuple[str, ...]:
    """The lines of the hidden "nothing fits" class (comments and blank lines skipped)."""
    return tuple(out_of_scope_topics())


@lru_cache(maxsize=1)
def out_of_scope_topics() -> Mapping[str, str]:
    """Each line of the hidden class -> its topic (the ``# --- topic`` header above it); read-only,
    as every caller shares the cached mapping."""
    topics, topic = {}, ""
    for line in OUT_OF_SCOPE.read_text(encoding="utf-8").splitlines():
        if line.startswith("# ---"):
            topic = line.removeprefix("# ---").strip()
        elif line.strip() and not line.startswith("#"):
            topics.setdefault(line.strip(), topic)
    return MappingProxyType(topics)


def training_texts(playbooks: Mapping[str, Playbook], ids: list[str]) -> tuple[list[str], list[int]]:
    """Examples, titles and aliases of each playbook, as rows owned by the playbook's index.

    A summary is used too, with other playbooks' ids taken out: "if the item is
    broken use damaged-item" must not make this playbook look like damaged-item.
    """
    texts, owners = [], []
    for index, playbook_id in enumerate(ids):
        playbook = playbooks[playbook_id]
        own = [*playbook.examples, *playbook.title.all_texts(), *playbook.aliases]
        if playbook.summary is not None:
            own += [_without_ids(t, ids) for t in playbook.summary.all_texts()]
        own = list(dict.fromkeys(text.strip() for text in own if text.strip()))
        texts += own
        owners += [index] * len(own)
    return texts, owners


def _without_ids(text: str, ids) -> str:
    for other in ids:
        text = text.replace(other, " ")
    return text


def tfidf_fit(rows: Iterable[list[str]]):
    """Vocabulary, smoothed idf and the L2-normalised sublinear tf-idf matrix of ``rows``."""
    vocab: dict[str, int] = {}
    indptr, indices, data = [0], [], []
    for features in rows:
        counts: dict[int, int] = {}
        for feature in features:
            column = vocab.setdefault(feature, len(vocab))
            counts[column] = counts.get(column, 0) + 1
        indices += counts.keys()
        data += [1.0 + math.log(count) for count in counts.values()]
        indptr.append(len(indices))
    count = len(indptr) - 1
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(count, len(vocab)), dtype=np.float64)
    idf = np.log((1 + count) / (1 + np.bincount(matrix.indices, minlength=len(vocab)))) + 1.0
    matrix = sparse.csr_matrix(matrix.multiply(idf[None, :]))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return vocab, idf, sparse.csr_matrix(sparse.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ matrix)


def tfidf_row(features: list[str], vocab: dict[str, int], idf: np.ndarray, common_idf: float) -> sparse.csr_matrix:
    """A query's tf-idf row. Unknown features count in its length (as the rarest), so a
    sentence that shares one word with a playbook does not look made of that word.
    Features with an idf under ``common_idf`` (in very many rows) count in the length but
    are left out of the dot products: they add almost the same to every row and cost the most."""
    counts: dict[str, int] = {}
    for feature in features:
        counts[feature] = counts.get(feature, 0) + 1
    unknown = float(idf.max()) if len(idf) else 1.0
    columns, values, norm = [], [], 0.0
    for feature, count in counts.items():
        column = vocab.get(feature)
        weight = (1.0 + math.log(count)) * (idf[column] if column is not None else unknown)
        norm += weight * weight
        if column is not None and idf[column] > common_idf:
            columns.append(column)
            values.append(weight)
    scale = 1.0 / math.sqrt(norm) if norm else 0.0
    return sparse.csr_matrix((np.asarray(values) * scale, columns, [0, len(columns)]), shape=(1, len(vocab)))


def view_weights(dims: int, profile: Profile) -> tuple[float, float, float]:
    """Per-view multipliers (word n-grams, character n-grams, embedding; bot/matching_profiles.py),
    scaled so the combined vector of a text has length 1.

    >>> [round(w, 3) for w in view_weights(0, Profile())]
    [0.573, 0.819, 0.0]
    """
    word, char = profile.word_weight, profile.char_weight
    embedding = profile.embedding_weight if dims else 0.0
    total = math.sqrt(word**2 + char**2 + embedding**2)
    return word / total, char / total, embedding / total
