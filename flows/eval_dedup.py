"""Deduplication quality and cost, measured on the shared corpora (`python -m flows.eval_dedup`).

1. Story clustering: adjusted Rand index against the FNC-1 stories
   (/work/shared/corpora/fnc1_train_stories.jsonl). Stories are split by a hash of their id:
   the same-story threshold is chosen on the 70% "dev" stories and reported on the 30%
   "held-out" stories it never saw.
2. Copies: synthetic corpora built from the FNC-1 bodies with injected copies (exact, a
   sentence dropped, whitespace changed, a boilerplate line appended, quotation marks
   swapped). Recall = injected copies found as exact/near-duplicate of their original;
   false links = copy links between two different originals' families. Links between two
   original bodies are counted separately: the FNC-1 bodies hold real near-copies.
3. Cost: wall time and peak RSS of deduplicate() on each corpus (this process plus its
   text-feature worker processes, sampled together with psutil; see _RssSampler), run
   in a fresh process so one corpus's peak does not hide in another's, with the load average
   of the (shared) machine at the start, and a growth line between the smallest and largest
   corpus (time and memory ratios against the ratio of sizes: linear growth keeps them equal).
   Each stage's seconds and the peak RSS at its end come from flows.dedup.LAST_RUN.

`--scale 100000` adds a corpus of that size (repeatable); `--large` is `--scale 100000`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import resource
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from flows.settings import Settings

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
BODIES = CORPORA / "fnc1_train_bodies.jsonl"
STORIES = CORPORA / "fnc1_train_stories.jsonl"
DEV_SHARE = 0.7
THRESHOLDS = (0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.11, 0.12, 0.13, 0.14, 0.15, 0.16, 0.17, 0.18, 0.19, 0.2, 0.22, 0.25, 0.3)
BOILERPLATE = (
    "Follow us on Twitter for the latest updates.",
    "Copyright 2015 All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
    "Sign up for our newsletter to get the top stories delivered to your inbox every morning.",
)


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def hex_id(name: str) -> str:
    """A doc_id shaped like the pipeline's (a hex hash), stable for a given source id."""
    return hashlib.sha256(name.encode()).hexdigest()[:16]


def as_document(doc_id: str, text: str) -> dict[str, Any]:
    return {"doc_id": doc_id, "text": text, "title": text.split("\n", 1)[0][:200], "published_at": None,
            "n_chars": len(text), "outlet": None}


def is_dev_story(story: str) -> bool:
    """70% of stories, chosen by a hash of the story id: fixed, not by position."""
    return int(hashlib.sha256(story.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < DEV_SHARE


# ---------------------------------------------------------------------------
# Scores
# ---------------------------------------------------------------------------


def _comb2(x: np.ndarray) -> float:
    return float((x * (x - 1) / 2).sum())


def adjusted_rand_index(truth: list[str], pred: list[str]) -> float:
    """Hubert and Arabie's ARI from the contingency table."""
    _, t = np.unique(truth, return_inverse=True)
    _, p = np.unique(pred, return_inverse=True)
    table = np.zeros((t.max() + 1, p.max() + 1), dtype=np.int64)
    np.add.at(table, (t, p), 1)
    index = _comb2(table)
    a, b = _comb2(table.sum(axis=1)), _comb2(table.sum(axis=0))
    expected = a * b / _comb2(np.array([len(truth)]))
    maximum = (a + b) / 2
    return 1.0 if maximum == expected else (index - expected) / (maximum - expected)


# ---------------------------------------------------------------------------
# Story clustering
# ---------------------------------------------------------------------------


def story_ari(bodies: list[dict], story_of: dict[str, str], settings: Settings) -> float:
    from flows.dedup import deduplicate

    docs = [as_document(hex_id(b["id"]), b["text"]) for b in bodies]
    clusters, _ = deduplicate(docs, settings)
    truth = [story_of[b["id"]] for b in bodies]
    pred = [clusters[d["doc_id"]]["story_id"] for d in docs]
    return adjusted_rand_index(truth, pred)


def _tune(dev: list[dict], story_of: dict[str, str], base: Settings, key: str,
          thresholds: tuple[float, ...]) -> tuple[dict[float, float], float]:
    """Dev ARI per threshold of one setting, and the best (ties to the one nearer the default)."""
    grid = {thr: story_ari(dev, story_of, base.model_copy(update={key: thr})) for thr in thresholds}
    default = getattr(base, key)
    return grid, max(grid, key=lambda k: (grid[k], -abs(k - default)))


def evaluate_stories(base: Settings) -> dict[str, Any]:
    """Both clusterings, each tuned on dev alone: exact (every pair compared, what a corpus of
    up to story_exact_max_docs gets) and bounded (the top-k graph of larger corpora), forced
    here by story_exact_max_docs = 0 so that the FNC-1 stories measure it too."""
    bodies = read_jsonl(BODIES)
    story_of = {r["id"]: r["story"] for r in read_jsonl(STORIES)}
    dev = [b for b in bodies if is_dev_story(story_of[b["id"]])]
    held = [b for b in bodies if not is_dev_story(story_of[b["id"]])]
    out: dict[str, Any] = {
        "dev_docs": len(dev), "dev_stories": len({story_of[b["id"]] for b in dev}),
        "held_docs": len(held), "held_stories": len({story_of[b["id"]] for b in held}),
    }
    bounded = base.model_copy(update={"story_exact_max_docs": 0})
    for mode, settings, key in (("exact", base, "same_story_similarity"),
                                ("bounded", bounded, "same_story_similarity_bounded")):
        grid, best = _tune(dev, story_of, settings, key, THRESHOLDS)
        out[mode] = {
            "key": key, "default": getattr(settings, key), "grid": grid, "chosen": best, "dev_ari": grid[best],
            "held_ari": story_ari(held, story_of, settings.model_copy(update={key: best})),
            "held_ari_default": story_ari(held, story_of, settings),
            "all_ari_default": story_ari(bodies, story_of, settings),
        }
    return out


# ---------------------------------------------------------------------------
# Synthetic copies
# ---------------------------------------------------------------------------

_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def drop_sentence(text: str, rng: random.Random) -> str:
    parts = _SENT.split(text)
    if len(parts) < 8:  # dropping one of few sentences is a rewrite, not a copy
        return text
    del parts[rng.randrange(1, len(parts))]
    return " ".join(parts)


def change_whitespace(text: str, rng: random.Random) -> str:
    return re.sub(r"\s+", lambda m: rng.choice([" ", "  ", "\n", " \n ", "\t"]), text)


def append_boilerplate(text: str, rng: random.Random) -> str:
    return text + "\n\n" + rng.choice(BOILERPLATE)


def swap_quotes(text: str, rng: random.Random) -> str:
    out = re.sub(r'"([^"]*)"', "“\\1”", text)
    return out.replace("'", "’")


PERTURBATIONS = {
    "exact": lambda t, r: t,
    "drop-sentence": drop_sentence,
    "whitespace": change_whitespace,
    "boilerplate": append_boilerplate,
    "quotes": swap_quotes,
}


def build_synthetic(n_docs: int, seed: int = 7) -> tuple[list[dict], dict[str, str], dict[str, str]]:
    """Documents, doc_id -> family (original body id), doc_id -> perturbation ('' for originals).

    The 1,683 bodies are the originals. Up to 100k, they are repeated as "variants" whose
    every word is kept but whose sentences are shuffled and a third of them replaced by
    sentences of another random body, so that variants are distinct documents rather than
    copies; the rest of the corpus are injected copies of originals and variants, each with
    one perturbation.
    """
    rng = random.Random(seed)
    bodies = read_jsonl(BODIES)
    docs, family, how = [], {}, {}
    for b in bodies:
        did = hex_id(b["id"])
        docs.append(as_document(did, b["text"]))
        family[did], how[did] = did, ""
    n_copies = max(0, n_docs // 5)
    n_variants = max(0, n_docs - len(docs) - n_copies)
    split = [_SENT.split(b["text"]) for b in bodies]
    # only bodies with enough sentences: a variant of a two-sentence body would be a copy
    # of whichever body lent it a sentence
    long_enough = [i for i, parts in enumerate(split) if len(parts) >= 6]
    for v in range(n_variants):
        i, j = rng.choice(long_enough), rng.randrange(len(bodies))
        mine, other = list(split[i]), split[j]
        rng.shuffle(mine)
        k = max(1, len(mine) // 3)
        mixed = mine[: len(mine) - k] + [rng.choice(other) for _ in range(k)]
        rng.shuffle(mixed)
        did = hex_id(f"variant-{v}")
        docs.append(as_document(did, " ".join(mixed)))
        family[did], how[did] = did, ""
    sources = [d for d in docs]
    kinds = sorted(PERTURBATIONS)
    for c in range(n_docs - len(docs)):
        src = rng.choice(sources)
        kind = kinds[c % len(kinds)]
        text = PERTURBATIONS[kind](src["text"], rng)
        if kind == "drop-sentence" and text == src["text"]:
            kind, text = "boilerplate", append_boilerplate(src["text"], rng)
        did = hex_id(f"copy-{c}")
        docs.append(as_document(did, text))
        family[did], how[did] = family[src["doc_id"]], kind
    return docs, family, how


def evaluate_copies(n_docs: int, settings: Settings) -> dict[str, Any]:
    from flows import dedup

    # deduplicate() imports DuckDB, Arrow, SciPy, rapidfuzz and datasketch where it first
    # needs them (its feature helpers need numpy only); import them here so that the time
    # measured stays that of deduplicate() alone, as before (about 1 s of imports).
    import datasketch.lsh, duckdb, pyarrow, rapidfuzz, scipy.sparse  # noqa: E401, F401

    docs, family, how = build_synthetic(n_docs)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sampler = _RssSampler()
    started = time.perf_counter()
    with sampler:
        clusters, rows = dedup.deduplicate(docs, settings)
    seconds = time.perf_counter() - started
    # ru_maxrss of a process started by fork and exec keeps the parent's peak (make eval's
    # process holds spaCy and the quote evaluation by then): sampled, where psutil allows
    self_peak_mb = sampler.self_mb or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # the target counts the feature workers too: parent + children, sampled together
    peak_mb = max(self_peak_mb, sampler.total_mb)

    def head(did: str) -> str:
        return clusters[did]["duplicate_of"] or did

    injected = [d for d in docs if how[d["doc_id"]]]
    found = sum(head(d["doc_id"]) == head(family[d["doc_id"]]) for d in injected)
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for d in injected:
        k = how[d["doc_id"]]
        per_kind[k][1] += 1
        per_kind[k][0] += head(d["doc_id"]) == head(family[d["doc_id"]])
    copy_rows = [r for r in rows if r["relation"] in ("exact", "near-duplicate")]
    originals = {d for d, f in family.items() if not how[d]}
    among_originals = sum(r["doc_id_a"] in originals and r["doc_id_b"] in originals for r in copy_rows)
    # A link between two families is false unless the two originals are themselves linked
    # (the FNC-1 bodies hold real near-copies; the synthetic variants may too).
    linked_families = {(min(family[r["doc_id_a"]], family[r["doc_id_b"]]), max(family[r["doc_id_a"]], family[r["doc_id_b"]]))
                       for r in copy_rows if r["doc_id_a"] in originals and r["doc_id_b"] in originals}
    cross = [r for r in copy_rows if family[r["doc_id_a"]] != family[r["doc_id_b"]]]
    false = [r for r in cross
             if (min(family[r["doc_id_a"]], family[r["doc_id_b"]]), max(family[r["doc_id_a"]], family[r["doc_id_b"]])) not in linked_families]
    return {
        "docs": len(docs), "injected": len(injected), "recall": found / max(1, len(injected)),
        "per_kind": {k: v[0] / v[1] for k, v in sorted(per_kind.items())},
        "copy_links": len(copy_rows), "links_among_originals": among_originals,
        "false_links": len(false), "false_link_rate": len(false) / max(1, len(copy_rows)),
        "precision": 1 - len(false) / max(1, len(copy_rows)),
        "relations": {rel: sum(r["relation"] == rel for r in rows) for rel in ("exact", "near-duplicate", "rewrite", "same-story")},
        "seconds": seconds, "peak_rss_mb": peak_mb, "self_peak_rss_mb": self_peak_mb,
        "worker_peak_rss_mb": sampler.child_mb, "rss_before_mb": rss_before / 1024,
        "features": dict(dedup.LAST_FEATURES),
        "load_average": os.getloadavg()[0],
        "stages": dict(dedup.LAST_RUN),
    }


class _RssSampler:
    """Peak of (this process's RSS + its children's), sampled every 20 ms in a thread.

    getrusage cannot give it: RUSAGE_CHILDREN is the largest single child, and a spawned
    worker's ru_maxrss includes the parent's pages it shares between fork and exec (it read
    ~536 MB, the corpus, for workers whose sampled RSS never passed ~230 MB). Without psutil,
    only this process's ru_maxrss is reported.
    """

    def __init__(self, interval: float = 0.02) -> None:
        self.interval, self.total_mb, self.child_mb, self.self_mb = interval, 0.0, 0.0, 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            try:
                kids = [c.memory_info().rss for c in me.children(recursive=True)]
                total = me.memory_info().rss + sum(kids)
            except psutil.Error:  # a worker exited between listing and reading: skip this sample
                pass
            else:
                self.total_mb = max(self.total_mb, total / 2**20)
                self.self_mb = max(self.self_mb, (total - sum(kids)) / 2**20)
                self.child_mb = max([self.child_mb] + [k / 2**20 for k in kids])
            # wait even after an error: a persistent one would otherwise spin a core that the
            # measured run needs
            self._stop.wait(self.interval)

    def __enter__(self) -> "_RssSampler":
        try:
            import psutil  # noqa: F401
        except ImportError:
            return self
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


def _copies_in_fresh_process(n_docs: int) -> dict[str, Any]:
    code = f"import json; from flows.eval_dedup import evaluate_copies; from flows.settings import Settings; print(json.dumps(evaluate_copies({n_docs}, Settings())))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="also build and measure the 100k corpus")
    parser.add_argument("--scale", type=int, action="append", default=[], metavar="N",
                        help="also build and measure a synthetic corpus of N documents (repeatable)")
    parser.add_argument("--skip-stories", action="store_true")
    args = parser.parse_args(argv)
    settings = Settings()

    if not args.skip_stories:
        st = evaluate_stories(settings)
        print("Story clustering (FNC-1 train bodies, ARI)")
        print(f"  dev: {st['dev_docs']} docs / {st['dev_stories']} stories; held-out: {st['held_docs']} docs / {st['held_stories']} stories")
        for mode in ("exact", "bounded"):
            m = st[mode]
            print(f"  {mode} average link ({m['key']}; exact up to story_exact_max_docs = {settings.story_exact_max_docs})")
            print("    threshold  dev ARI")
            for thr, ari in m["grid"].items():
                mark = "  <- chosen" if thr == m["chosen"] else ""
                print(f"    {thr:9.2f}  {ari:.3f}{mark}")
            print(f"    held-out ARI at chosen {m['chosen']:.2f}: {m['held_ari']:.3f}")
            print(f"    held-out ARI at settings default {m['default']:.2f}: {m['held_ari_default']:.3f}")
            print(f"    all 1,683 bodies at default: {m['all_ari_default']:.3f}")

    sizes = sorted({10_000, *args.scale, *([100_000] if args.large else [])})
    print("\nSynthetic copies (1,683 FNC-1 bodies + shuffled/mixed variants + 20% injected copies)")
    print(f"  {'docs':>7} {'injected':>8} {'recall':>7} {'precision':>9} {'false':>6} {'orig-links':>10} {'seconds':>8} {'peak MB':>8} {'load':>5}"
          "   (peak MB: this process + feature workers)")
    results = []
    for n in sizes:
        load = os.getloadavg()[0]
        r = _copies_in_fresh_process(n)
        results.append(r)
        print(f"  {r['docs']:>7} {r['injected']:>8} {r['recall']:>7.3f} {r['precision']:>9.4f} {r['false_links']:>6} "
              f"{r['links_among_originals']:>10} {r['seconds']:>8.1f} {r['peak_rss_mb']:>8.0f} {load:>5.2f}")
        f = r.get("features", {})
        print(f"          memory: this process {r['self_peak_rss_mb']:.0f} MB, largest worker {r['worker_peak_rss_mb']:.0f} MB; "
              f"features: {f.get('chunks')} chunks, {f.get('workers')} worker(s) ({f.get('executor')}); load after {r['load_average']:.2f}")
        print(f"          recall by perturbation: " + ", ".join(f"{k} {v:.3f}" for k, v in r["per_kind"].items()))
        print(f"          rows by relation: " + ", ".join(f"{k} {v}" for k, v in r["relations"].items()))
        print(f"          seconds (peak MB) by stage: " + ", ".join(f"{k} {sec:.1f} ({mb:.0f})" for k, (sec, mb) in r["stages"].items()))
    if len(results) > 1:
        lo, hi = results[0], results[-1]
        size = hi["docs"] / lo["docs"]
        print(f"  growth {lo['docs']} -> {hi['docs']} (x{size:.0f} documents): time x{hi['seconds'] / lo['seconds']:.1f}, "
              f"peak memory x{hi['peak_rss_mb'] / lo['peak_rss_mb']:.1f} (linear: x{size:.0f}); "
              f"targets at 100k: <= 60 s, <= 2048 MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
