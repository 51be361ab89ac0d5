"""Normalising situation text: what two spellings of the same situation must have in common."""

from __future__ import annotations

import pytest

from bot.normalizing import Speller, char_features, content_words, fold, root, stem, word_features, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Devolución", "devolucion"),
        ("RECIBIÓ", "recibio"),
        ("pequeño", "pequeno"),
        ("Crème brûlée", "creme brulee"),
        ("already folded", "already folded"),
    ],
)
def test_fold_removes_case_and_accents(text, expected):
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("order #48213 arrived late", ["order", "arrived", "late"]),
        ("paid $39.99 (USD 39,99) on 12/03", ["paid", "on"]),
        ("A1B2C3 tracking code", ["tracking", "code"]),
        ("the customer's box didn't arrive", ["the", "customer", "box", "didn", "arrive"]),
        ("📦😡!!! ", []),
        ("", []),
    ],
)
def test_words_drop_numbers_amounts_and_ids(text, expected):
    assert words(text) == expected


def test_amounts_and_ids_do_not_change_features():
    plain = "cx says the parcel never arrived"
    noisy = "cx says the parcel #77120 never arrived, paid $129.50 on 2024-03-02"
    assert word_features(noisy) == word_features(plain + " paid on")
    assert set(char_features(plain)) <= set(char_features(noisy))


@pytest.mark.parametrize(
    ("word", "expected"),
    [("packages", "package"), ("paquetes", "paquete"), ("boxes", "box"), ("charges", "charge"),
     ("address", "address"), ("status", "status"), ("bus", "bus"), ("gas", "gas")],
)
def test_stem_strips_plurals_only(word, expected):
    assert stem(word) == expected


def test_content_words_drop_stop_words_in_both_languages_but_keep_negations():
    assert content_words("the package has not arrived yet") == ["package", "not", "arrived", "yet"]
    assert content_words("el paquete no ha llegado todavía") == ["paquete", "no", "llegado", "todavia"]


SPELLER = Speller(["package", "damaged", "recibio", "devolucion", "reembolso", "charged", "cargo", "llego"])


@pytest.mark.parametrize(
    ("typed", "repaired"),
    [
        ("pakage", "package"),  # a letter missing
        ("damagd", "damaged"),
        ("recibio", "recibio"),  # already a playbook word (after folding "recibió")
        ("recbio", "recibio"),
        ("devolucion", "devolucion"),
        ("devolusion", "devolucion"),
        ("rembolso", "reembolso"),
        ("chagred", "charged"),  # two letters swapped: one edit
        ("cable", "cable"),  # a real English word is never "corrected" into "table"
        ("xyzzy", "xyzzy"),  # nothing close: left alone
        ("car", "car"),  # too short to judge
    ],
)
def test_speller_repairs_typos_against_the_playbook_vocabulary(typed, repaired):
    assert SPELLER.correct(typed) == repaired


def test_speller_survives_pickling_for_the_index_cache():
    import pickle

    copy = pickle.loads(pickle.dumps(SPELLER))
    assert copy.correct("pakage") == "package"


def test_spanish_verb_forms_share_word_features_but_agents_see_whole_words():
    """"le cobraron dos veces" and "cobrado dos veces" are the same situation to the word view;
    the words an agent is shown (content_words) stay whole."""
    assert "cobr dos" in word_features("le cobraron dos veces")
    assert "cobr dos" in word_features("ya se había cobrado dos veces")
    assert content_words("le cobraron dos veces")[0] == "cobraron"
    assert [root(w) for w in ["nada", "pedido", "arrived", "charging"]] == ["nada", "ped", "arrived", "charging"]
