"""`make bench`: end-to-end throughput against raw spaCy, measured side by side.

For each corpus size, the same texts go through (1) raw ``nlp.pipe`` with the
same model and process count, (2) the whole pipeline from a fresh data folder,
and (3) raw ``nlp.pipe`` again; the raw time is the mean of (1) and (3). The
ratio of their token rates is the figure that matters: 1.0 means everything
around spaCy is free.

Corpora are built from ../shared/corpora/fnc1_train_bodies.jsonl: scale 1 is
the bodies as they are; scale k adds k-1 rounds of new articles, each made by
joining the first half of one body to the second half of another (distinct
texts, so deduplication does not hide the NLP cost).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "fnc1_train_bodies.jsonl"
RESULTS = ROOT / "bench-results" / "bench.json"


def load_bodies(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def scaled_corpus(bodies: list[dict[str, str]], scale: int, seed: int = 13) -> list[dict[str, str]]:
    out = list(bodies)
    rng = random.Random(seed)
    for round_no in range(1, scale):
        partners = list(range(len(bodies)))
        rng.shuffle(partners)
        for i, j in enumerate(partners):
            a = bodies[i]["text"].split("\n")
            b = bodies[j]["text"].split("\n")
            text = "\n".join(a[: max(1, len(a) // 2)] + b[len(b) // 2:])
            out.append({"id": f"{bodies[i]['id']}+{bodies[j]['id']}#{round_no}", "text": text})
    return out


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def raw_spacy(texts: list[str], model: str, n_process: int, batch_size: int) -> dict[str, Any]:
    """Raw nlp.pipe in a child process, so its memory and model load are its own."""
    code = (
        "import json,os,sys,time,spacy,resource\n"
        "texts=json.load(sys.stdin)\n"
        f"nlp=spacy.load({model!r})\n"
        "def cpu():\n"
        "    t=os.times(); return t.user+t.system+t.children_user+t.children_system\n"
        "t=time.perf_counter(); c=cpu()\n"
        f"n=sum(len(d) for d in nlp.pipe(texts, batch_size={batch_size}, n_process={n_process}))\n"
        "s=time.perf_counter()-t; c=cpu()-c\n"
        "print(json.dumps({'tokens':n,'seconds':s,'cpu_seconds':c,"
        "'peak_rss_mb':resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], input=json.dumps(texts), capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def pipeline_run(corpus: list[dict[str, str]], n_process: int) -> dict[str, Any]:
    """The whole pipeline, stage by stage, in a child process with fresh folders."""
    with tempfile.TemporaryDirectory(prefix="cc-bench-") as tmp:
        input_dir = Path(tmp) / "input"
        input_dir.mkdir()
        with open(input_dir / "corpus.jsonl", "w", encoding="utf-8") as fh:
            for rec in corpus:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        code = (
            "import json,os,time,resource\n"
            "from flows import stages\n"
            "def cpu():\n"
            "    t=os.times(); return t.user+t.system+t.children_user+t.children_system\n"
            "from flows.settings import Settings\n"
            f"s=Settings(input_dir={str(input_dir)!r}, data_dir={str(Path(tmp) / 'data')!r}, n_process={n_process})\n"
            "t0=time.perf_counter(); c0=cpu(); times={}\n"
            "with stages.data_lock(s.data_dir):\n"
            "    stages.reset_staging(s)\n"
            "    t=time.perf_counter(); stages.prepare(s); times['prepare']=time.perf_counter()-t\n"
            "    t=time.perf_counter(); stages.deduplicate(s); times['deduplicate']=time.perf_counter()-t\n"
            "    t=time.perf_counter(); tok=0; ids=stages.canonical_doc_ids(s)\n"
            "    for b in stages.batches(ids, s.docs_per_task): tok+=stages.extract(s,b)['tokens']\n"
            "    times['extract']=time.perf_counter()-t\n"
            "    t=time.perf_counter(); stages.assemble(s); times['assemble']=time.perf_counter()-t\n"
            "    t=time.perf_counter(); refs=stages.commit(s); times['commit']=time.perf_counter()-t\n"
            "print(json.dumps({'seconds':time.perf_counter()-t0,'cpu_seconds':cpu()-c0,'stages':times,'nlp_docs':len(ids),'tokens':tok,"
            "'rows':{k:v['rows'] for k,v in refs.items()},"
            "'peak_rss_mb':max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
            "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)/1024}))\n"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-3000:])
        return json.loads(out.stdout.strip().splitlines()[-1])


def print_table(results: list[dict[str, Any]]) -> None:
    """One row per corpus size, then how time and memory grew from the smallest to the largest."""
    stages = list(results[0]["stages"]) if results else []
    head = ["scale", "docs", "tokens", "raw s", "pipeline s", "ratio", "raw cpu s", "pipeline cpu s", "cpu ratio",
            *[f"{s} s" for s in stages],
            "raw MB", "pipeline MB"]
    rows = [[str(r["scale"]), str(r["documents"]), str(r["tokens"]), f"{r['raw_seconds']:.1f}",
             f"{r['pipeline_seconds']:.1f}", f"{r['ratio']:.3f}", f"{r['raw_cpu_seconds']:.1f}",
             f"{r['pipeline_cpu_seconds']:.1f}", f"{r['cpu_ratio']:.3f}", *[f"{r['stages'][s]:.1f}" for s in stages],
             str(r["raw_peak_rss_mb"]), str(r["pipeline_peak_rss_mb"])] for r in results]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    for line in [head, *rows]:
        print("  ".join(cell.rjust(w) for cell, w in zip(line, widths)))
    if len(results) > 1:
        a, b = results[0], results[-1]
        print(f"growth {a['scale']}x -> {b['scale']}x: tokens x{b['tokens'] / a['tokens']:.2f}, "
              f"pipeline time x{b['pipeline_seconds'] / a['pipeline_seconds']:.2f}, "
              f"peak memory x{b['pipeline_peak_rss_mb'] / a['pipeline_peak_rss_mb']:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--scales", default=os.environ.get("BENCH_SCALES", "1"), help="comma-separated, e.g. 1,4")
    parser.add_argument("--n-process", type=int, default=int(os.environ.get("BENCH_N_PROCESS", "1")))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    from flows.nlp import resolve_model_name

    model = resolve_model_name("auto")
    bodies = load_bodies(args.corpus)
    results = []
    for scale in [int(s) for s in args.scales.split(",") if s.strip()]:
        corpus = scaled_corpus(bodies, scale)
        texts = [r["text"] for r in corpus]
        # Raw spaCy before and after the pipeline, averaged: this machine's speed drifts by a
        # quarter within minutes (CPU time too), and the sandwich cancels a steady drift.
        before = raw_spacy(texts, model, args.n_process, 32)
        pipe = pipeline_run(corpus, args.n_process)
        after = raw_spacy(texts, model, args.n_process, 32)
        raw = {"tokens": before["tokens"], "seconds": (before["seconds"] + after["seconds"]) / 2,
               "cpu_seconds": (before["cpu_seconds"] + after["cpu_seconds"]) / 2,
               "peak_rss_mb": max(before["peak_rss_mb"], after["peak_rss_mb"])}
        raw_rate = raw["tokens"] / raw["seconds"]
        # End to end: every stage, over the tokens spaCy saw in the raw run.
        pipe_rate = raw["tokens"] / pipe["seconds"]
        results.append({
            "scale": scale, "documents": len(corpus), "tokens": raw["tokens"],
            "raw_seconds": round(raw["seconds"], 2), "raw_tokens_per_s": round(raw_rate),
            "raw_seconds_before_after": [round(before["seconds"], 2), round(after["seconds"], 2)],
            "pipeline_seconds": round(pipe["seconds"], 2), "pipeline_tokens_per_s": round(pipe_rate),
            "ratio": round(pipe_rate / raw_rate, 3),
            # CPU seconds (this process and its children) barely move with other work on a shared
            # machine, where wall time does: the fairer ratio when the load is not steady.
            "raw_cpu_seconds": round(raw["cpu_seconds"], 2), "pipeline_cpu_seconds": round(pipe["cpu_seconds"], 2),
            "cpu_ratio": round(raw["cpu_seconds"] / pipe["cpu_seconds"], 3),
            "stages": {k: round(v, 2) for k, v in pipe["stages"].items()},
            "nlp_docs": pipe["nlp_docs"], "rows": pipe["rows"],
            "raw_peak_rss_mb": round(raw["peak_rss_mb"]), "pipeline_peak_rss_mb": round(pipe["peak_rss_mb"]),
        })
        r = results[-1]
        print(f"scale {scale} (load {os.getloadavg()[0]:.2f}): {r['documents']} docs, {r['tokens']} tokens | raw spaCy {r['raw_seconds']} s "
              f"({r['raw_tokens_per_s']} tok/s; before {r['raw_seconds_before_after'][0]} s, after "
              f"{r['raw_seconds_before_after'][1]} s) | pipeline {r['pipeline_seconds']} s ({r['pipeline_tokens_per_s']} tok/s) "
              f"| ratio {r['ratio']} (cpu {r['cpu_ratio']}) | stages {r['stages']} | peak RSS raw {r['raw_peak_rss_mb']} MB, "
              f"pipeline {r['pipeline_peak_rss_mb']} MB", flush=True)
    print_table(results)
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
               "model": model, "n_process": args.n_process, "load_average_at_end": os.getloadavg()[0]}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": machine, "results": results}, indent=1) + "\n", encoding="utf-8")
    print(f"results written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
