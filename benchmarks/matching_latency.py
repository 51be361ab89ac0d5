"""How fast is matching, and how big is the index? Per query p50/p99, build time, memory.

Targets (default encoder, one core): p99 <= 10 ms at 500 playbooks and <= 50 ms
at 5,000; index build at 5,000 playbooks < 60 s (a cache makes later builds a
file read). Queries are timed one at a time, as the Slack app sends them.

    .venv/bin/python benchmarks/matching_latency.py            # 50, 500, 5000 playbooks
    .venv/bin/python benchmarks/matching_latency.py --quick    # 50 and 500, fewer queries (CI size)
    .venv/bin/python benchmarks/matching_latency.py --encoder semantic   # needs the semantic extra

For one core, run it with OPENBLAS_NUM_THREADS=1 (and taskset -c 0 where available); with
``--encoder semantic`` add OMP_NUM_THREADS=1 too, or torch's own threads do work the "cpu"
columns (this thread's time) would not count. A 5,000-playbook library is ~60k rows for the
transformer to encode: about 7 minutes of one core.
On a shared machine the wall-clock figures include waiting for the CPU; the
"cpu" columns (``time.thread_time`` of the matching thread, with
OPENBLAS_NUM_THREADS=1) are the work of one query on one core, whatever the load.
Memory is the growth of the process's peak RSS over the build plus the queries
(``resource.getrusage``; includes the build's transient peak), and the index's
own size as pickled (what the cache stores).
"""

from __future__ import annotations

import argparse
import sys
import time
import pickle
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import situations, synthetic_library  # noqa: E402
from benchmarks.timing import Columns, peak_rss_mb, summary  # noqa: E402
from bot.encoders import EncoderUnavailable, get_encoder  # noqa: E402
from bot.matching import build_index  # noqa: E402


def measure(size: int, encoder, queries: int) -> dict:
    library = synthetic_library(size)
    cases = situations(library, queries)
    rss_before = peak_rss_mb()
    started, started_cpu = time.perf_counter(), time.process_time()
    index = build_index(library, encoder=encoder)
    build, build_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    index_mb = len(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL)) / 2**20
    for text, _ in cases[:20]:  # warm caches (speller, word pieces) as a running bot would have them
        index.match(text)
    timings, cpu, hits = [], [], 0
    for text, expected in cases:
        started, started_cpu = time.perf_counter(), time.thread_time()
        result = index.match(text)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        hits += bool(result.matches) and result.matches[0].playbook == expected
    return {
        "playbooks": size,
        "build_s": build,
        "build_cpu_s": build_cpu,
        **summary(timings),
        **summary(cpu, "cpu_"),
        "index_mb": index_mb,
        "rss_growth_mb": peak_rss_mb() - rss_before,
        "top1": hits / len(cases),
    }


TABLE = Columns(("playbooks", "playbooks", 9, ""), ("build s", "build_s", 8, ".2f"), ("cpu s", "build_cpu_s", 6, ".2f"),
                ("p50 ms", "p50_ms", 7, ".2f"), ("p99 ms", "p99_ms", 7, ".2f"), ("cpu p50", "cpu_p50_ms", 8, ".2f"),
                ("cpu p99", "cpu_p99_ms", 8, ".2f"), ("index MB", "index_mb", 9, ".1f"),
                ("RSS+ MB", "rss_growth_mb", 8, ".1f"), ("top-1", "top1", 6, ".1%"))


def main() -> None:
    parser = argparse.ArgumentParser(description="matching latency, build time and memory")
    parser.add_argument("--quick", action="store_true", help="50 and 500 playbooks, 200 queries")
    parser.add_argument("--encoder", default=None, help="static (default), none, semantic or a model path")
    parser.add_argument("--sizes", default=None, help="comma-separated library sizes")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else ([50, 500] if args.quick else [50, 500, 5000])
    try:
        encoder = get_encoder(args.encoder)
    except EncoderUnavailable as error:
        raise SystemExit(f"skipped: {error}")
    queries = 200 if args.quick else 1000
    print(f"encoder: {encoder.name}  queries per size: {queries}")
    print(TABLE.header())
    for size in sizes:
        print(TABLE.line(measure(size, encoder, queries)), flush=True)


if __name__ == "__main__":
    main()
