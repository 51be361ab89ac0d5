"""Encoders: the shipped static model loads offline with numpy alone and behaves like a sentence encoder."""

from __future__ import annotations

import builtins

import numpy as np
import pytest

from bot.encoders import EncoderUnavailable, PairedEncoder, StaticEncoder, _bert_words, _model_languages, get_encoder


@pytest.fixture(scope="module")
def static() -> StaticEncoder:
    return get_encoder(None)


def test_default_is_the_shipped_static_model_and_is_loaded_once(static):
    assert isinstance(static, StaticEncoder)
    assert get_encoder("static") is static
    assert static.dims == 256
    assert static.fingerprint.startswith("static:static-minilm-256:")


def test_vectors_are_unit_length_and_deterministic(static):
    texts = ["the parcel never arrived", "el paquete nunca llegó", "refund please"]
    first, second = static.encode(texts), static.encode(texts)
    assert first.dtype == np.float32
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(first, second)


@pytest.mark.parametrize("text", ["", "   ", "😡📦", "\u200b\u200b"])
def test_text_without_known_pieces_gives_a_zero_vector(static, text):
    vector = static.encode([text])[0]
    assert vector.shape == (256,)
    assert not np.any(vector)


@pytest.mark.parametrize(
    ("near", "far", "anchor"),
    [
        ("package not delivered", "reset my password", "my parcel never arrived"),
        ("I was charged twice", "the box arrived crushed", "double charge on my card"),
        ("the technician did not show up", "promo code rejected", "repair man never came"),
    ],
)
def test_paraphrases_are_closer_than_unrelated_situations(static, near, far, anchor):
    a, n, f = static.encode([anchor, near, far])
    assert a @ n > a @ f


@pytest.mark.parametrize(
    ("spanish", "english", "unrelated"),
    [
        ("el paquete nunca llegó", "the package never arrived", "I was charged twice"),
        ("me cobraron dos veces", "I was charged twice", "the package never arrived"),
        ("el técnico no vino a la cita", "the technician did not come to the appointment", "reset my password"),
    ],
)
def test_spanish_text_lands_near_its_english_translation(static, spanish, english, unrelated):
    s = static.encode([spanish], language="es")[0]
    e, u = static.encode([english, unrelated])
    assert s @ e > 0.6 > s @ u + 0.2
    assert s @ e > static.encode([spanish])[0] @ e + 0.3  # read as English, Spanish is noise


def test_the_static_model_is_bilingual_and_its_word_list_is_in_the_fingerprint(static, tmp_path):
    assert static.languages == {"en", "es"}
    words = tmp_path / "words.txt"
    words.write_text("paquete: package\n", encoding="utf-8")
    other = StaticEncoder(word_list=words)
    assert other.fingerprint != static.fingerprint
    assert StaticEncoder(word_list=None).languages == {"en"}


def test_a_semantic_model_is_english_unless_its_name_says_multilingual():
    assert _model_languages("/models/all-MiniLM-L6-v2") == ("en",)
    assert _model_languages("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2") == ("en", "es")


def test_wordpiece_matches_bert_uncased(static):
    assert _bert_words("Héllo, WORLD!! it's") == ["hello", ",", "world", "!", "!", "it", "'", "s"]
    ids = static._wordpiece("unaffable")
    vocab = {index: token for token, index in static._ids.items()}
    assert [vocab[i] for i in ids] == ["una", "##ffa", "##ble"]


def test_none_encoder_has_no_dimensions():
    assert get_encoder("none").encode(["anything"]).shape == (1, 0)


def test_semantic_without_the_extra_says_what_to_install(monkeypatch):
    real_import = builtins.__import__

    def no_sentence_transformers(name, *args, **kwargs):
        if name.startswith("sentence_transformers"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sentence_transformers)
    with pytest.raises(EncoderUnavailable, match=r"pip install '\.\[semantic\]'"):
        get_encoder("semantic")


class _EnglishTransformer:
    """Stands in for an English-only sentence-transformers model (no torch here)."""

    dims = 3
    languages = frozenset({"en"})

    def __init__(self, name: str = "semantic", languages=None):
        self.name, self.fingerprint = f"semantic:{name}", f"fake:{name}"
        self.languages = frozenset(languages or self.languages)

    def encode(self, texts, language="en"):
        return np.tile(np.array([0.0, 0.6, 0.8], dtype=np.float32), (len(texts), 1))


def test_an_english_only_transformer_is_paired_with_the_static_model_for_spanish(monkeypatch, static):
    monkeypatch.setattr("bot.encoders.SemanticEncoder", _EnglishTransformer)
    paired = get_encoder("semantic")
    assert isinstance(paired, PairedEncoder)
    assert (paired.name, paired.dims, paired.languages) == ("semantic:semantic", 3 + 256, {"en", "es"})
    assert paired.columns == {"en": slice(0, 3), "es": slice(3, 259)}
    english, spanish = paired.encode(["the parcel never arrived"]), paired.encode(["el paquete no llegó"], language="es")
    assert np.allclose(english[0, :3], [0.0, 0.6, 0.8])
    assert np.array_equal(english[0, 3:], static.encode(["the parcel never arrived"])[0])  # what Spanish is compared with
    assert not spanish[0, :3].any()
    assert np.array_equal(spanish[0, 3:], static.encode(["el paquete no llegó"], language="es")[0])
    assert paired.fingerprint == f"fake:semantic+{static.fingerprint}"


def test_a_multilingual_transformer_is_used_alone(monkeypatch):
    monkeypatch.setattr("bot.encoders.SemanticEncoder", lambda name: _EnglishTransformer(name, {"en", "es"}))
    assert isinstance(get_encoder("paraphrase-multilingual-MiniLM-L12-v2"), _EnglishTransformer)
