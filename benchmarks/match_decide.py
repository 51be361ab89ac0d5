"""Match + decide per situation, one at a time, at 50, 500 and 5,000 playbooks.

What the Slack app does for every question before it replies: detect the
language, match the text, read the request (action, amount) and decide it
against the policy and the asker's history (``bot.answering.answer``). The
playbooks are synthetic (``benchmarks/synthetic.py``) with actions and limits
drawn from the real catalogue in ``policies/``, so the decision has work to do.

The ``sample`` row is the 16 playbooks shipped in ``playbooks/`` asked the
labelled situations of ``benchmarks/eval``: real playbooks have more examples
each, which is what the re-ranker's cost grows with.

Targets (default encoder, one core): p99 <= 10 ms at 500 playbooks and <= 50 ms
at 5,000. Also reported: the engine's build time (match index + action
vocabulary), the index's pickled size and the growth of peak RSS. ``cpu`` columns
are the thread's CPU time per situation: the work itself, which other processes
on a shared machine do not lengthen (the wall-clock p50/p99 are what agents wait).

    OPENBLAS_NUM_THREADS=1 taskset -c 0 .venv/bin/python benchmarks/match_decide.py
    .venv/bin/python benchmarks/match_decide.py --quick          # sample, 50 and 500 playbooks, 200 situations
    .venv/bin/python benchmarks/match_decide.py --sizes 50 --situations 20 --json
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import re
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.synthetic import situations, synthetic_library  # noqa: E402
from benchmarks.timing import Columns, emit, peak_rss_mb, summary  # noqa: E402
from bot.answering import Engine, answer, decide_for  # noqa: E402
from bot.decision import Gesture, History  # noqa: E402
from bot.encoders import EncoderUnavailable, get_encoder  # noqa: E402
from bot.loading import load_policy_set  # noqa: E402
from bot.models import PolicySet  # noqa: E402

NOW = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)
ROLES = ("agent", "senior", "lead")
WARM_UP = 20
SAMPLE = "sample"  # the playbooks shipped in playbooks/, asked the situations of benchmarks/eval
# what ``situations`` adds that would make the request ambiguous: a price, or a second action
OTHER_REQUESTS = re.compile(r" \$\d+\.99$"
                            r"| (wants a refund|asking for a replacement|quiere el reembolso|pide un cambio)")


def policy_set_of(size: int, *, base: Path = REPO) -> PolicySet:
    """The policy of ``base/policies`` (roles, caps, budgets, frequency limits) over ``size`` synthetic playbooks."""
    real = load_policy_set(base / "playbooks", base / "policies")
    library = synthetic_library(size, actions=sorted(real.policy.actions))
    return PolicySet(playbooks=library, policy=real.policy, revision=f"synthetic-{size}")


def requests_for(policy_set: PolicySet, count: int, *, seed: int = 13) -> list[tuple[str, str]]:
    """Situations with a request an agent would type: an action word of the playbook and an amount."""
    rng = random.Random(seed)
    out = []
    for text, expected in situations(policy_set.playbooks, count):
        action = rng.choice(sorted(policy_set.playbooks[expected].actions))
        word = (policy_set.policy.actions[action].synonyms.get("en") or [action.replace("_", " ")])[0]
        text = OTHER_REQUESTS.sub("", text).strip()
        out.append((f"{text}, {word} of ${rng.randint(5, 150)}?", expected))
    return out


def history() -> History:
    """An agent halfway through their day, with a customer who had two gestures this quarter."""
    gestures = (Gesture(action="refund", amount=Decimal("20"), at=NOW - timedelta(days=10)),
                Gesture(action="goodwill_credit", amount=Decimal("10"), at=NOW - timedelta(days=40)))
    return History(spent_today=Decimal("60"), spent_this_month=Decimal("700"), customer_gestures=gestures)


def sample_cases(count: int) -> tuple[PolicySet, list[tuple[str, str | None]]]:
    """The playbooks shipped in ``playbooks/`` and the labelled situations of ``benchmarks/eval``."""
    policy_set = load_policy_set(REPO / "playbooks", REPO / "policies")
    lines = (REPO / "benchmarks" / "eval" / "situations.jsonl").read_text(encoding="utf-8").splitlines()
    cases = [(row["text"], row.get("expected")) for row in map(json.loads, lines) if row.get("text")]
    return policy_set, (cases * (count // len(cases) + 1))[:count]


def measure(size: int | str, encoder, count: int, *, base: Path = REPO) -> dict:
    """Build the engine for one library, then time ``count`` situations one at a time."""
    if size == SAMPLE:
        policy_set, cases = sample_cases(count)
    else:
        policy_set = policy_set_of(size, base=base)
        cases = requests_for(policy_set, count)
    rss_before = peak_rss_mb()
    started = time.perf_counter()
    engine = Engine.build(policy_set, encoder=encoder)
    build_s = time.perf_counter() - started
    index_mb = len(pickle.dumps(engine.index, protocol=pickle.HIGHEST_PROTOCOL)) / 2**20
    timed = time_answers(engine, cases)
    return {"benchmark": "match_decide", "library": str(size), "playbooks": len(policy_set.playbooks),
            "situations": count, "encoder": encoder.name, **timed, "build_s": build_s, "index_mb": index_mb,
            "rss_growth_mb": peak_rss_mb() - rss_before}


def time_answers(engine: Engine, cases: list[tuple[str, str | None]]) -> dict:
    """Wall and CPU time of each answer, and of its decision alone; the share matched right and decided."""
    seen = history()
    for text, _ in cases[:WARM_UP]:  # a running bot has its caches warm
        answer(engine, text, role="agent", history=seen, now=NOW)
    total, cpu, decide_only, decided, hits = [], [], [], 0, 0
    for number, (text, expected) in enumerate(cases):
        role = ROLES[number % len(ROLES)]
        started, started_cpu = time.perf_counter(), time.thread_time()
        result = answer(engine, text, role=role, history=seen, now=NOW)
        total.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        hits += result.playbook == expected
        if result.decision is not None:
            decided += result.decision.verdict is not None
            started = time.perf_counter()
            decide_for(engine, result.playbook, result.request, role=role, history=seen, now=NOW)
            decide_only.append((time.perf_counter() - started) * 1000)
    return {**summary(total), **summary(cpu, "cpu_"), **summary(decide_only or [0.0], "decide_"),
            "top1": hits / len(cases), "decided": decided / len(cases)}


TABLE = Columns(("library", "library", 7, ""), ("playbooks", "playbooks", 9, ""), ("p50 ms", "p50_ms", 7, ".2f"),
                ("p99 ms", "p99_ms", 7, ".2f"), ("cpu p50", "cpu_p50_ms", 7, ".2f"), ("cpu p99", "cpu_p99_ms", 7, ".2f"),
                ("decide p99", "decide_p99_ms", 10, ".3f"), ("build s", "build_s", 8, ".2f"),
                ("index MB", "index_mb", 9, ".1f"), ("RSS+ MB", "rss_growth_mb", 8, ".1f"), ("top-1", "top1", 6, ".1%"),
                ("decided", "decided", 8, ".1%"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="match + decide latency per situation, build time and memory")
    parser.add_argument("--quick", action="store_true", help="sample, 50 and 500 playbooks, 200 situations")
    parser.add_argument("--sizes", type=lambda s: [n if n == SAMPLE else int(n) for n in s.split(",")],
                        help=f"comma-separated library sizes; '{SAMPLE}' is the shipped playbooks "
                             f"(default 50,500,5000,{SAMPLE})")
    parser.add_argument("--situations", type=int, help="situations per size (default 1000, quick 200)")
    parser.add_argument("--encoder", default=None, help="static (default), none, semantic or a model path")
    parser.add_argument("--policies-from", type=Path, default=REPO, metavar="DIR",
                        help="a folder with playbooks/ and policies/ whose policy the synthetic playbooks use "
                             "(default: the repository's; the test suite passes its small fixture)")
    parser.add_argument("--json", action="store_true", help="one JSON object per size on stdout")
    args = parser.parse_args(argv)
    sizes = args.sizes or ([50, 500, SAMPLE] if args.quick else [50, 500, 5000, SAMPLE])
    count = args.situations or (200 if args.quick else 1000)
    try:
        encoder = get_encoder(args.encoder)
    except EncoderUnavailable as error:
        raise SystemExit(f"skipped: {error}")
    if not args.json:
        print(f"encoder: {encoder.name}  situations per size: {count}  (match + extract + decide, one at a time)")
        print(TABLE.header())
    for size in sizes:
        row = measure(size, encoder, count, base=args.policies_from)
        emit(row, as_json=args.json, line=TABLE.line(row))


if __name__ == "__main__":
    main()
