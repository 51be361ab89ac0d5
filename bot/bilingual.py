"""Spanish words in an English static model's space, through a small Spanish -> English word list.

The static model (encoders.py) is English: its vectors for Spanish text are noise,
so Spanish situations used to be matched on words and characters only. Here a
Spanish word's vector is the mean of the model's vectors of its English
translations (``bot/data/es-en-words.txt``), computed when the encoder loads, so
it works with whatever static model ships. "el paquete no llegó" then lands near
"the package did not arrive", and a Spanish situation can be matched by English
examples too.

Words are looked up after the project's folding (lower case, accents off, as
``normalizing.words`` gives them); the list holds lemmas, and inflected forms are
found by taking off a plural, switching a feminine ending, or a verb ending
(with an enclitic pronoun and the o->ue, e->ie, e->i stem changes): "llegó" ->
llegar, "cobraron" -> cobrar, "devuélvanle" -> devolver, "dañadas" -> dañado.

>>> lexicon = SpanishLexicon.parse(["paquete: package, parcel", "llegar: arrive", "tarjeta de credito: credit card"])
>>> [lexicon.lookup(w) for w in ["paquetes", "llegaron", "llego", "llegan", "mesa"]]
['paquete', 'llegar', 'llegar', 'llegar', None]
>>> lexicon.phrases(["no", "llego", "la", "tarjeta", "de", "credito"])
[(None, 'no'), ('llegar', 'llego'), (None, 'la'), ('tarjeta de credito', 'tarjeta de credito')]
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from bot.normalizing import fold, stem

__all__ = ["SpanishLexicon", "WORD_LIST"]

WORD_LIST = Path(__file__).resolve().parent / "data" / "es-en-words.txt"
MAX_PHRASE = 3  # longest Spanish entry, in words ("tarjeta de credito")
_CLITICS = ("selo", "sela", "noslo", "les", "los", "las", "le", "lo", "la", "me", "nos", "se")
# Verb endings, longest first: preterite, gerund, participles, imperfect, subjunctive, present, infinitive.
_VERB_ENDINGS = (
    "ieron", "aron", "iendo", "ando", "ados", "adas", "idos", "idas", "amos", "emos", "imos", "aban",
    "iera", "ara", "aba", "ado", "ada", "ido", "ida", "ian", "ia", "io", "ar", "er", "ir", "an", "en",
    "as", "es", "a", "e", "i", "o",
)


class SpanishLexicon:
    """Spanish lemma -> English translations, with lookup of inflected forms."""

    def __init__(self, entries: dict[str, tuple[str, ...]]):
        self.entries = entries
        self._verbs = {lemma[:-2]: lemma for lemma in entries if " " not in lemma and lemma.endswith(("ar", "er", "ir"))}
        self._longest = max((lemma.count(" ") + 1 for lemma in entries), default=1)
        self.lookup = lru_cache(maxsize=50_000)(self._lookup)

    @classmethod
    def load(cls, path: Path = WORD_LIST) -> "SpanishLexicon":
        return cls.parse(path.read_text(encoding="utf-8").splitlines())

    @classmethod
    def parse(cls, lines: Iterable[str]) -> "SpanishLexicon":
        """``spanish: english, english`` lines; ``#`` comments and blank lines skipped."""
        entries: dict[str, tuple[str, ...]] = {}
        for line in lines:
            spanish, colon, english = line.partition(":")
            if line.startswith("#") or not colon:
                continue
            key = " ".join(fold(spanish).split())
            entries[key] = entries.get(key, ()) + tuple(t.strip() for t in english.split(",") if t.strip())
        return cls(entries)

    def phrases(self, found: list[str]) -> list[tuple[str | None, str]]:
        """``found`` (folded words) cut into (lemma or None, the words it covers), longest entries first."""
        out, start = [], 0
        while start < len(found):
            for size in range(min(self._longest, MAX_PHRASE, len(found) - start), 0, -1):
                words = " ".join(found[start : start + size])
                lemma = self.lookup(words) if size == 1 else words if words in self.entries else None
                if lemma is not None:
                    break
            else:
                size, words = 1, found[start]
            out.append((lemma, words))
            start += size
        return out

    def _lookup(self, word: str) -> str | None:
        """The lemma of a folded Spanish word, or None when the list does not know it."""
        plural = word[:-2] if word.endswith("es") and len(word) > 4 else stem(word)  # "meses" -> "mes"
        for form in dict.fromkeys([word, stem(word), plural, _masculine(word), _masculine(stem(word))]):
            if form in self.entries:
                return form
        return self._verb(word) if len(word) > 2 else None

    def _verb(self, word: str) -> str | None:
        """The infinitive of a verb form: "llegaron" -> llegar, "devolverle" -> devolver, "puede" -> poder."""
        bare = [word] + [word[: -len(c)] for c in _CLITICS if word.endswith(c) and len(word) - len(c) > 2]
        for form in bare:
            for ending in _VERB_ENDINGS:
                root = form[: -len(ending)]
                if form.endswith(ending) and len(root) >= 2:
                    for candidate in (root, *_unchanged_stems(root)):
                        if candidate in self._verbs:
                            return self._verbs[candidate]
        return None


def _masculine(word: str) -> str:
    """ "danada" -> "danado": adjectives are listed in the masculine."""
    return word[:-1] + "o" if word.endswith("a") and len(word) > 3 else word


def _unchanged_stems(root: str) -> list[str]:
    """The root without an o->ue, e->ie or e->i stem change ("pued" -> "pod", "quier" -> "quer",
    "pid" -> "ped") or a spelling change before e ("pagu" -> "pag", "busqu" -> "busc")."""
    stems = [root[:-1]] if root.endswith("gu") else [root[:-2] + "c"] if root.endswith("qu") else []
    for changed, plain in (("ue", "o"), ("ie", "e"), ("i", "e")):
        at = root.rfind(changed)
        if at >= 0:
            stems.append(root[:at] + plain + root[at + len(changed):])
    return stems
