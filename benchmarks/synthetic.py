"""Synthetic playbook libraries of any size, for speed and memory measurements.

Real libraries have tens of playbooks; a large company may reach thousands. To
measure the matcher at 50, 500 and 5,000 playbooks we recombine support
vocabulary into playbooks that look like real ones to the matcher: a title,
about ten short examples in English or Spanish sharing a topic, an object and a
problem, and one step. The same seed gives the same library, byte for byte.

Also here: :func:`situations`, queries drawn the same way (with typos, amounts
and order numbers), and :func:`out_of_scope`, lines an agent might type that no
support playbook should match (chit-chat, IT questions, other departments),
used to check that the "none" outcome is reached.

>>> library = synthetic_library(3, seed=1)
>>> sorted(library) == sorted(synthetic_library(3, seed=1))
True
>>> all(len(p.examples) == 10 for p in library.values())
True
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from bot.models import Playbook

__all__ = ["synthetic_library", "situations", "out_of_scope"]

_OBJECTS = """
package parcel order box delivery shipment item product laptop phone tablet charger headphones
monitor keyboard mouse printer camera blender kettle toaster fridge oven vacuum lamp chair table
sofa mattress pillow jacket shoes dress shirt jeans watch ring necklace perfume shampoo book
subscription plan membership account invoice bill payment card voucher coupon gift router modem
tv speaker console controller game bike helmet tent stroller crib toy puzzle paint drill saw
""".split()
_PROBLEMS = """
arrived broken|arrived late|never arrived|was lost|is missing parts|was the wrong size|was the wrong
colour|was charged twice|was overcharged|stopped working|will not turn on|was cancelled|was delivered
to the wrong address|was damaged in transit|is leaking|is scratched|is counterfeit|was not refunded|
was renewed without notice|cannot be returned|has a missing warranty|code does not work|price dropped
after purchase|was sent twice|tracking stopped updating|installer did not show up|is recalled|
smells bad|is expired|was opened before|has a billing error|is stuck in customs|needs assembly help
""".replace("\n", " ").split("|")
_SPANISH = """
llegó roto|llegó tarde|nunca llegó|se perdió|le faltan piezas|vino en talla equivocada|le cobraron
dos veces|dejó de funcionar|no enciende|fue cancelado|se entregó en otra dirección|vino dañado|
tiene fugas|está rayado|no le devolvieron el dinero|se renovó sin aviso|el código no funciona|
bajó de precio|el técnico no vino|está atascado en aduana
""".replace("\n", " ").split("|")
_OPENERS = ["customer says", "cx says", "client reports", "the customer's", "buyer complains the", "", "", "hi,"]
_CLOSERS = ["", "", "what can we do", "wants a refund", "asking for a replacement", "very upset", "pls help"]
_OPENERS_ES = ["el cliente dice que", "la clienta reporta que", "cx dice q", "", "hola,"]
_CLOSERS_ES = ["", "quiere el reembolso", "pide un cambio", "está muy molesto", "q hacemos"]


def synthetic_library(count: int, *, seed: int = 7, actions: Sequence[str] = ()) -> dict[str, Playbook]:
    """``count`` playbooks, each a distinct (object, problem) topic with ten examples.

    With ``actions`` (ids of a policy's catalogue), each playbook also allows two or
    three of them with per-role limits, so a decision has work to do. The limits
    come from their own random stream: the examples are the same with or without.
    """
    rng = random.Random(seed)
    limits_rng = random.Random(seed + 1)
    topics = [(o, p) for o in _OBJECTS for p in range(len(_PROBLEMS))]
    rng.shuffle(topics)
    while len(topics) < count:  # beyond the ~2,700 pairs: variants with a second object
        topics += [(f"{o} {rng.choice(_OBJECTS)}", p) for o, p in topics[: count - len(topics)]]
    library = {}
    for number, (item, problem) in enumerate(topics[:count]):
        playbook_id = f"synthetic-{number:05d}"
        examples = [_sentence(rng, item, problem) for _ in range(10)]
        library[playbook_id] = Playbook.model_validate(
            {
                "id": playbook_id,
                "title": {"en": f"{item} {_PROBLEMS[problem]}", "es": f"{item} {_SPANISH[problem % len(_SPANISH)]}"},
                "examples": examples,
                "steps": ["Follow the usual process."],
                **({"actions": _limits(limits_rng, actions)} if actions else {}),
            }
        )
    return library


def _limits(rng: random.Random, actions: Sequence[str]) -> dict[str, dict[str, int]]:
    """Two or three actions, each with limits rising by role (agent < senior < lead)."""
    chosen = rng.sample(list(actions), k=min(len(actions), rng.choice([2, 3])))
    out = {}
    for action in chosen:
        agent = rng.choice([10, 20, 25, 40, 50])
        out[action] = {"agent": agent, "senior": agent * 2, "lead": agent * 6}
    return out


def situations(library: dict[str, Playbook], count: int, *, seed: int = 11) -> list[tuple[str, str]]:
    """(text, expected playbook id) pairs: new sentences on a library's topics, with noise."""
    rng = random.Random(seed)
    ids = sorted(library)
    out = []
    for _ in range(count):
        playbook_id = rng.choice(ids)
        title = library[playbook_id].title.text("en")
        problem = next(i for i, p in enumerate(_PROBLEMS) if title.endswith(p))
        item = title[: -len(_PROBLEMS[problem])].strip()
        text = _sentence(rng, item, problem)
        text = _typo(rng, text) + rng.choice(["", f" order #{rng.randint(10000, 99999)}", f" ${rng.randint(5, 900)}.99"])
        out.append((text, playbook_id))
    return out


def out_of_scope() -> list[str]:
    """Lines an agent may type that no playbook of a returns-and-billing library covers (EN, ES):
    small talk, internal IT and HR questions, and customer questions of other kinds (opening
    hours, sizes, accounts). Used with held-out examples to calibrate the "none" thresholds."""
    return [
        "what time is the team meeting today",
        "can someone cover my shift on saturday",
        "how do I reset my own password for the laptop",
        "the vpn keeps disconnecting",
        "where is the coffee machine on this floor",
        "thanks, that solved it",
        "good morning everyone",
        "who is the manager on duty",
        "who wants to get pizza at noon",
        "my headset microphone is not working",
        "alguien sabe la clave del wifi",
        "a qué hora es la reunión del equipo",
        "gracias!!",
        "buenos días a todos",
        "quién cubre mi turno del sábado",
        "se me colgó el computador otra vez",
        "dónde dejo las llaves de la oficina",
        "me voy a almorzar, vuelvo en una hora",
        'how do I submit my timesheet',
        'is the printer on the second floor working',
        'can you send me the link to the training video',
        'the CRM is really slow today',
        'who approved my vacation request',
        "what's the holiday schedule for december",
        'I need a new mouse for my desk',
        'where do we log overtime',
        'is there cake in the kitchen',
        'my screen is flickering',
        'can I swap shifts with Ana next week',
        'how do I mute the slack notifications',
        "what's our parental leave policy",
        'the coffee machine is broken again',
        'customer asks what your opening hours are',
        'customer wants to know if you sell gift cards',
        'cx asks if the blue one comes in XL',
        'customer wants to apply for a job',
        "customer asks for the CEO's email address",
        'client wants to know where the nearest store is',
        'customer asks whether we deliver on Sundays',
        'customer wants to change their password',
        'cx asking how to create an account',
        'customer asks if the item is dishwasher safe',
        'customer wants to subscribe to the newsletter',
        'buyer asks about the battery life of the speaker',
        '¿cuándo es la próxima capacitación?',
        'no me funciona el teclado',
        'necesito vacaciones la semana que viene',
        '¿dónde está la impresora?',
        'el sistema está lentísimo hoy',
        '¿alguien me pasa el enlace de la reunión?',
        'hoy salgo temprano, aviso',
        '¿cuál es el horario de la tienda del centro?',
        'el cliente pregunta si tenemos tarjetas regalo',
        'la clienta quiere saber si hacemos envíos a Canarias',
        'el cliente quiere crear una cuenta nueva',
        'cliente pregunta si el producto es apto para lavavajillas',
        'el cliente quiere darse de alta en el boletín',
        'la clienta pregunta por la talla de una chaqueta',
        'el cliente quiere trabajar con nosotros',
        'cliente pregunta cuánto dura la batería',
        # Nothing to do with support at all, sharing no word with a playbook: what the similarity
        # floor is for. Without these, the calibration saw no reason to keep a floor, and
        # "blue banana sky" came out a confident match.
        'my cat is purple',
        'blue banana sky',
        'asdf qwer zxcv',
        'the moon looks huge tonight',
        'my sister plays the violin',
        'dinosaurs had feathers',
        'I planted tomatoes on my balcony',
        'the train to the coast was full of tourists',
        'penguins cannot fly but they swim fast',
        'my neighbour painted his fence green',
        'jazz music helps me concentrate',
        'the river froze last winter',
        'seven elephants crossing the road',
        'this song has been stuck in my head all day',
        'my grandmother knits scarves for everyone',
        'purple clouds over the mountains',
        'lorem ipsum dolor sit amet',
        'the chess tournament lasted six hours',
        'volcanoes are fascinating',
        'jjjjjjjj kkkkk',
        'mi gato es morado',
        'cielo plátano azul',
        'mi hermana toca el violín',
        'los dinosaurios tenían plumas',
        'planté tomates en el balcón',
        'la luna se ve enorme esta noche',
        'mi vecino pintó la valla de verde',
        'los pingüinos no vuelan pero nadan rápido',
        'el río se congeló el invierno pasado',
        'siete elefantes cruzando la carretera',
        'mi abuela teje bufandas para todos',
        'esta canción no se me va de la cabeza',
        'el torneo de ajedrez duró seis horas',
        'nubes moradas sobre las montañas',
        'los volcanes son fascinantes',
        'ñññ asdfgh',
    ]


def _sentence(rng: random.Random, item: str, problem: int) -> str:
    if rng.random() < 0.3:
        return " ".join(p for p in [rng.choice(_OPENERS_ES), f"el {item}", _SPANISH[problem % len(_SPANISH)],
                                    rng.choice(_CLOSERS_ES)] if p)
    return " ".join(p for p in [rng.choice(_OPENERS), item, _PROBLEMS[problem], rng.choice(_CLOSERS)] if p)


def _typo(rng: random.Random, text: str) -> str:
    """Drop one letter of one longer word, a third of the time."""
    words = text.split()
    long_words = [i for i, w in enumerate(words) if len(w) > 5]
    if long_words and rng.random() < 0.33:
        i = rng.choice(long_words)
        j = rng.randrange(1, len(words[i]) - 1)
        words[i] = words[i][:j] + words[i][j + 1 :]
    return " ".join(words)
