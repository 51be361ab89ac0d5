"""Which topics of the hidden "nothing fits" class a library covers with playbooks of its own.

``bot/data/out-of-scope.txt`` is grouped in ``# --- topic`` blocks (invoices,
passwords, small talk, ...). A policy owner may add a playbook for one of those
topics, say password resets; the "passwords" lines would then compete with it
on every reset, and "se le olvidó la clave" came out ambiguous at 20%. So the
lines of a topic are left out of a library's index when at least two thirds of
them (and three) have, as their nearest row, a row of one and the same playbook,
closer than any other line of the topic. Half was not enough in a small
library: a password playbook also drew four of the seven "registration problems"
lines ("the verification email never comes").

>>> lines = ["forgot password", "reset my password", "hi", "hello"]
>>> topic_numbers(lines, {"forgot password": "passwords", "reset my password": "passwords", "hi": "small talk"})
([0, 0, 1, 1], ['passwords', 'small talk'])
>>> covered_topics(nearest_playbook=[3, 3, 3, None, 2, None], topic_index=[0, 0, 0, 0, 1, 1])
{0: 3}
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

__all__ = ["topic_numbers", "nearest_playbooks", "covered_topics"]

COVERED_LINES = 3  # a playbook must draw at least this many lines: one example near one line is not a topic


def topic_numbers(lines: Sequence[str], topic_of: Mapping[str, str]) -> tuple[list[int], list[str]]:
    """Each line's topic number, and the topic names. A line of no known topic (a caller's own
    line, not in the file) joins the topic of the line before it."""
    names: list[str] = []
    numbers: list[int] = []
    for line in lines:
        topic = topic_of.get(line, names[numbers[-1]] if numbers else "")
        if topic not in names:
            names.append(topic)
        numbers.append(names.index(topic))
    return numbers, names


def nearest_playbooks(similarities: Iterable[tuple[int, np.ndarray]], owner: np.ndarray, first: int,
                      topic_index: Sequence[int]) -> list[int | None]:
    """For each hidden line (rows from ``first``, given with its cosine to every row): the playbook
    owning its nearest row when that row is closer than every other line of its topic, else None."""
    topics = np.asarray(topic_index)
    out: list[int | None] = []
    for row, line in similarities:
        siblings = line[first:][topics == topics[row - first]].max()
        nearest = int(np.argmax(line[:first])) if first else None
        out.append(int(owner[nearest]) if nearest is not None and line[nearest] > siblings else None)
    return out


def covered_topics(nearest_playbook: Sequence[int | None], topic_index: Sequence[int]) -> dict[int, int]:
    """Topic -> the playbook covering it: the nearest neighbour of two thirds of its lines, and of three at least.

    ``nearest_playbook[i]``: the playbook owning line ``i``'s nearest row when that row is
    closer than every other line of its topic, else None.
    """
    votes: dict[int, Counter] = {}
    sizes = Counter(topic_index)
    for playbook, topic in zip(nearest_playbook, topic_index):
        if playbook is not None:
            votes.setdefault(topic, Counter())[playbook] += 1
    covered = {}
    for topic, counter in votes.items():
        playbook, count = counter.most_common(1)[0]
        if count >= COVERED_LINES and count * 3 >= sizes[topic] * 2:
            covered[topic] = playbook
    return covered
