"""Situation text -> ranked playbooks, with an honest outcome: match, ambiguous or none.

>>> from bot.models import Playbook
>>> def playbook(pid, examples):
...     return Playbook.model_validate({"id": pid, "title": pid, "examples": examples, "steps": ["..."]})
>>> index = build_index({
...     "lost-package": playbook("lost-package", ["the parcel never arrived", "el paquete nunca llegó"]),
...     "damaged-item": playbook("damaged-item", ["the vase arrived broken", "llegó roto"]),
... })
>>> result = index.match("cx says the pakage never arived, order #48213")
>>> result.best.playbook, result.outcome
('lost-package', 'match')
>>> index.match("thanks, have a nice weekend").outcome
'none'

How a situation is ranked
-------------------------
Only what a playbook gives is used: its examples, title (every language), aliases
and summary (other playbook ids removed from it). Each such text is a row seen
three ways, each L2-normalised: tf-idf of content words and word pairs
(normalizing.py: folded, numbers dropped, typos repaired), tf-idf of character
2-5-grams, and a sentence embedding (encoders.py). The three views are weighted
0.7 / 1.0 / 2.0 into one unit vector, so a dot product is one combined cosine.

1. Prior: per playbook, cosine to its centroid + mean cosine of its two nearest
   rows. Training-free, a few sparse/dense products over all rows.
2. The 10 best playbooks by prior are re-ranked by a multinomial logistic
   regression fitted, per query, on their rows only (kernel form, Böhning
   updates: one 100x100 inverse and six small products). The classes that
   get confused are few and close; a discriminative model over just them learns
   what tells them apart, and its cost does not grow with the library. Final
   logit = local logit + 5 x prior.
3. Embeddings are used for English situations only and against English rows
   only: both encoders are English models, whose vectors for Spanish text are
   noise (on our eval set they cost Spanish 7 points). Spanish is matched on
   words and characters, which is where the Spanish examples help.
4. A hidden extra class learnt from ``bot/data/out-of-scope.txt`` (greetings,
   thanks, office and IT questions, EN and ES) competes in every re-ranking
   (its 16 rows nearest to the situation); it is never listed, but when it is
   far likelier than the best playbook the outcome is "none".

What was measured, and on what
------------------------------
Development proxy (never in the repo): BANKING77 test split (PolyAI), 77
fine-grained intents of real customer messages, first 20-25 messages per intent;
10 random per intent become a minimal playbook (id, title from the intent name,
examples, steps), the other 10-15 are queries (about 850); mean of 3 seeds.
                                       top-1   top-3
  words and characters only ("none")    0.76    0.89
  default (static model), this module   0.80    0.91
  semantic (all-MiniLM-L6-v2)           0.86    0.95
For reference, one global logistic regression over the same features (scikit-
learn) gets 0.80 / 0.92 (static) and 0.86 / 0.955 (MiniLM).

Own eval set (benchmarks/eval/situations.jsonl: 16 sample playbooks with 22
examples each, 432 in-scope situations, 44% Spanish, 88 out-of-scope):
  default:  top-1 0.91 (EN 0.91, ES 0.92), top-3 0.98 (EN 0.98, ES 0.98);
            "none": recall 0.30 at precision 0.93 (its out-of-scope lines are
            mostly customer requests near the library's topics).
  "none" encoder (words only): top-1 0.92, top-3 0.97.
  (With the earlier 12 examples per playbook: default 0.85 / 0.96; semantic
  EN 0.90, ES 0.85 -- Spanish never uses embeddings.)

Thresholds, and how they were calibrated
----------------------------------------
Not on the eval set. Calibration data: (a) in scope: 5-fold cross-validation
over the sample playbooks' own examples (each held-out example matched against
a library built without it: 192 situations, half Spanish); (b) out of scope:
``benchmarks.synthetic.out_of_scope()`` (60 lines: small talk, internal IT/HR,
customer questions no sample playbook covers) and 192 BANKING77 messages from 24
intents unrelated to the sample library (card PIN, ATM, identity checks, ...).

- ``none``: the target is precision >= 0.9 at the eval set's ~17% out-of-scope
  share, which allows at most ~2% of in-scope situations to be called "none".
  On the calibration data (352 held-out examples of the 22-example library)
  that point is: hidden class more than 6x likelier than the best playbook
  (``reject_ratio``), or best row cosine under 0.40 with embeddings
  (``none_below``) / 0.15 on words alone (``none_below_lexical``): 2.0% of
  in-scope situations become "none" and 54% of out-of-scope ones do.
  With the semantic encoder the same procedure (on the 12-example library)
  gives ``none_below`` 0.30 and ratio 8: 2.1% false "none", 71% caught.
  The signals overlap too much to do better: catching 0.8 of the out-of-scope
  lines costs over 10% false "none" on the calibration data.
- ``match``: top probability >= 0.6 and >= 0.2 ahead of the second. On the
  cross-validated in-scope situations, such matches were right 97% of the time
  and covered a third of the situations; everything else in scope is
  "ambiguous" (the top three are offered: right 96% of the time on the eval set).

Speed (benchmarks/matching_latency.py, synthetic libraries, one core,
OPENBLAS_NUM_THREADS=1, on a shared 2-core machine, so noisy): p50 5-6 ms at
50 and 500 playbooks, 14-16 ms at 5,000; p99 7-10 ms at 50, 8.4-13 ms at 500,
19-30 ms at 5,000; build 0.2 s / 1 s / 13-14 s (cached after: a file read);
index 2 / 17 / 174 MB pickled.
"""

from __future__ import annotations

import hashlib
import math
import pickle
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict
from scipy import sparse

from bot.encoders import Encoder, get_encoder
from bot.language import detect_language
from bot.models import Playbook
from bot.normalizing import Speller, char_features, content_words, word_features, words

__all__ = ["Candidate", "MatchResult", "MatchIndex", "Thresholds", "THRESHOLDS", "build_index", "default_thresholds"]

Outcome = Literal["match", "ambiguous", "none"]

# How much each view of a text counts in the combined cosine: word n-grams, character
# n-grams, sentence embedding. Chosen on the development proxy (module docstring).
WORD_WEIGHT, CHAR_WEIGHT, EMBEDDING_WEIGHT = 0.7, 1.0, 2.0
CANDIDATES = 10  # playbooks re-ranked by the local classifier (true one among them ~97% of the time)
LAMBDA = 0.03  # L2 penalty of the local logistic regression
ITERATIONS = 6  # Böhning updates; more overfit the few examples (checked on the proxy)
PRIOR_WEIGHT = 5.0  # the training-free score's share in the final ranking
REJECT_ROWS = 16  # rows of the hidden "nothing fits" class in each re-ranking: the nearest ones
OUT_OF_SCOPE = Path(__file__).resolve().parent / "data" / "out-of-scope.txt"
COMMON, COMMON_ROWS = 0.05, 1000  # query features in more rows than both are not scored (see _tfidf_row)
MAX_QUERY_CHARS = 4000  # a longer paste is cut: the situation is in its first lines
CACHE_FORMAT = "leeway-match-index-1"


class Thresholds(BaseModel):
    """When a ranking is a match, a choice to offer, or nothing (a gap to record)."""

    model_config = ConfigDict(frozen=True)

    none_below: float = 0.40  # best similarity to any example of the top playbook under this: nothing fits
    none_below_lexical: float = 0.15  # the same, for situations matched on words alone (Spanish, "none")
    reject_ratio: float = 6.0  # nothing fits when the hidden small-talk class is this many times likelier
    match_probability: float = 0.60  # the top playbook must be at least this likely ...
    match_margin: float = 0.20  # ... and this much more likely than the second


THRESHOLDS = Thresholds()  # for the static model and for "none" (calibration in the module docstring)
SEMANTIC_THRESHOLDS = Thresholds(none_below=0.30, reject_ratio=8.0)  # MiniLM cosines run lower for unrelated text


def default_thresholds(encoder: Encoder) -> Thresholds:
    """The calibrated thresholds for this kind of encoder."""
    return SEMANTIC_THRESHOLDS if encoder.name.startswith("semantic") else THRESHOLDS


class Candidate(BaseModel):
    """One ranked playbook: how likely it is the one, and what it matched on."""

    model_config = ConfigDict(frozen=True)

    playbook: str
    score: float  # probability among the candidates, 0..1, best first
    similarity: float  # cosine to the closest example, title or alias of this playbook
    closest: str = ""  # that example, for "matched because ..."
    matched_terms: tuple[str, ...] = ()  # words of the situation that this playbook's texts use too


class MatchResult(BaseModel):
    """The ranking (up to ``limit``, also when nothing fits) and what to do with it."""

    model_config = ConfigDict(frozen=True)

    outcome: Outcome
    matches: list[Candidate]
    reason: str = ""

    @property
    def best(self) -> Candidate | None:
        return self.matches[0] if self.matches else None


class MatchIndex:
    """Everything needed to match against one library; built once per policy revision."""

    def __init__(self, playbooks: Mapping[str, Playbook], encoder: Encoder, *, thresholds: Thresholds = THRESHOLDS):
        self.encoder = encoder
        self.thresholds = thresholds
        self.playbook_ids: list[str] = sorted(playbooks)
        self._texts, owners = _training_texts(playbooks, self.playbook_ids)
        self._reject = len(self.playbook_ids)  # the hidden "nothing fits" class, after the playbooks
        reject_texts = list(_out_of_scope_texts())
        self._texts += reject_texts
        self._owner = np.asarray(owners + [self._reject] * len(reject_texts), dtype=np.int64)
        self._starts = np.searchsorted(self._owner, np.arange(self._reject + 1))
        self._ends = np.append(self._starts[1:], len(self._owner))
        found = [words(t) for t in self._texts]
        self._fit_views(found)
        self._centroid_norm = {True: self._centroid_norms(True), False: self._centroid_norms(False)}
        own = found[: len(found) - len(reject_texts)]
        self._terms = [frozenset(w for f in own[a:b] for w in content_words(f)) for a, b in self._ranges()[:-1]]
        self.speller = Speller({w for f in own for w in f})

    def _fit_views(self, found: list[list[str]]) -> None:
        """The three views of every row: word tf-idf, character tf-idf, embedding (English rows)."""
        self._weights = weights = _view_weights(self.encoder.dims)
        self._word_vocab, self._word_idf, word_matrix = _tfidf_fit(word_features(w) for w in found)
        self._char_vocab, self._char_idf, char_matrix = _tfidf_fit(char_features(w) for w in found)
        self._X = sparse.hstack([word_matrix * weights[0], char_matrix * weights[1]], format="csr", dtype=np.float32)
        self._XT = self._X.T.tocsr()
        common = max(COMMON * len(found), COMMON_ROWS)
        self._common_idf = math.log((1 + len(found)) / (1 + common)) + 1.0
        self._english = np.array([detect_language(t) == "en" for t in self._texts], dtype=bool)
        vectors = self.encoder.encode([" ".join(w) for w in found])
        self._E = (vectors * weights[2] * self._english[:, None]).astype(np.float32)

    def __getstate__(self) -> dict:
        """Cached without the encoder: it is a model, passed in again when loading."""
        state = dict(self.__dict__)
        state["encoder"] = None
        return state

    # ------------------------------------------------------------------ query

    def match(self, text: str, *, limit: int = 5) -> MatchResult:
        """Rank the playbooks for ``text``; say whether the best one is a confident match."""
        if not self.playbook_ids:
            return MatchResult(outcome="none", matches=[], reason="the library has no playbooks")
        query = self._query((text or "")[:MAX_QUERY_CHARS])
        similarity = self._similarities(query)
        dense = query["vector"] is not None
        prior = self._prior(similarity, dense)
        ranked, probability = self._rerank(prior, similarity, dense)
        nearest = np.maximum.reduceat(similarity, self._starts)
        if query["vector"] is None:  # without embeddings, report (and threshold) the lexical cosine itself
            nearest = nearest / (self._weights[0] ** 2 + self._weights[1] ** 2)
        shown = ranked[: max(limit, 0)]
        matches = [self._candidate(int(i), probability[i], nearest[i], similarity, query) for i in shown]
        outcome, reason = self._outcome(query, ranked, probability, nearest)
        return MatchResult(outcome=outcome, matches=matches, reason=reason)

    def _query(self, text: str) -> dict:
        found = self.speller.correct_all(words(text))
        cleaned = " ".join(found)
        content = content_words(found)
        word_row = _tfidf_row(word_features(found), self._word_vocab, self._word_idf, self._common_idf)
        char_row = _tfidf_row(char_features(found), self._char_vocab, self._char_idf, self._common_idf)
        ww, cw, _ = self._weights
        return {
            "content": content,
            "sparse": sparse.hstack([word_row * ww, char_row * cw], format="csr", dtype=np.float32),
            "vector": self._query_vector(text, cleaned),
        }

    def _query_vector(self, text: str, cleaned: str) -> np.ndarray | None:
        """The embedding view, for English situations only: the encoders are English models,
        whose vectors for Spanish text are noise that drowns the lexical evidence."""
        if not self._E.shape[1] or not cleaned or detect_language(text) != "en":
            return None
        return self.encoder.encode([cleaned])[0]

    def _similarities(self, query: dict) -> np.ndarray:
        """Cosine between the query and every example in the combined (word, char, embedding) space."""
        total = (query["sparse"] @ self._XT).toarray()[0]
        if query["vector"] is not None:
            total += self._E @ query["vector"]
        return total

    def _prior(self, similarity: np.ndarray, dense: bool) -> np.ndarray:
        """Training-free score per playbook: cosine to its centroid + mean of its two nearest examples."""
        sizes = self._ends - self._starts
        centroid = np.add.reduceat(similarity, self._starts) / (sizes * self._centroid_norm[dense])
        first = np.maximum.reduceat(similarity, self._starts)
        rest = np.where(similarity >= first[self._owner], -np.inf, similarity)
        second = np.maximum.reduceat(rest, self._starts)
        return centroid + (first + np.where(np.isfinite(second), second, first)) / 2

    def _rerank(self, prior: np.ndarray, similarity: np.ndarray, dense: bool) -> tuple[np.ndarray, np.ndarray]:
        """Re-rank the top candidates with a logistic regression fitted on their examples only.

        The confusions that matter are between a handful of close playbooks; a
        discriminative model fitted on just those (about a hundred rows) learns
        which words tell them apart, in about a millisecond, at any library size.
        """
        order = np.argsort(-prior[: self._reject], kind="stable")
        top = np.sort(order[:CANDIDATES])
        if len(prior) > self._reject:  # the "nothing fits" class always competes
            top = np.append(top, self._reject)
        probability = np.zeros(len(prior))
        if len(top) == 1:
            probability[top] = 1.0
            return order, probability
        rows = np.concatenate([self._rows_of(i, similarity) for i in top])
        labels = np.searchsorted(top, self._owner[rows])
        alpha = _kernel_logistic(self._gram(rows, dense) + 1.0, labels, len(top))
        logits = (similarity[rows] + 1.0) @ alpha + PRIOR_WEIGHT * prior[top]
        local = np.exp(logits - logits.max())
        probability[top] = local / local.sum()
        reranked = [i for i in top[np.argsort(-logits, kind="stable")] if i != self._reject]
        return np.concatenate([reranked, order[len(reranked):]]).astype(np.int64), probability

    def _rows_of(self, index: int, similarity: np.ndarray) -> np.ndarray:
        """A playbook's rows; for the hidden class only its rows nearest to this query (cost)."""
        rows = np.arange(self._starts[index], self._ends[index])
        if index == self._reject and len(rows) > REJECT_ROWS:
            rows = np.sort(rows[np.argpartition(-similarity[rows], REJECT_ROWS)[:REJECT_ROWS]])
        return rows

    def coverage(self, query: dict, index: int) -> float:
        """Share of the situation's content words (weighted by rarity) that the playbook's texts use."""
        total = covered = 0.0
        unknown = float(self._word_idf.max()) if len(self._word_idf) else 1.0
        for word in dict.fromkeys(query["content"]):
            column = self._word_vocab.get(word)
            weight = float(self._word_idf[column]) if column is not None else unknown
            total += weight
            covered += weight if word in self._terms[index] else 0.0
        return covered / total if total else 0.0

    def _outcome(self, query, ranked, probability, nearest) -> tuple[Outcome, str]:
        t, first = self.thresholds, ranked[0]
        second = probability[ranked[1]] if len(ranked) > 1 else 0.0
        floor = t.none_below if query["vector"] is not None else t.none_below_lexical
        if not query["content"]:
            return "none", "no words to match on"
        if len(probability) > self._reject and probability[self._reject] > t.reject_ratio * probability[first]:
            return "none", "reads like small talk or an internal question, not a customer situation"
        if nearest[first] < floor:
            return "none", f"closest example is only {max(nearest[first], 0):.2f} similar (< {floor})"
        lead = probability[first] - second
        if probability[first] >= t.match_probability and lead >= t.match_margin:
            return "match", f"{probability[first]:.0%} likely, {lead:.0%} ahead of the next"
        return "ambiguous", f"{probability[first]:.0%} likely, only {lead:.0%} ahead of the next"

    def _candidate(self, index: int, probability, nearest, similarity, query) -> Candidate:
        a, b = self._starts[index], self._ends[index]
        terms = tuple(dict.fromkeys(w for w in query["content"] if w in self._terms[index]))
        return Candidate(
            playbook=self.playbook_ids[index],
            score=round(float(probability), 4),
            similarity=round(float(max(nearest, 0.0)), 4),
            closest=self._texts[a + int(np.argmax(similarity[a:b]))],
            matched_terms=terms,
        )

    # ------------------------------------------------------------------ build helpers

    def _ranges(self) -> list[tuple[int, int]]:
        return list(zip(self._starts.tolist(), self._ends.tolist()))

    def _gram(self, rows: np.ndarray, dense: bool) -> np.ndarray:
        X = self._X[rows]
        gram = (X @ X.T).toarray()
        if dense:
            E = self._E[rows]
            gram += E @ E.T
        return gram

    def _centroid_norms(self, dense: bool) -> np.ndarray:
        """Length of each playbook's mean example vector (for the centroid cosine)."""
        norms = np.empty(len(self._starts))
        for i, (a, b) in enumerate(self._ranges()):
            X, E = self._X[a:b], self._E[a:b] * float(dense)
            mean_sparse = np.asarray(X.mean(axis=0)).ravel()
            mean_dense = E.mean(axis=0)
            norms[i] = math.sqrt(max(float(mean_sparse @ mean_sparse + mean_dense @ mean_dense), 1e-12))
        return norms


def build_index(
    playbooks: Mapping[str, Playbook],
    *,
    encoder: Encoder | None = None,
    cache_dir: Path | str | None = None,
    thresholds: Thresholds | None = None,
) -> MatchIndex:
    """Build the matcher for one library (once per policy revision, never per query).

    With ``cache_dir``, a library already built with the same texts and encoder
    is loaded from there instead (keyed by a hash of both).
    """
    encoder = encoder if encoder is not None else get_encoder(None)
    thresholds = thresholds or default_thresholds(encoder)
    if cache_dir is None:
        return MatchIndex(playbooks, encoder, thresholds=thresholds)
    path = Path(cache_dir) / f"match-index-{_cache_key(playbooks, encoder)}.pickle"
    if path.exists():
        with path.open("rb") as handle:
            index = pickle.load(handle)
        index.encoder, index.thresholds = encoder, thresholds
        return index
    index = MatchIndex(playbooks, encoder, thresholds=thresholds)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as handle:
        pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(path)
    return index


def _cache_key(playbooks: Mapping[str, Playbook], encoder: Encoder) -> str:
    digest = hashlib.sha256(f"{CACHE_FORMAT}\x00{encoder.fingerprint}".encode())
    digest.update("\x00".join(_out_of_scope_texts()).encode())
    for playbook_id in sorted(playbooks):
        texts, _ = _training_texts({playbook_id: playbooks[playbook_id]}, [playbook_id])
        digest.update("\x00".join([playbook_id, *texts, "\x01"]).encode())
    return digest.hexdigest()[:24]


# ---------------------------------------------------------------------- features and models


@lru_cache(maxsize=1)
def _out_of_scope_texts() -> tuple[str, ...]:
    lines = OUT_OF_SCOPE.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _training_texts(playbooks: Mapping[str, Playbook], ids: list[str]) -> tuple[list[str], list[int]]:
    """Examples, titles and aliases of each playbook, as rows owned by the playbook's index."""
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


def _tfidf_fit(rows: Iterable[list[str]]):
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


def _tfidf_row(features: list[str], vocab: dict[str, int], idf: np.ndarray, common_idf: float) -> sparse.csr_matrix:
    """A query's tf-idf row. Unknown features count in its length (as the rarest), so a
    sentence that shares one word with a playbook does not look made of that word.
    Features in more than ``COMMON`` of the rows count in the length but are left out
    of the dot products: they add almost the same to every row and cost the most."""
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


def _view_weights(dims: int) -> tuple[float, float, float]:
    """Per-view multipliers, scaled so the combined vector of a text has length 1."""
    embedding = EMBEDDING_WEIGHT if dims else 0.0
    total = math.sqrt(WORD_WEIGHT**2 + CHAR_WEIGHT**2 + embedding**2)
    return WORD_WEIGHT / total, CHAR_WEIGHT / total, embedding / total


def _kernel_logistic(gram: np.ndarray, labels: np.ndarray, classes: int) -> np.ndarray:
    """Multinomial logistic regression in the span of the rows (dual weights), L2-penalised.

    Böhning's bound: the Hessian of the multinomial log-loss never exceeds half
    the Gram matrix per class, so one inverse of ``gram/2 + λI`` serves every
    update and each update is two small products. Monotone, no line search.
    """
    targets = np.eye(classes)[labels]
    alpha = np.zeros((len(labels), classes))
    inverse = np.linalg.inv(gram / 2 + LAMBDA * np.eye(len(labels)))
    for _ in range(ITERATIONS):
        logits = gram @ alpha
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        alpha -= inverse @ (p - targets + LAMBDA * alpha)
    return alpha
