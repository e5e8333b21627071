"""Quote extraction quality: PolNeAR attributions and the hand-checked seed gold.

``python -m flows.eval_quotes [--split dev|heldout|all] [--limit N] [--offset N] [--seeds clean|raw|none]``

Splits of the 840 PolNeAR articles (file order): ``dev`` is the first 600 (rules
were studied on them), ``heldout`` the last 240 (only checked, never tuned on),
``all`` both; with ``all`` the dev and held-out figures are printed from the same
run. ``--limit``/``--offset`` select a sub-range of the split, for quick runs.

Matching rule (PolNeAR's convention): a predicted and a gold span match when
each covers at least 50% of the other's letters and digits.

Direct quotes: predicted rows of kind ``direct`` against gold quotes of kind
``direct``. The corpus derives its kinds from double quotation marks only; 116
New York Times articles write a double mark as two apostrophes (''like this''),
so their quotes are all labelled indirect. The gold kind of those articles is
re-derived with the corpus's own rule (at least 90% of the letters inside double
marks, starting and ending inside them: direct; some: mixed), counting '' as a
double mark; this rule reproduces the corpus's labels on the other articles for
99.8% of quotes. The figure on the labels as shipped is printed too.

Speaker head: the spaCy syntactic root of the speaker span (``Span.root``),
for both predicted and gold spans, in the same parse of the article; compared
case-insensitively. A gold speaker that cannot be aligned to tokens falls back
to its last word.

All-attributions F1: every gold attribution (direct, mixed, indirect) against
every predicted row, except predicted partial quotes lying inside a predicted
indirect row (the same attribution, counted once).

Seed gold: the five seed articles as the pipeline sees them, i.e. the ``text``
of ``flows.documents.build_documents`` (ingest and cleaning), matched to the
hand-checked gold by text (``--seeds raw`` reads the files without cleaning).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from spacy.language import Language
from spacy.tokens import Doc

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "corpora" / "polnear_train_quotes.jsonl"
SEED_GOLD = ROOT / "tests" / "gold" / "seed_quotes.jsonl"
SEEDS = ROOT / "seeds"
_ALNUM = re.compile(r"\w", re.UNICODE)
# Splits of the corpus's 840 articles in file order: name -> (offset, count).
DEV_SIZE = 600
SPLITS = {"dev": (0, DEV_SIZE), "heldout": (DEV_SIZE, 840 - DEV_SIZE), "all": (0, 840)}

# Published figures on PolNeAR for comparison (all attributions unless said otherwise).
ANCHORS = [
    ("textacy direct_quotations", "direct F1 0.51 (0.63 per paragraph)"),
    ("Gender Gap Tracker rules", "direct F1 0.66, speaker 0.77"),
    ("BBC Citron", "direct F1 0.56; all attributions P 0.76 R 0.34"),
]


def build_nlp() -> Language:
    """The project pipeline; built by hand when another module (claims) is broken or absent."""
    try:
        from flows.nlp import load_nlp

        return load_nlp("auto")
    except Exception:  # claims is another engineer's module and may not import yet
        import spacy

        import flows.entities  # noqa: F401
        import flows.quotes  # noqa: F401
        from flows.nlp import resolve_model_name

        nlp = spacy.load(resolve_model_name("auto"))
        nlp.add_pipe("counterclaim_paragraphs", before="parser")
        nlp.add_pipe("counterclaim_entities")
        nlp.add_pipe("counterclaim_quotes")
        return nlp


def _positions(text: str, s: int, e: int) -> set[int]:
    return {i for i in range(s, e) if _ALNUM.match(text[i])}


def spans_match(text: str, a: tuple[int, int], b: tuple[int, int]) -> bool:
    pa, pb = _positions(text, *a), _positions(text, *b)
    if not pa or not pb:
        return False
    inter = len(pa & pb)
    return inter * 2 >= len(pa) and inter * 2 >= len(pb)


def _greedy_match(text: str, preds: list[tuple[int, int]], golds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one pairs (pred index, gold index), best overlap first."""
    cands = []
    for i, p in enumerate(preds):
        pp = _positions(text, *p)
        for j, g in enumerate(golds):
            if p[0] < g[1] and g[0] < p[1] and spans_match(text, p, g):
                cands.append((-len(pp & _positions(text, *g)), i, j))
    cands.sort()
    used_p, used_g, pairs = set(), set(), []
    for _, i, j in cands:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def _head(doc: Doc, s: int | None, e: int | None, text: str | None) -> str | None:
    if s is None or e is None:
        return None
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None or len(span) == 0:
        words = re.findall(r"\w+", text or "")
        return words[-1].lower() if words else None
    return span.root.text.lower()


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": n_pred, "gold": n_gold}


def _countable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    indirect = [(r["start_char"], r["end_char"]) for r in rows if r["kind"] == "indirect"]
    return [r for r in rows if not (r["kind"] == "partial" and any(s <= r["start_char"] and r["end_char"] <= e for s, e in indirect))]


def load_polnear(path: str | Path = POLNEAR, offset: int = 0, limit: int | None = None) -> list[dict[str, Any]]:
    articles = []
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i < offset:
                continue
            if limit is not None and len(articles) >= limit:
                break
            articles.append(json.loads(line))
    return articles


def evaluate_polnear(path: str | Path = POLNEAR, limit: int | None = None, nlp: Language | None = None,
                     offset: int = 0, by_split: bool = False) -> dict[str, Any]:
    """Scores articles ``offset`` .. ``offset + limit`` (file order). With ``by_split``,
    the result also holds the scores of its dev (index < 600) and held-out parts."""
    nlp = nlp or build_nlp()
    articles = load_polnear(path, offset, limit)
    started = time.perf_counter()
    disable = [n for n in nlp.pipe_names if n == "counterclaim_claims"]
    docs = list(nlp.pipe([a["text"] for a in articles], batch_size=16, disable=disable))
    seconds = round(time.perf_counter() - started, 1)
    res = score_polnear(articles, docs)
    res["seconds"] = seconds
    if by_split:
        n_dev = max(0, min(len(articles), DEV_SIZE - offset))
        parts = {"dev": (articles[:n_dev], docs[:n_dev]), "heldout": (articles[n_dev:], docs[n_dev:])}
        res["splits"] = {k: score_polnear(a, d) for k, (a, d) in parts.items() if a}
    return res


def _double_quoted(text: str) -> list[bool]:
    """Per character, whether it lies inside double quotation marks (straight, curly,
    or two apostrophes), pairing marks in order within each paragraph; a mark left
    open runs to the paragraph's end."""
    from flows.quotes import _ascii_doubles

    t = _ascii_doubles(text)
    inside = [False] * len(t)
    pos = 0
    for line in t.split("\n"):
        opened = None
        for i, ch in enumerate(line):
            if ch in '"“”':
                if opened is None:
                    opened = i
                else:
                    inside[pos + opened + 1:pos + i] = [True] * (i - opened - 1)
                    opened = None
        if opened is not None:
            inside[pos + opened + 1:pos + len(line)] = [True] * (len(line) - opened - 1)
        pos += len(line) + 1
    return inside


def gold_kind(text: str, quote: dict[str, Any], inside: list[bool] | None) -> str:
    """The corpus's kind, re-derived with its own rule where the article writes double
    marks as two apostrophes (``inside`` given); otherwise the kind as shipped."""
    if inside is None:
        return quote["kind"]
    pos = [i for s, e in quote["fragments"] for i in range(s, e) if _ALNUM.match(text[i])]
    if not pos:
        return quote["kind"]
    share = sum(inside[i] for i in pos) / len(pos)
    if share == 0:
        return "indirect"
    if share >= 0.9 and inside[pos[0]] and inside[pos[-1]]:
        return "direct"
    return "mixed"


def _pred_spans(rows: list[dict[str, Any]]) -> list[tuple[int, int]]:
    return [(r["start_char"], r["end_char"]) for r in rows]


def _gold_spans(quotes: list[dict[str, Any]]) -> list[tuple[int, int]]:
    return [(q["start"], q["end"]) for q in quotes]


def _head_agreement(doc: Doc, pairs: list[tuple[int, int]], preds: list[dict[str, Any]],
                    golds: list[dict[str, Any]]) -> tuple[int, int]:
    """(equal, compared) speaker heads over matched (pred index, gold index) pairs;
    a pair whose gold speaker has no head is not compared."""
    ok = n = 0
    for i, j in pairs:
        g = golds[j]
        gh = _head(doc, g.get("speaker_start"), g.get("speaker_end"), g.get("speaker"))
        if gh is None:
            continue
        n += 1
        ok += int(_head(doc, preds[i]["speaker_start"], preds[i]["speaker_end"], preds[i]["speaker"]) == gh)
    return ok, n


def score_polnear(articles: list[dict[str, Any]], parsed: Iterable[Doc]) -> dict[str, Any]:
    """Scores each doc's ``cc_quotes`` against its article's PolNeAR gold."""
    d_tp = d_pred = d_gold = 0
    shipped_tp = shipped_gold = 0  # direct quotes on the kinds as shipped
    a_tp = a_pred = a_gold = 0
    head_ok = head_n = 0
    all_head_ok = all_head_n = 0  # speaker head over every matched attribution
    pred_kinds: Counter[str] = Counter()
    gold_kinds: Counter[str] = Counter()
    found_kinds: Counter[str] = Counter()
    for art, doc in zip(articles, parsed):
        text = art["text"]
        rows = doc._.cc_quotes or []
        inside = _double_quoted(text) if "''" in text else None
        gold = [dict(q, kind=gold_kind(text, q, inside)) for q in art["quotes"]]
        pred_kinds.update(r["kind"] for r in rows)
        gold_kinds.update(q["kind"] for q in gold)
        pd = [r for r in rows if r["kind"] == "direct"]
        shipped = [q for q in art["quotes"] if q["kind"] == "direct"]
        shipped_tp += len(_greedy_match(text, _pred_spans(pd), _gold_spans(shipped)))
        shipped_gold += len(shipped)
        gd = [q for q in gold if q["kind"] == "direct"]
        pairs = _greedy_match(text, _pred_spans(pd), _gold_spans(gd))
        d_tp += len(pairs)
        d_pred += len(pd)
        d_gold += len(gd)
        ok, n = _head_agreement(doc, pairs, pd, gd)
        head_ok, head_n = head_ok + ok, head_n + n
        pa = _countable(rows)
        pairs_all = _greedy_match(text, _pred_spans(pa), _gold_spans(gold))
        a_tp += len(pairs_all)
        ok, n = _head_agreement(doc, pairs_all, pa, gold)
        all_head_ok, all_head_n = all_head_ok + ok, all_head_n + n
        a_pred += len(pa)
        a_gold += len(gold)
        found_kinds.update(gold[j]["kind"] for _, j in pairs_all)
    return {
        "articles": len(articles),
        "direct": _prf(d_tp, d_pred, d_gold),
        "direct_as_shipped": _prf(shipped_tp, d_pred, shipped_gold),
        "speaker_head_accuracy": round(head_ok / head_n, 4) if head_n else 0.0,
        "speaker_head_n": head_n,
        "all_attributions": _prf(a_tp, a_pred, a_gold),
        "speaker_head_all": round(all_head_ok / all_head_n, 4) if all_head_n else 0.0,
        "speaker_head_all_n": all_head_n,
        "recall_by_gold_kind": {k: round(found_kinds[k] / n, 4) for k, n in sorted(gold_kinds.items())},
        "pred_kinds": dict(pred_kinds),
        "gold_kinds": dict(gold_kinds),
    }


def seed_docs(folder: Path = SEEDS, raw: bool = False) -> list[dict[str, str]]:
    """Seed articles as the pipeline sees them: ``source`` and ``text`` of the documents
    that ``flows.documents.build_documents`` makes (ingest and cleaning). With ``raw``,
    the files themselves: non-empty lines joined by blank lines."""
    if not raw:
        from flows.documents import build_documents

        built = build_documents(Path(folder), 50_000_000, 1_000_000)
        return [{"source": d["source"], "text": d["text"]} for d in built.documents]
    docs = []
    for f in sorted(Path(folder).glob("*.txt")):
        lines = [ln.strip() for ln in f.read_text(encoding="utf-8").splitlines()]
        docs.append({"source": f.name, "text": "\n\n".join(ln for ln in lines if ln)})
    return docs


def _norm_letters(s: str) -> str:
    return "".join(_ALNUM.findall(s.lower()))


def _text_overlap(a: str, b: str) -> bool:
    """Offset-free match: one's letters contain at least half of the other's, both ways
    (approximated by containment of the shorter in the longer, or a shared long run)."""
    na, nb = _norm_letters(a), _norm_letters(b)
    if not na or not nb:
        return False
    short, long_ = (na, nb) if len(na) <= len(nb) else (nb, na)
    if short in long_:
        return len(short) * 2 >= len(long_)
    from rapidfuzz.distance import LCSseq

    common = LCSseq.similarity(na, nb)
    return common * 2 >= len(na) and common * 2 >= len(nb)


def seed_predictions(docs: list[dict[str, str]], nlp: Language) -> dict[str, list[dict[str, Any]]]:
    """The quote rows of each seed document, by source."""
    return {d["source"]: list(doc._.cc_quotes or []) for d, doc in zip(docs, nlp.pipe([d["text"] for d in docs]))}


def match_seed_gold(docs: list[dict[str, str]], gold: list[dict[str, Any]], nlp: Language,
                    by_source: dict[str, list[dict[str, Any]]] | None = None) -> list[dict[str, Any]]:
    """For each gold quote, the predicted row it matches (or None), one-to-one per source."""
    if by_source is None:
        by_source = seed_predictions(docs, nlp)
    used: set[tuple[str, int]] = set()
    out = []
    for g in gold:
        preds = by_source.get(g["source"], [])
        best = None
        for i, p in enumerate(preds):
            if (g["source"], i) in used or not _text_overlap(p["text"], g["text"]):
                continue
            # Prefer a row of a compatible kind, then one with the right speaker.
            score = (int((p["kind"] == "indirect") == (g["kind"] == "indirect")), int(p["speaker_canonical"] == g["speaker_canonical"]))
            if best is None or score > best[0]:
                best = (score, i)
        if best is not None:
            used.add((g["source"], best[1]))
            out.append({"gold": g, "pred": preds[best[1]]})
        else:
            out.append({"gold": g, "pred": None})
    return out


def _seed_prf(by_source: dict[str, list[dict[str, Any]]], gold: list[dict[str, Any]], kinds: set[str]) -> dict[str, float]:
    """P/R/F1 of the predicted rows of ``kinds`` against ``gold``: one-to-one text
    matches per source, gold in file order, each taking the first free row. Every
    predicted row counts here (the seed gold lists partial quotes apart from the
    indirect quotes around them)."""
    tp = n_pred = 0
    used: set[tuple[str, int]] = set()
    for source, rows in by_source.items():
        n_pred += sum(r["kind"] in kinds for r in rows)
    for g in gold:
        rows = by_source.get(g["source"], [])
        hit = next((i for i, r in enumerate(rows) if r["kind"] in kinds and (g["source"], i) not in used
                    and _text_overlap(r["text"], g["text"])), None)
        if hit is not None:
            used.add((g["source"], hit))
            tp += 1
    return _prf(tp, n_pred, len(gold))


def table_predictions(seed_dir: Path = SEEDS) -> tuple[list[dict[str, str]], dict[str, list[dict[str, Any]]]]:
    """The seeds through the whole pipeline (plain stages, a temporary folder): the
    documents and the rows of the published quotes table, by source, so that speakers
    are scored after cross-article resolution, as users see them."""
    import tempfile

    from flows import stages
    from flows.settings import Settings
    from flows.storage import read_rows

    with tempfile.TemporaryDirectory(prefix="cc-eval-") as tmp:
        settings = Settings(input_dir=seed_dir, data_dir=Path(tmp) / "data")
        stages.run_all(settings)
        documents = read_rows(settings.tables_dir, "documents")
        quotes = read_rows(settings.tables_dir, "quotes")
    source_of = {d["doc_id"]: d["source"] for d in documents}
    by_source: dict[str, list[dict[str, Any]]] = {d["source"]: [] for d in documents}
    for q in sorted(quotes, key=lambda q: (q["doc_id"], q["start_char"])):
        by_source[source_of[q["doc_id"]]].append(q)
    docs = [{"source": d["source"], "text": d["text"]} for d in sorted(documents, key=lambda d: d["source"])]
    return docs, by_source


def evaluate_seed_gold(docs: list[dict[str, str]], gold_path: str | Path = SEED_GOLD, nlp: Language | None = None,
                       by_source: dict[str, list[dict[str, Any]]] | None = None) -> dict[str, Any]:
    nlp = nlp or (build_nlp() if by_source is None else None)
    gold = [json.loads(ln) for ln in Path(gold_path).read_text(encoding="utf-8").splitlines() if ln.strip()]
    # Gold quotes in lines that cleaning removed (a repeated headline, a caption) are
    # no longer in the document: reported apart, not counted as misses.
    texts = {d["source"]: d["text"] for d in docs}
    seen: Counter[tuple[str, str]] = Counter()
    kept, removed = [], []
    for g in gold:
        key = (g["source"], g["text"])
        seen[key] += 1
        (kept if texts.get(g["source"], "").count(g["text"]) >= seen[key] else removed).append(g)
    gold = kept
    if by_source is None:
        by_source = seed_predictions(docs, nlp)
    matches = match_seed_gold(docs, gold, nlp, by_source)
    res: dict[str, Any] = {"not_in_documents": [{"source": g["source"], "text": g["text"][:70]} for g in removed],
                           "by_source_names": [d["source"] for d in docs]}
    # The PolNeAR figures on the seeds, with spans matched by text (the gold has no offsets).
    res["direct"] = _seed_prf(by_source, [g for g in gold if g["kind"] == "direct"], {"direct"})
    res["all_attributions"] = _seed_prf(by_source, gold, {"direct", "partial", "indirect"})
    dp = [m for m in matches if m["gold"]["kind"] in ("direct", "partial") and m["pred"] is not None]
    res["speaker_accuracy"] = round(sum(m["pred"]["speaker_canonical"] == m["gold"]["speaker_canonical"]
                                        for m in dp) / len(dp), 4) if dp else 0.0
    for group, kinds in (("direct+partial", {"direct", "partial"}), ("indirect", {"indirect"})):
        ms = [m for m in matches if m["gold"]["kind"] in kinds]
        found = [m for m in ms if m["pred"] is not None]
        right = [m for m in found if m["pred"]["speaker_canonical"] == m["gold"]["speaker_canonical"]]
        kind_ok = [m for m in found if m["pred"]["kind"] == m["gold"]["kind"]]
        res[group] = {"gold": len(ms), "found": len(found), "speaker_right": len(right), "kind_right": len(kind_ok)}
    res["misses"] = [
        {"source": m["gold"]["source"], "text": m["gold"]["text"][:70], "want": m["gold"]["speaker_canonical"],
         "got": None if m["pred"] is None else m["pred"]["speaker_canonical"]}
        for m in matches if m["pred"] is None or m["pred"]["speaker_canonical"] != m["gold"]["speaker_canonical"]
    ]
    return res


def _line(name: str, r: dict[str, Any]) -> str:
    d, a = r["direct"], r["all_attributions"]
    ds = r["direct_as_shipped"]
    rk = r["recall_by_gold_kind"]
    return (f"  {name:<9} {r['articles']:>4}  {d['precision']:.3f} {d['recall']:.3f} {d['f1']:.3f}  ({ds['f1']:.3f})"
            f"  {r['speaker_head_accuracy']:.3f}   {a['precision']:.3f} {a['recall']:.3f} {a['f1']:.3f}"
            f"   {rk.get('direct', 0):.2f}/{rk.get('mixed', 0):.2f}/{rk.get('indirect', 0):.2f}"
            f"       {r.get('speaker_head_all', 0):.3f}")


def print_polnear(r: dict[str, Any], label: str) -> None:
    print(f"\nPolNeAR, {r['articles']} articles, {r['seconds']} s (parse + extraction)")
    print("  split     arts  direct P     R     F1  (as shipped)  speaker  all P     R     F1    "
          "recall by gold kind d/m/i  speaker (all matched)")
    print(_line(label, r))
    for k, sub in (r.get("splits") or {}).items():
        print(_line(k, sub))
    print(f"  predicted kinds {r['pred_kinds']}  gold kinds {r['gold_kinds']}")
    print("  anchors (published, PolNeAR): " + "; ".join(f"{n}: {v}" for n, v in ANCHORS))
    print("  targets: direct F1 >= 0.85, speaker head >= 0.90, all-attribution F1 >= 0.60")


def print_seeds(s: dict[str, Any], how: str) -> None:
    d, a = s["direct"], s["all_attributions"]
    print(f"seed gold ({how}), {len(s['by_source_names'])} articles")
    print(f"  direct P/R/F1 {d['precision']:.3f} {d['recall']:.3f} {d['f1']:.3f} ({d['tp']}/{d['pred']} pred, "
          f"{d['gold']} gold)   speaker (canonical, found direct+partial) {s['speaker_accuracy']:.3f}   "
          f"all-attribution P/R/F1 {a['precision']:.3f} {a['recall']:.3f} {a['f1']:.3f} ({a['tp']}/{a['pred']} pred, "
          f"{a['gold']} gold)")
    print("  group             gold  found  speaker_right  kind_right")
    for g in ("direct+partial", "indirect"):
        r = s[g]
        print(f"  {g:<16} {r['gold']:>4} {r['found']:>6} {r['speaker_right']:>14} {r['kind_right']:>11}")
    for m in s["misses"]:
        print(f"  miss: {m['source']} {m['text']!r} want={m['want']} got={m['got']}")
    for g in s["not_in_documents"]:
        print(f"  not in the document (removed by cleaning): {g['source']} {g['text']!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=sorted(SPLITS), default="dev",
                    help="dev: first 600 articles, heldout: last 240, all: 840 (default dev)")
    ap.add_argument("--limit", type=int, default=None, help="score only this many articles of the split")
    ap.add_argument("--offset", type=int, default=0, help="skip this many articles of the split first")
    ap.add_argument("--seeds", choices=("clean", "raw", "none"), default="clean",
                    help="seed gold on the cleaned documents (default), the raw files, or not at all")
    args = ap.parse_args(argv)
    nlp = build_nlp()
    if SEED_GOLD.exists() and args.seeds != "none":
        print_seeds(evaluate_seed_gold(seed_docs(raw=args.seeds == "raw"), SEED_GOLD, nlp),
                    "raw files" if args.seeds == "raw" else "cleaned documents, each article alone")
        if args.seeds == "clean":
            docs, by_source = table_predictions()
            print_seeds(evaluate_seed_gold(docs, SEED_GOLD, by_source=by_source),
                        "the quotes table of a whole run, speakers resolved across articles")
    if POLNEAR.exists():
        start, size = SPLITS[args.split]
        offset = start + args.offset
        limit = max(0, size - args.offset) if args.limit is None else min(args.limit, max(0, size - args.offset))
        r = evaluate_polnear(POLNEAR, limit, nlp, offset=offset, by_split=args.split == "all")
        label = args.split if args.limit is None and args.offset == 0 else f"{offset}+{r['articles']}"
        print_polnear(r, label)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
