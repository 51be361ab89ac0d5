"""Is what the agent typed Spanish or English?

Leeway answers in the language the agent wrote in. Agents type fast and mix
languages ("el customer quiere un refund"), so a dictionary or a model trained on
clean prose does poorly; what does work on short chat lines is counting the small
words every sentence needs (articles, prepositions, pronouns, auxiliaries), the
chat shorthand of each language ("q", "xq", "tmb" / "pls", "u", "cx"), the
letters only Spanish uses (ñ, ¿, ¡, accented vowels) and a few word endings.

Function words weigh more than nouns: Spanglish borrows English nouns into
Spanish grammar ("el customer quiere un refund" is Spanish), and the other way
round. A tie (no evidence, or evenly split) gives the caller's default.

>>> detect_language("cliente dice q no le llego el pakete")
'es'
>>> detect_language("cx wants refund pls")
'en'
>>> detect_language("el customer quiere un refund")
'es'
>>> detect_language("ok", default="es")
'es'
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from bot.normalizing import strip_invisible

__all__ = ["detect_language"]

Lang = Literal["en", "es"]

_STRONG, _WEAK, _HINT = 2.0, 1.0, 0.5

# Words that (almost) only one language uses, by strength. Words both languages
# use in chat ("a", "no", "me", "he", "son", "ok") are deliberately absent.
_SPANISH_FUNCTION = """
de del la las el los lo le les un una unos unas y e o u que qué en con por para sin sobre entre
hasta desde hacia pero porque como cómo cuando cuándo donde dónde quien quién cual cuál si sí ya
muy más mas también tambien tampoco aún aun todavía todavia ni nos se su sus mi mis tu tus te
yo él ella ellos ellas usted ustedes nosotros este esta esto estos estas ese esa eso esos esas
aquí aqui ahí ahi allá alla es está esta están estan estaba estoy fue ser era hay ha han
hemos tiene tienen tengo tenía puede pueden puedo quiere quieren quiero dice dicen dijo hace hizo
al otro otra nada algo todo todos cada mismo ahora hoy ayer mañana manana bien mal solo sólo
pues entonces luego después despues antes
"""
_SPANISH_CHAT = """
q k ke xq pq porq tmb tb tmbn xfa porfa pa xa d x dnd bn msj toy tons ntp sip nop
"""
_SPANISH_CONTENT = """
abierto abierta cerrado cerrada
cliente clienta clientes pedido pedidos paquete pakete paqete envío envio reembolso devolución
devolucion devolver cobro cobraron cobrado cobró cobro tarjeta cuenta dinero llegó llego llegado
llega roto rota dañado dañada equivocado producto cancelar suscripción suscripcion reclamo queja
esperando días dias semana semanas ayuda gracias favor necesita necesito pide pidió pidio
solicita quiere reclama enojado enojada molesto molesta caja dirección direccion
compra compró compro pagó pago pagar veces hola buenas oye mande mandar enviar
"""
_ENGLISH_FUNCTION = """
the an and or of to in on at for with from by about into is are was were be been being am it its
it's this that these those she they we you i my his her their our your not do does did doesn't
don't didn't have has had haven't hasn't can can't could will won't would should what when where
why how who which there here if but so just because still yet never already again any some all
very too also than then after before
"""
_ENGLISH_CHAT = """
pls plz u ur r thx ty wanna gonna gotta asap idk btw cuz bc dont didnt doesnt cant wont isnt
hasnt havent im ive youre theyre thats whats
"""
_ENGLISH_CONTENT = """
customer customers client package parcel delivery delivered arrived arrive late charged charge
twice account wants want says said asking asks needs need got get received missing damaged broken
wrong cancel cancelled canceled subscription return replacement money back waiting days week help
please thanks hello hi upset angry box address bought paid pay times
"""
# English support jargon Spanish-speaking agents borrow ("el tracking", "un refund"): weak evidence.
_LOANWORDS = """
cx refund refunds order orders tracking shipping item items label chargeback voucher ticket card
"""


def _weights() -> dict[str, tuple[Lang, float]]:
    """One table word -> (language, weight); a later, stronger list wins a word listed twice."""
    table: dict[str, tuple[Lang, float]] = {}
    for lang, words, weight in (
        ("en", _LOANWORDS, _HINT),
        ("es", _SPANISH_CONTENT, _WEAK), ("en", _ENGLISH_CONTENT, _WEAK),
        ("es", _SPANISH_CHAT, _STRONG), ("en", _ENGLISH_CHAT, _STRONG),
        ("es", _SPANISH_FUNCTION, _STRONG), ("en", _ENGLISH_FUNCTION, _STRONG),
    ):
        for word in words.split():
            table[word] = (lang, weight)
    return table


_WORDS = _weights()
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_SPANISH_MARKS = re.compile(r"[ñ¿¡]")
_ACCENTED = re.compile(r"[áéíóúü]")
_SPANISH_ENDINGS = ("ción", "cion", "ciones", "mente", "ado", "ada", "ados", "adas", "ido", "ida",
                    "aron", "ieron", "ando", "iendo", "amos", "emos")
_ENGLISH_ENDINGS = ("ing", "ed", "tion", "tions", "ly", "ness")
_ENGLISH_CONTRACTIONS = ("n't", "'s", "'m", "'re", "'ll", "'ve", "'d")


def detect_language(text: str, *, default: Lang = "en") -> Lang:
    """``"es"`` or ``"en"``, whichever the text carries more evidence of; ``default`` on a tie.

    >>> detect_language("¿me puedes ayudar?")
    'es'
    >>> detect_language("customer says the box arrived broken")
    'en'
    """
    return language_evidence(text) or default


def language_evidence(text: str) -> Lang | None:
    """The language the text itself shows, or None when it shows neither (``"ORD-1 $20"``, ``"ok"``).

    >>> language_evidence("ORD-4417 20 USD") is None
    True
    """
    lowered = _plain(text).lower().replace("’", "'")
    scores = {"en": 0.0, "es": 0.0}
    for word in _TOKEN.findall(lowered):
        lang, weight = _word_evidence(word)
        if lang:
            scores[lang] += weight
    scores["es"] += _STRONG * len(_SPANISH_MARKS.findall(lowered))
    if scores["en"] == scores["es"]:
        return None
    return "es" if scores["es"] > scores["en"] else "en"


def _plain(text: str) -> str:
    r"""Full-width letters as ASCII, invisible characters gone: "ｔｈｅ" and "la<ZWSP>te" are words again.

    >>> _plain("ｔｈｅ pack\u200bage")
    'the package'
    """
    return text if text.isascii() else unicodedata.normalize("NFKC", strip_invisible(text))


def _word_evidence(word: str) -> tuple[Lang | None, float]:
    """Which language one lowercase word points to, and how strongly.

    >>> _word_evidence("devolucion"), _word_evidence("shipped"), _word_evidence("ok")
    (('es', 1.0), ('en', 0.5), (None, 0.0))
    """
    if word in _WORDS:
        return _WORDS[word]
    if _ACCENTED.search(word):
        return "es", _WEAK
    if word.endswith(_ENGLISH_CONTRACTIONS):
        return "en", _WEAK
    if len(word) > 4 and word.endswith(_SPANISH_ENDINGS):  # short words end in "-ado" by accident
        return "es", _HINT
    if len(word) > 4 and word.endswith(_ENGLISH_ENDINGS):
        return "en", _HINT
    return None, 0.0
