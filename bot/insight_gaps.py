"""Gaps: situations no playbook fits, grouped by similarity, each group a candidate for a new playbook.

Similarity blends two views: the matcher's encoder (same meaning, other words) and
the content words two phrasings share, typos forgiven with rapidfuzz (same words,
any order). Without an encoder, the bundled static one is used. Grouping is
deterministic: the situation with the most close neighbours leads the first group
and takes them; the next leader comes from what is left; ties go to the older one.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime

import numpy as np
from rapidfuzz import fuzz, process

from bot.insights import Insight, localized, section_site
from bot.ledger import Ledger, iso
from bot.models import PolicySet
from bot.normalizing import content_words

GAP_SIMILARITY = 0.5
"""Two phrasings at least this similar (0-1) describe the same situation. Unrelated support sentences score
0.2-0.4 (shared words like "customer", "order"); rephrasings of one situation 0.5-0.8."""
ENCODER_WEIGHT = 0.7
"""Meaning counts more than spelling: agents describe one situation with different words."""
TYPO_SIMILARITY = 85
"""rapidfuzz ratio above which two words are one word mistyped ("adress", "address")."""
GAP_MIN_CLUSTER = 3
"""A situation met three times is a pattern worth a playbook; once or twice may be a one-off."""
GAP_SAMPLE = 500
"""The newest unmatched situations considered: enough for any week's patterns, small enough for an n^2 matrix."""
TYPICAL_SHOWN = 3


def gap_insights(ledger: Ledger, policy_set: PolicySet, *, start: datetime, end: datetime, encoder=None) -> list[Insight]:
    """One insight per group of at least ``GAP_MIN_CLUSTER`` similar unmatched situations."""
    rows = ledger.db.execute(
        "SELECT id, text, candidates FROM unmatched WHERE created_at >= ? AND created_at < ? AND text != '' "
        "ORDER BY created_at DESC, id DESC LIMIT ?", [iso(start), iso(end), GAP_SAMPLE]).fetchall()
    rows = sorted(rows, key=lambda row: row[0])
    if len(rows) < GAP_MIN_CLUSTER:
        return []
    texts = [row[1] for row in rows]
    if encoder is None:
        from bot.encoders import get_encoder

        encoder = get_encoder("static")
    similar = similarity(texts, encoder=encoder)
    found = []
    for members in clusters(similar):
        if len(members) >= GAP_MIN_CLUSTER:
            found.append(_gap(policy_set, [rows[i] for i in typical_first(similar, members)]))
    return found


def similarity(texts: list[str], *, encoder=None) -> np.ndarray:
    """Pairwise similarity in [0, 1]: ``ENCODER_WEIGHT`` of the encoder's cosine, the rest shared words.

    >>> from bot.encoders import NoEncoder
    >>> similarity(["the parcel is lost", "parcell lost", "wrong invoice"], encoder=NoEncoder()).round(2).tolist()
    [[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    lexical = shared_words(texts)
    if encoder is None or not getattr(encoder, "dims", 0):
        return lexical
    vectors = encoder.encode(texts)
    return ENCODER_WEIGHT * np.clip(vectors @ vectors.T, 0, 1) + (1 - ENCODER_WEIGHT) * lexical


def shared_words(texts: list[str]) -> np.ndarray:
    """Jaccard overlap of content words, where words within a typo of each other (rapidfuzz) count as one."""
    bags = [set(content_words(text)) for text in texts]
    spelling = _canonical_spelling(sorted(set().union(*bags)))
    columns = {word: index for index, word in enumerate(sorted(set(spelling.values())))}
    present = np.zeros((len(texts), max(1, len(columns))), dtype=np.float32)
    for row, bag in enumerate(bags):
        present[row, [columns[spelling[word]] for word in bag]] = 1
    shared = present @ present.T
    sizes = present.sum(axis=1)
    union = sizes[:, None] + sizes[None, :] - shared
    overlap = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
    np.fill_diagonal(overlap, 1)
    return overlap


def _canonical_spelling(vocabulary: list[str]) -> dict[str, str]:
    """Each word -> the first earlier word within ``TYPO_SIMILARITY`` of it (deterministic: sorted order)."""
    chosen: list[str] = []
    spelling = {}
    for word in vocabulary:
        near = process.extractOne(word, chosen, scorer=fuzz.ratio, score_cutoff=TYPO_SIMILARITY) if len(word) > 3 else None
        spelling[word] = near[0] if near else word
        if not near:
            chosen.append(word)
    return spelling


def clusters(similar: np.ndarray, threshold: float = GAP_SIMILARITY) -> list[list[int]]:
    """Greedy leader clustering, deterministic: most-connected first, ties to the lower index.

    >>> clusters(np.array([[1, .9, 0], [.9, 1, 0], [0, 0, 1]]))
    [[0, 1], [2]]
    """
    close = similar >= threshold
    np.fill_diagonal(close, True)
    degree = close.sum(axis=1)
    free = np.ones(len(similar), dtype=bool)
    groups = []
    for leader in sorted(range(len(similar)), key=lambda i: (-degree[i], i)):
        if not free[leader]:
            continue
        members = [i for i in np.flatnonzero(close[leader] & free)]
        free[members] = False
        groups.append(sorted(int(i) for i in members))
    return groups


def typical_first(similar: np.ndarray, members: list[int]) -> list[int]:
    """Members ordered by how close each is to the rest of its group: the most typical phrasing first."""
    block = similar[np.ix_(members, members)]
    closeness = block.sum(axis=1)
    return [members[i] for i in sorted(range(len(members)), key=lambda i: (-closeness[i], members[i]))]


def _gap(policy_set: PolicySet, rows: list) -> Insight:
    typical = [row[1] for row in rows[:TYPICAL_SHOWN]]
    closest = _closest_playbook([row[2] for row in rows], policy_set)
    params = {"count": len(rows), "example": typical[0]}
    cites: tuple[str, ...] = ()
    if closest:
        cites = (section_site(policy_set, closest, "examples"),)
        params.update(closest=localized(policy_set, playbook=closest), file=cites[0])
    evidence = {"count": len(rows), "typical": typical, "closest_playbook": closest,
                "unmatched_ids": [row[0] for row in rows]}
    return Insight(kind="gap", subject=typical[0][:80], params=params, evidence=evidence, cites=cites,
                   weight=float(len(rows)), variant="_closest" if closest else "")


def _closest_playbook(candidate_lists: list[str], policy_set: PolicySet) -> str | None:
    """The playbook most often ranked first for these situations (still below the match threshold)."""
    firsts = Counter()
    for text in candidate_lists:
        try:
            ranked = json.loads(text or "[]")
        except ValueError:
            continue
        if ranked and ranked[0].get("playbook") in policy_set.playbooks:
            firsts[ranked[0]["playbook"]] += 1
    return min(firsts.items(), key=lambda item: (-item[1], item[0]))[0] if firsts else None
