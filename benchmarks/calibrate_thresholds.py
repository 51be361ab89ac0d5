"""Derive the match / ambiguous / none thresholds from data, and print them.

Never from the evaluation set (benchmarks/eval/situations.jsonl), so that set
keeps measuring honestly. The data is what the repository ships for training:

- in scope: the sample playbooks' own examples, by 5-fold cross-validation:
  each held-out example is matched against a library built without it (the
  titles, summaries and other examples stay);
- out of scope: the lines of ``bot/data/out-of-scope.txt``, in the same 5
  folds: a held-out line is left out of the hidden "nothing fits" class while
  it is scored; plus ``benchmarks.synthetic.out_of_scope()``, lines written
  separately that are never in the hidden class;
- the cross-validation is repeated with ``REPEATS`` different fold draws and
  pooled: with one draw, a few examples decide between neighbouring pairs.

Rules, from the targets (out-of-scope precision >= 0.9 with recall >= 0.8 on
a set where about 15% of situations are out of scope):

- ``none``: precision 0.9 at that share allows about 2% of in-scope
  situations to be called "none". Among all (reject_ratio, hidden_closer,
  none_below) combinations whose false-"none" rate on the held-out examples is
  at most ``--false-none`` (default 0.02), take the one that catches the most
  out-of-scope lines.
- ``match``: among (match_probability, match_margin) pairs whose matches are
  right at least ``--match-precision`` (default 0.96) of the time on the
  held-out examples, take the one that calls the most situations a match.
  At 0.97 the trained static model hedged on 42% of held-out examples, among
  them textbook cases ("package arrived 5 days late, customer wants 10 USD
  shipping refund"); 0.96 called 67% a match (76% with the word coverage). A wrong match still shows its
  title and a *Not this one* button.

    .venv/bin/python benchmarks/calibrate_thresholds.py                 # default (static) encoder
    .venv/bin/python benchmarks/calibrate_thresholds.py --encoder none  # words only
    python benchmarks/calibrate_thresholds.py --encoder semantic        # with the semantic extra
"""

from __future__ import annotations

import argparse
import random
import sys
from itertools import product
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import out_of_scope as synthetic_out_of_scope  # noqa: E402
from bot.encoders import get_encoder  # noqa: E402
from bot.loading import load_policy_set  # noqa: E402
from bot.matching import MatchIndex  # noqa: E402
from bot.matching_features import out_of_scope_texts  # noqa: E402
from bot.matching_outcome import Signals, Thresholds  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
FOLDS = 5
REPEATS = 5  # cross-validations with different folds, pooled: one leaves the chosen pair to chance
RATIOS = (*(round(float(x), 2) for x in np.geomspace(1.0, 64.0, 31)), 1e9)  # steps of about 15%
FLOORS = tuple(round(float(x), 2) for x in np.arange(0.0, 0.61, 0.05))
LEXICAL_FLOORS = tuple(round(float(x), 3) for x in np.arange(0.0, 0.21, 0.025))
CLOSER = (*(round(float(x), 2) for x in np.arange(0.0, 0.41, 0.02)), float("inf"))
PROBABILITIES = tuple(round(float(x), 2) for x in np.arange(0.3, 0.91, 0.05))
MARGINS = tuple(round(float(x), 2) for x in np.arange(0.0, 0.61, 0.05))


def held_out_signals(encoder, *, seed: int = 0) -> tuple[list[tuple[Signals, bool]], list[Signals]]:
    """(signals, ranked right) for every held-out example; signals for every out-of-scope line."""
    playbooks = load_policy_set(REPO / "playbooks", REPO / "policies").playbooks
    rng = random.Random(seed)
    fold_of = {pid: _folds(len(p.examples), rng) for pid, p in playbooks.items()}
    lines = list(out_of_scope_texts())
    line_fold = _folds(len(lines), rng)
    in_scope, out_scope = [], []
    for fold in range(FOLDS):
        train = {pid: p.model_copy(update={"examples": [e for e, f in zip(p.examples, fold_of[pid]) if f != fold]})
                 for pid, p in playbooks.items()}
        index = MatchIndex(train, encoder, out_of_scope=[t for t, f in zip(lines, line_fold) if f != fold])
        for pid, playbook in playbooks.items():
            for example in (e for e, f in zip(playbook.examples, fold_of[pid]) if f == fold):
                in_scope.append((index.signals(example), index.match(example, limit=1).best.playbook == pid))
        out_scope += [index.signals(t) for t, f in zip(lines, line_fold) if f == fold]
        if fold == 0:
            out_scope += [index.signals(t) for t in synthetic_out_of_scope()]
    return in_scope, out_scope


def _folds(count: int, rng: random.Random) -> list[int]:
    assigned = [i % FOLDS for i in range(count)]
    rng.shuffle(assigned)
    return assigned


def none_grid(signals: list[Signals]) -> np.ndarray:
    """Whether ``matching_outcome.decide`` says "none", for every (ratio, floor, lexical floor, closer)
    of the grid (axes in that order) and every signal (last axis), all at once."""
    has_words, best, rejected, nearest, dense, hidden = (np.array(column, dtype=float) for column in zip(
        *((s.has_words, s.best, s.rejected, s.nearest, s.dense, s.hidden_nearest) for s in signals)))
    by_ratio = rejected > np.array(RATIOS)[:, None] * best  # (ratio, signal)
    floor = np.where(dense > 0, np.array(FLOORS)[:, None, None], np.array(LEXICAL_FLOORS)[None, :, None])
    by_floor = nearest < floor  # (floor, lexical floor, signal)
    by_closer = (hidden - nearest) > np.array(CLOSER)[:, None]  # (closer, signal)
    return ((has_words == 0) | by_ratio[:, None, None, None] | by_floor[None, :, :, None]
            | by_closer[None, None, None, :])


def choose_none(in_scope, out_scope, budget: float) -> tuple[dict, float, float]:
    """The (ratio, floors, closer) catching the most out-of-scope lines within the false-"none" budget."""
    false_none = none_grid([s for s, _ in in_scope]).mean(axis=-1)
    caught = np.where(false_none <= budget, none_grid(out_scope).mean(axis=-1), -1.0)
    best = None
    for (r, f, lf, c) in zip(*np.nonzero(caught == caught.max())):
        # ties: fewer false "none", then the laxest rule
        key = (-false_none[r, f, lf, c], RATIOS[r], CLOSER[c], -FLOORS[f], -LEXICAL_FLOORS[lf])
        if best is None or key > best[0]:
            best = (key, (r, f, lf, c))
    r, f, lf, c = best[1]
    chosen = {"reject_ratio": RATIOS[r], "hidden_closer": CLOSER[c], "none_below": FLOORS[f],
              "none_below_lexical": LEXICAL_FLOORS[lf]}
    return chosen, float(caught[r, f, lf, c]), float(false_none[r, f, lf, c])


def choose_match(in_scope, goal: float) -> tuple[dict, float, float]:
    """The (probability, margin) calling the most situations a match while staying right ``goal`` of the time."""
    best = None
    for probability, margin in product(PROBABILITIES, MARGINS):
        called = [right for s, right in in_scope if s.best >= probability and s.best - s.second >= margin]
        if not called or np.mean(called) < goal:
            continue
        key = (len(called), probability, margin)
        if best is None or key > best[0]:
            best = (key, {"match_probability": probability, "match_margin": margin}, float(np.mean(called)))
    (count, *_), chosen, precision = best
    return chosen, count / len(in_scope), precision


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", default=None, help="static (default), none, semantic or a model name/path")
    parser.add_argument("--false-none", type=float, default=0.02, help="in-scope share allowed to come out 'none'")
    parser.add_argument("--match-precision", type=float, default=0.96, help="how often a 'match' must be right")
    args = parser.parse_args()
    encoder = get_encoder(args.encoder)
    in_scope, out_scope = [], []
    for seed in range(REPEATS):
        held_in, held_out = held_out_signals(encoder, seed=seed)
        in_scope += held_in
        out_scope += held_out
    none, caught, false_none = choose_none(in_scope, out_scope, args.false_none)
    match, coverage, precision = choose_match(in_scope, args.match_precision)
    print(f"encoder: {encoder.name}")
    print(f"held out ({REPEATS} cross-validations): {len(in_scope)} in-scope examples (top-1 {np.mean([r for _, r in in_scope]):.1%}), "
          f"{len(out_scope)} out-of-scope lines")
    print(f"none:  {none}  -> catches {caught:.1%} of out-of-scope, {false_none:.1%} of in-scope called none")
    print(f"match: {match}  -> {coverage:.1%} of in-scope called match, right {precision:.1%} of the time")
    print(f"Thresholds({', '.join(f'{k}={v}' for k, v in {**none, **match}.items())})")
    Thresholds(**none, **match)  # the printed values are valid thresholds


if __name__ == "__main__":
    main()
