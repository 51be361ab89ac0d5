"""Fuzz the text parsers with hypothesis at scale: every crash or broken invariant, as a regression row.

    .venv/bin/python benchmarks/fuzz_parsers.py --minutes 5
    .venv/bin/python benchmarks/fuzz_parsers.py --minutes 1 --targets money,redact --seed 7

Targets, each with the invariants checked on every input (beyond "does not raise"):

* ``money``     ``bot.amounts.find_money``: an amount is 0..MAX_AMOUNT, a reason iff ambiguous,
                and invisible characters inserted anywhere change nothing;
* ``request``   ``bot.extraction.extract_request`` with the sample action catalogue;
* ``words``     ``bot.normalizing`` words, content words and character n-grams; invisible characters
                inserted anywhere change no word;
* ``language``  ``bot.language.detect_language`` says "en" or "es", whatever invisible characters;
* ``redact``    ``bot.redaction.redact`` is idempotent and leaves no Luhn-valid card number;
* ``render``    ``bot.rendering_text.echo`` has no control character, ``bot.slack.blocks.echo`` no "<";
* ``answer``    the whole flow (match, decide, both renderings) on the sample policies: slow, so
                it gets fewer examples.

Inputs mix arbitrary Unicode, money-like noise (signs, separators, digits of other scripts,
Slack markup, control characters) and the playbooks' own examples cut and spliced with that
noise. Batches of hypothesis examples run round-robin until the time is up; a failure is
shrunk by hypothesis and written to ``--out`` (JSON lines: target, text, error) to be added
to ``FUZZ_REGRESSIONS`` in tests/test_hostile_input.py. Exit code 1 when anything failed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.amounts import MAX_AMOUNT, find_money  # noqa: E402
from bot.language import detect_language  # noqa: E402
from bot.normalizing import char_features, content_words, words  # noqa: E402
from bot.redaction import contains_card_number, redact  # noqa: E402

NOISE = [
    "$", "€", "£", "¥", "US$", "usd", "EUR", "dólares", "pesos", "k", "mil", "%", "-", "−", ".", ",", " ", "  ", "#",
    "+", ":", "/", "0", "1", "12", "1.234", "1,234", "1.234,56", "1,234.56", "50k", "-20", "0.125", "9" * 20,
    "١٢", "۱۵", "１５", "१५", "½", "²", "⑫", "Ⅻ", "1e3", "0x10", "\u200b", "\u200d", "\u202e", "\u2066", "\ufeff",
    "\u00ad", "\x1b[2J", "\x00", "\r", "\n", "\t", "<!channel>", "<!here>", "<@U123>", "<#C1|x>",
    "<http://evil.example|link>", "&lt;", "&amp;", "[bold]", "*", "_", "`", "🙂", "👨‍👩‍👧", "\ud83d", "refund",
    "reembolso", "credit", "crédito", "shipping", "envío", "order", "pedido", "days", "días", "or", "y", "to",
    "4111 1111 1111 1111", "cvv", "+34 612 345 678", "ana@example.com", "2026-11-23", "10:30",
]


def _seeds() -> list[str]:
    """Every example and test situation of the sample playbooks: realistic text to splice noise into."""
    import yaml

    found = []
    for path in sorted((REPO / "playbooks").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        found += [text for text in data.get("examples", []) if isinstance(text, str)]
        found += [case["situation"] for case in data.get("tests", []) if isinstance(case, dict) and "situation" in case]
    return found or ["refund $12"]


@st.composite
def spliced(draw, seeds: list[str]) -> str:
    """A playbook example with noise inserted at a few places."""
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:at] + draw(st.sampled_from(NOISE)) + text[at:]
    return text


def texts(seeds: list[str]) -> st.SearchStrategy[str]:
    noise = st.lists(st.one_of(st.sampled_from(NOISE), st.text(max_size=6)), max_size=30).map("".join)
    return st.one_of(st.text(max_size=400), noise, spliced(seeds))


# ---------------------------------------------------------------- targets: raise AssertionError on a broken invariant


def check_money(text: str) -> None:
    scan = find_money(text, base_currency="USD")
    assert scan.amount is None or 0 <= scan.amount <= MAX_AMOUNT, scan
    assert (scan.reason is None) is (not scan.ambiguous), scan
    hidden = "\u200b".join(text)  # a zero-width space between every character
    again = find_money(hidden, base_currency="USD")
    assert (again.amount, again.currency, again.reason) == (scan.amount, scan.currency, scan.reason), (scan, again)


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2069"
                                     "\ufeff\u00ad"))


def visible(text: str) -> str:
    """The text without the invisible characters people paste: what the agent meant to type."""
    return text.translate(_INVISIBLE)


def check_words(text: str) -> None:
    found = words(text)
    assert words("\u200b".join(text)) == found == words(visible(text)), found  # invisible characters split no word
    assert all(word and word.isascii() for word in content_words(found))  # folded: plain ASCII words
    char_features(found)


def check_language(text: str) -> None:
    lang = detect_language(text)
    assert lang in ("en", "es")
    assert detect_language("\u200d".join(text)) == lang == detect_language(visible(text)), lang


def check_redact(text: str) -> None:
    once = redact(text)
    assert redact(once) == once, (text, once)
    assert not contains_card_number(once), once


def _request_target() -> Callable[[str], None]:
    from bot.extraction import ActionVocabulary, extract_request
    from bot.loading import load_policy_set

    policy_set = load_policy_set(REPO / "playbooks", REPO / "policies")
    vocabulary = ActionVocabulary.from_actions(policy_set.policy.actions)

    def check_request(text: str) -> None:
        request = extract_request(text, vocabulary, base_currency="USD")
        assert request.action is None or request.action in policy_set.policy.actions, request
        assert request.amount is None or not request.ambiguous or request.ambiguous_action, request

    return check_request


def check_render(text: str) -> None:
    from bot.rendering_text import echo
    from bot.slack.blocks import as_dicts
    from bot.slack.blocks import echo as slack_echo

    shown = echo(text).plain
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F or 0x202A <= ord(c) <= 0x202E for c in shown), shown
    assert "<" not in json.dumps(as_dicts(slack_echo(text)), ensure_ascii=False)


def _answer_target() -> Callable[[str], None]:
    import io

    from rich.console import Console

    from bot.answering import Engine, answer
    from bot.decision import History
    from bot.loading import load_policy_set
    from bot.rendering_text import render_answer
    from bot.slack.blocks import answer_blocks, as_dicts

    policy_set = load_policy_set(REPO / "playbooks", REPO / "policies")
    engine = Engine.build(policy_set)
    now = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)

    def check_answer(text: str) -> None:
        result = answer(engine, text, role="agent", history=History(), now=now)
        if result.decision is not None and result.request.amount is None:
            assert result.decision.verdict in (None, "not_allowed"), result.decision
        Console(file=io.StringIO(), width=80).print(render_answer(result, policy_set))
        blocks = json.dumps(as_dicts(answer_blocks(result, policy_set, question_id=1)), ensure_ascii=False)
        assert "<!" not in blocks and "<@" not in blocks and "<http" not in blocks, blocks[:300]

    return check_answer


TARGETS: dict[str, tuple[Callable[[], Callable[[str], None]], int]] = {
    # name -> (factory, examples per batch)
    "money": (lambda: check_money, 400),
    "request": (_request_target, 300),
    "words": (lambda: check_words, 400),
    "language": (lambda: check_language, 400),
    "redact": (lambda: check_redact, 300),
    "render": (lambda: check_render, 300),
    "answer": (_answer_target, 20),
}


# ---------------------------------------------------------------- the loop


class Failure(Exception):
    pass


def run_batch(name: str, check: Callable[[str], None], examples: int, strategy, found: list[dict]) -> int:
    """One batch of hypothesis examples; a failure is shrunk, recorded in ``found`` and reported."""
    count = 0
    last: dict = {}

    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate, Phase.shrink],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def batch(text: str) -> None:
        nonlocal count
        count += 1
        try:
            check(text)
        except Exception as error:  # record what hypothesis shrinks to, then let it go on shrinking
            last.update(target=name, text=text, error=f"{type(error).__name__}: {error}"[:500],
                        where=traceback.extract_tb(error.__traceback__)[-1].name)
            raise

    try:
        batch()
    except Exception:
        found.append(dict(last))
    return count


def fuzz(names: list[str], minutes: float, out: Path) -> int:
    strategy = texts(_seeds())
    checks = {name: TARGETS[name][0]() for name in names}
    deadline = time.monotonic() + minutes * 60
    counts = dict.fromkeys(names, 0)
    found: list[dict] = []
    started = time.monotonic()
    while time.monotonic() < deadline:
        for name in names:
            counts[name] += run_batch(name, checks[name], TARGETS[name][1], strategy, found)
            if time.monotonic() >= deadline:
                break
    elapsed = time.monotonic() - started
    report(counts, found, elapsed, out)
    return 1 if found else 0


def report(counts: dict[str, int], found: list[dict], elapsed: float, out: Path) -> None:
    print(f"{'target':<10} {'inputs':>9} {'per s':>8} {'failures':>8}")
    for name, count in counts.items():
        failures = sum(1 for f in found if f["target"] == name)
        print(f"{name:<10} {count:>9} {count / elapsed:>8.0f} {failures:>8}")
    if found:
        unique = {(f["target"], f["where"], f["error"].split(":")[0]): f for f in found}
        with out.open("a", encoding="utf-8") as stream:
            for failure in unique.values():
                stream.write(json.dumps(failure, ensure_ascii=False) + "\n")
        print(f"{len(unique)} distinct failures written to {out}: add them to FUZZ_REGRESSIONS "
              "in tests/test_hostile_input.py")
    else:
        print(f"no failures in {elapsed / 60:.1f} minutes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=1.0, help="how long to fuzz (default 1)")
    parser.add_argument("--targets", default=",".join(TARGETS), help=f"comma-separated, of: {', '.join(TARGETS)}")
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures.jsonl"), help="where failures are appended")
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.targets.split(",") if name.strip()]
    unknown = [name for name in names if name not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s) {', '.join(unknown)}; choose from {', '.join(TARGETS)}")
    return fuzz(names, args.minutes, args.out)


if __name__ == "__main__":
    sys.exit(main())
