"""Situation text -> ranked playbooks, with an honest outcome: match, ambiguous or none.

>>> from bot.models import Playbook
>>> def playbook(pid, examples):
...     return Playbook.model_validate({"id": pid, "title": pid, "examples": examples, "steps": ["..."]})
>>> index = build_index({
...     "lost-package": playbook("lost-package", ["the parcel never arrived", "el paquete nunca llegó"]),
...     "damaged-item": playbook("damaged-item", ["the vase arrived broken", "llegó roto"]),
... })
>>> result = index.match("cx: pakage never arived, order #48213")
>>> result.best.playbook, result.outcome
('lost-package', 'match')
>>> index.match("thanks, have a nice weekend").outcome
'none'

How a situation is ranked
-------------------------
Only what a playbook gives is used: its examples, title (every language), aliases
and summary (matching_features.py). Each such text is a row seen three ways, each
L2-normalised: tf-idf of content words and word pairs (normalizing.py: folded,
numbers dropped, typos repaired), tf-idf of character 2-5-grams, and a sentence
embedding (encoders.py), weighted into one unit vector, so a dot product is one
combined cosine.

1. Prior: per playbook, cosine to its centroid + mean cosine of its two nearest
   rows (matching_rerank.py). Training-free, a few sparse/dense products. The
   20 best by prior, and the hidden class (below), also get their soft word
   coverage of the situation (matching_words.py): for each of its words, the
   closest word the playbook uses anywhere, by the static model's word vectors.
2. The 8 best playbooks by prior are re-ranked by a multinomial logistic
   regression fitted, per query, on their rows only (kernel form, Böhning
   updates; kernel (1 + cosine)² with the static encoder). Final logit = local
   logit + 5 x prior. These knobs and the view weights are per encoder
   (matching_profiles.py). For a library of up to
   FULL_GRAM_ROWS rows the dot products of every row with every row are kept
   (computed at build and after loading from the cache, not stored in it), so a
   query gathers its block instead of multiplying sparse rows.
3. Embeddings are used for situations and rows in the encoder's ``languages``
   only: the default static encoder is bilingual (Spanish words through their
   English translations, bilingual.py); an English-only transformer comes paired
   with it, English compared on the transformer's vectors and Spanish on the
   static ones (encoders.PairedEncoder, the ``columns`` of each language); other
   text is matched on words and characters. A
   situation sees the embeddings of rows in its own language and in English:
   a Spanish one is compared with English examples too, while an English one
   is not compared with Spanish rows, whose word-list vectors are coarser
   (measured: they cost English out-of-scope recall, benchmarks/eval/README.md).
4. A hidden extra class learnt from ``bot/data/out-of-scope.txt`` (routine
   customer-service requests of a public support taxonomy, pre-sales questions,
   office and IT questions, small talk; EN and ES) competes in every re-ranking
   with its rows nearest to the situation. It is never listed; when it is far
   likelier than the best playbook, or one of its lines is clearly closer to the
   situation than any row of the best playbook, the outcome is "none"
   (matching_outcome.py).
   The topics of that file that the library covers with playbooks of its own
   are left out of it (matching_hidden.py).

Accuracy, thresholds and speed are measured in benchmarks/ (README there).
"""

from __future__ import annotations

import functools
import hashlib
import math
import pickle
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict
from scipy import sparse

from bot.encoders import Encoder, get_encoder
from bot.language import detect_language
from bot.matching_features import (out_of_scope_texts, out_of_scope_topics, tfidf_fit, tfidf_row, training_texts,
                                   view_weights)
from bot.matching_hidden import covered_topics, nearest_playbooks, topic_numbers
from bot.matching_outcome import THRESHOLDS, Outcome, Signals, Thresholds, decide
from bot.matching_outcome import default_thresholds as _thresholds_for
from bot.matching_profiles import Profile, as_typed, profile_for
from bot.matching_rerank import kernel_logistic, prior_scores
from bot.matching_words import WordCoverage
from bot.models import Playbook
from bot.normalizing import Speller, char_features, content_words, word_features, words

__all__ = ["Candidate", "MatchResult", "MatchIndex", "Thresholds", "THRESHOLDS", "build_index", "default_thresholds"]

COVERAGE_CANDIDATES = 20  # playbooks, best by prior, whose word coverage is added to it (matching_words.py)
HIDDEN_COVERAGE_ROWS = 2  # ... and of the hidden lines nearest the situation (held out, caught: 16 lines 70.6%, 2 76.0%)
REJECT_ROWS = 16  # rows of the hidden "nothing fits" class in each re-ranking: the nearest ones
COMMON, COMMON_ROWS = 0.05, 1000  # query features in more rows than both are not scored (see tfidf_row)
MAX_QUERY_CHARS = 4000  # a longer paste is cut: the situation is in its first lines
FULL_GRAM_ROWS = 2048  # up to this many rows the re-ranker's Gram matrices are kept whole (16 MB each, per space)
CACHE_FORMAT = "leeway-match-index-7"  # the pickle's layout; the code that fills it is keyed by its digest
PACKAGE = Path(__file__).resolve().parent


def default_thresholds(encoder: Encoder) -> Thresholds:
    """The calibrated thresholds for this kind of encoder."""
    return _thresholds_for(encoder.name)


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

    def __init__(self, playbooks: Mapping[str, Playbook], encoder: Encoder, *, thresholds: Thresholds = THRESHOLDS,
                 out_of_scope: Sequence[str] | None = None):
        """``out_of_scope``: the hidden class's lines (default: bot/data/out-of-scope.txt)."""
        self.encoder = encoder
        self.thresholds = thresholds
        self.profile: Profile = profile_for(encoder.name)
        self.playbook_ids: list[str] = sorted(playbooks)
        texts, owners = training_texts(playbooks, self.playbook_ids)
        self._reject = len(self.playbook_ids)  # the hidden "nothing fits" class, after the playbooks
        lines = list(out_of_scope_texts() if out_of_scope is None else out_of_scope)
        self._fit(texts, owners, lines)
        topic_index, self.hidden_topics = topic_numbers(lines, out_of_scope_topics())
        nearest = nearest_playbooks(self._hidden_similarities(len(texts)), self._owner, len(texts), topic_index)
        covered = covered_topics(nearest, topic_index)
        # The hidden topics this library covers with playbooks of its own: their lines are left out.
        self.covered_topics = {self.hidden_topics[t]: self.playbook_ids[p] for t, p in covered.items()}
        if covered:
            self._fit(texts, owners, [line for line, t in zip(lines, topic_index) if t not in covered])

    def _fit(self, texts: list[str], owners: list[int], hidden_lines: list[str]) -> None:
        """Rows, views, centroids, vocabulary and speller for the playbooks' rows and the hidden lines."""
        self._texts = texts + hidden_lines
        self._owner = np.asarray(owners + [self._reject] * len(hidden_lines), dtype=np.int64)
        self._starts = np.searchsorted(self._owner, np.arange(self._reject + bool(hidden_lines)))
        self._ends = np.append(self._starts[1:], len(self._owner))
        found = [words(t) for t in self._texts]
        self._fit_views(found)
        self._centroid_norm = {space: self._centroid_norms(space) for space in [None, *self._seen]}
        ranges = self._ranges()[: self._reject]
        contents = [content_words(f) for f in found]
        self._terms = [frozenset(w for row in contents[a:b] for w in row) for a, b in ranges]
        # Word groups for the coverage score: one per playbook, then one per line of the hidden class.
        in_language = [[(w, language) for w in row] for row, language in zip(contents, self._languages)]
        self._coverage = WordCoverage(
            [[pair for row in in_language[a:b] for pair in row] for a, b in ranges] + in_language[len(texts):],
            _word_vectors,
        ) if self.profile.coverage_weight else None
        # Typos are repaired against every row's words, the hidden class's too: its words are
        # real words, not typos of a playbook's ("envolver", gift-wrap, is not "devolver", return).
        self.speller = Speller({w for f in found for w in f})

    def _hidden_similarities(self, first: int, chunk: int = 64):
        """(row, its cosine to every row, itself left out) for each hidden line, rows from ``first``,
        each seen as a situation in its language would see the others."""
        unseen, no_columns = np.zeros(len(self._owner), np.float32), np.zeros(self._E.shape[1], np.float32)
        for start in range(first, len(self._owner), chunk):
            rows = np.arange(start, min(start + chunk, len(self._owner)))
            similarity = (self._X[rows] @ self._XT).toarray()
            seen = np.stack([self._seen.get(self._languages[i], unseen) for i in rows])
            compared = np.stack([self._columns.get(self._languages[i], no_columns) for i in rows])
            similarity += ((self._E[rows] * compared) @ self._E.T) * seen
            similarity[np.arange(len(rows)), rows] = -np.inf
            yield from zip(rows, similarity)

    def _fit_views(self, found: list[list[str]]) -> None:
        """The three views of every row: word tf-idf, character tf-idf, embedding (rows in the encoder's languages)."""
        self._weights = weights = view_weights(self.encoder.dims, self.profile)
        self._word_vocab, self._word_idf, word_matrix = tfidf_fit(word_features(w) for w in found)
        self._char_vocab, self._char_idf, char_matrix = tfidf_fit(char_features(w) for w in found)
        self._X = sparse.hstack([word_matrix * weights[0], char_matrix * weights[1]], format="csr", dtype=np.float32)
        self._XT = self._X.T.tocsr()
        common = max(COMMON * len(found), COMMON_ROWS)
        self._common_idf = math.log((1 + len(found)) / (1 + common)) + 1.0
        self._languages = languages = [detect_language(t) for t in self._texts]
        embedded = [self._embedded(t, " ".join(w)) for t, w in zip(self._texts, found)]
        self._E = self._embeddings(embedded, languages) * np.float32(weights[2])
        self._seen = {  # per situation language: which rows' embeddings it is compared with
            language: np.isin(languages, [language, "en"]).astype(np.float32) for language in self.encoder.languages
        }
        self._columns = {  # ... and on which of their columns (a paired encoder has a block per language)
            language: self._columns_of(language) for language in self.encoder.languages
        }
        self._grams = self._full_grams()

    def _columns_of(self, language: str) -> np.ndarray:
        """1 for the embedding columns a situation in ``language`` is compared on, 0 for the others."""
        mask = np.zeros(self.encoder.dims, dtype=np.float32)
        mask[getattr(self.encoder, "columns", {}).get(language, slice(None))] = 1.0
        return mask

    def _dense(self, space: str, rows=slice(None)) -> np.ndarray:
        """The embeddings a situation in ``space`` is compared with: rows it sees, on its columns."""
        return self._E[rows] * self._seen[space][rows, None] * self._columns[space]

    def _embeddings(self, cleaned: list[str], languages: list[str]) -> np.ndarray:
        """Each row's sentence embedding, encoded as its language; zero for a language the
        encoder does not place in its shared space (its vectors would be noise)."""
        out = np.zeros((len(cleaned), self.encoder.dims), dtype=np.float32)
        for language in set(languages) & set(self.encoder.languages):
            rows = [i for i, found in enumerate(languages) if found == language]
            out[rows] = self.encoder.encode([cleaned[i] for i in rows], language=language)
        return out

    def _full_grams(self) -> dict[str | None, np.ndarray] | None:
        """Every row's dot product with every row, without embeddings and with those each situation
        language sees, for a library small enough: a query's re-ranking then gathers its block
        instead of multiplying sparse rows."""
        if len(self._owner) > FULL_GRAM_ROWS:
            return None
        lexical = (self._X @ self._XT).toarray()
        grams = {None: lexical}
        for language in self._seen:
            E = self._dense(language)
            grams[language] = lexical + E @ E.T
        return grams

    def __getstate__(self) -> dict:
        """Cached without the encoder: it is a model, passed in again when loading."""
        state = dict(self.__dict__)
        state["encoder"], state["_grams"] = None, None
        return state

    def __setstate__(self, state: dict) -> None:
        """The Gram matrices are recomputed rather than cached: a few products, many megabytes."""
        self.__dict__.update(state)
        self._grams = self._full_grams()

    # ------------------------------------------------------------------ query

    def match(self, text: str, *, limit: int = 5) -> MatchResult:
        """Rank the playbooks for ``text``; say whether the best one is a confident match."""
        if not self.playbook_ids:
            return MatchResult(outcome="none", matches=[], reason="the library has no playbooks")
        query, similarity, ranked, probability, nearest = self._rank(text)
        shown = ranked[: max(limit, 0)]
        matches = [self._candidate(int(i), probability[i], nearest[i], similarity, query) for i in shown]
        outcome, reason = decide(self._signals(query, ranked, probability, nearest), self.thresholds)
        return MatchResult(outcome=outcome, matches=matches, reason=reason)

    def signals(self, text: str) -> Signals:
        """What the outcome is decided on, for calibrating thresholds (benchmarks/calibrate_thresholds.py)."""
        query, _, ranked, probability, nearest = self._rank(text)
        return self._signals(query, ranked, probability, nearest)

    def _rank(self, text: str):
        query = self._query((text or "")[:MAX_QUERY_CHARS])
        similarity = self._similarities(query)
        space = query["space"]
        prior = prior_scores(similarity, self._starts, self._owner, self._centroid_norm[space])
        if self._coverage is not None and query["content"]:
            self._add_coverage(prior, similarity, query)
        ranked, probability = self._rerank(prior, similarity, space)
        nearest = np.maximum.reduceat(similarity, self._starts)
        if space is None:  # without embeddings, report (and threshold) the lexical cosine itself
            nearest = nearest / (self._weights[0] ** 2 + self._weights[1] ** 2)
        return query, similarity, ranked, probability, nearest

    def _signals(self, query: dict, ranked, probability, nearest) -> Signals:
        first = ranked[0]
        return Signals(
            has_words=bool(query["content"]),
            best=float(probability[first]),
            second=float(probability[ranked[1]]) if len(ranked) > 1 else 0.0,
            rejected=float(probability[self._reject]) if len(probability) > self._reject else 0.0,
            nearest=float(nearest[first]),
            dense=query["space"] is not None,
            hidden_nearest=float(nearest[self._reject]) if len(nearest) > self._reject else -1.0,
        )

    def _query(self, text: str) -> dict:
        found = self.speller.correct_all(words(text))
        word_row = tfidf_row(word_features(found), self._word_vocab, self._word_idf, self._common_idf)
        char_row = tfidf_row(char_features(found), self._char_vocab, self._char_idf, self._common_idf)
        language = detect_language(text)
        vector = self._query_vector(text, language, " ".join(found))
        return {
            "content": content_words(found),
            "sparse": self._joined(word_row, char_row),
            "vector": vector,
            "space": None if vector is None else language,  # whose rows' embeddings it is compared with
            "language": language,
        }

    def _joined(self, word_row: sparse.csr_matrix, char_row: sparse.csr_matrix) -> sparse.csr_matrix:
        """The query's two lexical rows, weighted, side by side as in ``_X``: built from their
        arrays in one step (``sparse.hstack`` converts and checks formats several times per query)."""
        ww, cw, _ = self._weights
        data = np.concatenate([word_row.data * ww, char_row.data * cw]).astype(np.float32)
        columns = np.concatenate([word_row.indices, char_row.indices + word_row.shape[1]])
        return sparse.csr_matrix((data, columns, [0, len(data)]), shape=(1, self._X.shape[1]))

    def _query_vector(self, text: str, language: str, cleaned: str) -> np.ndarray | None:
        """The embedding view, for situations in a language of the encoder only: an English
        model's vectors for Spanish text are noise that drowns the lexical evidence."""
        if not self._E.shape[1] or not cleaned or language not in self.encoder.languages:
            return None
        return self.encoder.encode([self._embedded(text, cleaned)], language=language)[0] * self._columns[language]

    def _embedded(self, text: str, cleaned: str) -> str:
        """What the encoder reads: the folded, repaired words, or for a contextual encoder the text as typed."""
        return as_typed(text) if self.profile.embed_as_typed else cleaned

    def _similarities(self, query: dict) -> np.ndarray:
        """Cosine between the query and every row in the combined (word, char, embedding) space."""
        total = (query["sparse"] @ self._XT).toarray()[0]
        if query["vector"] is not None:
            total += (self._E @ query["vector"]) * self._seen[query["space"]]
        return total

    def _rerank(self, prior: np.ndarray, similarity: np.ndarray, space: str | None) -> tuple[np.ndarray, np.ndarray]:
        """Re-rank the top candidates (and the hidden class) with a classifier fitted on their rows only."""
        order = np.argsort(-prior[: self._reject], kind="stable")
        top = np.sort(order[: self.profile.candidates])
        if len(prior) > self._reject:  # the "nothing fits" class always competes
            top = np.append(top, self._reject)
        probability = np.zeros(len(prior))
        if len(top) == 1:
            probability[top] = 1.0
            return order, probability
        rows = np.concatenate([self._rows_of(i, similarity) for i in top])
        labels = np.searchsorted(top, self._owner[rows])
        profile = self.profile
        alpha = kernel_logistic(self._kernel(rows, space), labels, len(top), penalty=profile.penalty,
                                iterations=profile.iterations)
        logits = (similarity[rows] + 1.0) ** profile.kernel_power @ alpha + profile.prior_weight * prior[top]
        local = np.exp(logits - logits.max())
        probability[top] = local / local.sum()
        reranked = [i for i in top[np.argsort(-logits, kind="stable")] if i != self._reject]
        return np.concatenate([reranked, order[len(reranked):]]).astype(np.int64), probability

    def _add_coverage(self, prior: np.ndarray, similarity: np.ndarray, query: dict) -> None:
        """Add the soft word coverage (matching_words.py) to the prior of the best playbooks by prior,
        and of the hidden class: the words of its lines nearest to the query only, as its whole
        vocabulary, many unrelated topics, would cover anything."""
        playbooks = prior[: self._reject]
        near = np.argpartition(-playbooks, COVERAGE_CANDIDATES)[:COVERAGE_CANDIDATES] \
            if len(playbooks) > COVERAGE_CANDIDATES else np.arange(len(playbooks))
        groups = [[int(i)] for i in near]
        if len(prior) > self._reject:
            near = np.append(near, self._reject)
            hidden = np.arange(self._starts[self._reject], self._ends[self._reject])
            nearest = hidden[np.argsort(-similarity[hidden], kind="stable")[:HIDDEN_COVERAGE_ROWS]]
            groups.append(list(self._reject + nearest - self._starts[self._reject]))
        vectors = self._coverage.vectors(query["content"], query["language"], _word_vectors)
        prior[near] += self.profile.coverage_weight * self._coverage.coverage(vectors, groups)

    def _rows_of(self, index: int, similarity: np.ndarray) -> np.ndarray:
        """A playbook's rows; for the hidden class only its rows nearest to this query (cost)."""
        rows = np.arange(self._starts[index], self._ends[index])
        if index == self._reject and len(rows) > REJECT_ROWS:
            rows = np.sort(rows[np.argpartition(-similarity[rows], REJECT_ROWS)[:REJECT_ROWS]])
        return rows

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

    def _kernel(self, rows: np.ndarray, space: str | None) -> np.ndarray:
        """The re-ranker's kernel on ``rows``: their dot products + 1 (a bias), in float64.
        Gathered from the kept Gram matrices when there are some, else multiplied out."""
        if self._grams is not None:
            kernel = self._grams[space][np.ix_(rows, rows)].astype(np.float64)
        else:
            X = self._X[rows]
            kernel = (X @ X.T).toarray().astype(np.float64)
            if space is not None:
                E = self._dense(space, rows)
                kernel += E @ E.T
        kernel += 1.0
        return kernel ** self.profile.kernel_power

    def _centroid_norms(self, space: str | None) -> np.ndarray:
        """Length of each class's mean row vector (for the centroid cosine)."""
        norms = np.empty(len(self._starts))
        for i, (a, b) in enumerate(self._ranges()):
            mean_sparse = np.asarray(self._X[a:b].mean(axis=0)).ravel()
            mean_dense = self._dense(space, slice(a, b)).mean(axis=0) if space is not None else np.zeros(0)
            norms[i] = math.sqrt(max(float(mean_sparse @ mean_sparse + mean_dense @ mean_dense), 1e-12))
        return norms


def _word_vectors(words: list[str], language: str) -> np.ndarray:
    """Word vectors for the coverage score: always the static model's (bilingual, 20 µs a word),
    whatever encoder ranks, as a transformer is too slow to read word by word."""
    static = get_encoder(None)
    return static.encode(words, language=language if language in static.languages else "en")


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
    digest = hashlib.sha256(f"{CACHE_FORMAT}\x00{code_digest()}\x00{encoder.fingerprint}\x00"
                            f"{profile_for(encoder.name)}".encode())
    digest.update("\x00".join(f"{topic}\x01{line}" for line, topic in out_of_scope_topics().items()).encode())
    for playbook_id in sorted(playbooks):
        texts, _ = training_texts({playbook_id: playbooks[playbook_id]}, [playbook_id])
        digest.update("\x00".join([playbook_id, *texts, "\x01"]).encode())
    return digest.hexdigest()[:24]


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the core's code and word lists: an index cached by an older Leeway (other
    normalising, features or ranking) is never loaded by a newer one, even when nobody bumped
    CACHE_FORMAT. bot/slack/ is left out: it does not shape an index."""
    digest = hashlib.sha256()
    for path in sorted([*PACKAGE.glob("*.py"), *(PACKAGE / "data").glob("*.txt")]):
        digest.update(path.name.encode() + b"\x00" + path.read_bytes())
    return digest.hexdigest()[:16]
