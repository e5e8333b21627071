"""Quote extraction quality: PolNeAR attributions and the hand-checked seed gold.

``python -m flows.eval_quotes [--limit N] [--offset N]``

Matching rule (PolNeAR's convention): a predicted and a gold span match when
each covers at least 50% of the other's letters and digits.

Speaker head: the spaCy syntactic root of the speaker span (``Span.root``),
for both predicted and gold spans, in the same parse of the article; compared
case-insensitively. A gold speaker that cannot be aligned to tokens falls back
to its last word.

All-attributions F1: every gold attribution (direct, mixed, indirect) against
every predicted row, except predicted partial quotes lying inside a predicted
indirect row (the same attribution, counted once).
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


def evaluate_polnear(path: str | Path = POLNEAR, limit: int | None = None, nlp: Language | None = None,
                     offset: int = 0) -> dict[str, Any]:
    nlp = nlp or build_nlp()
    articles = []
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i < offset:
                continue
            if limit is not None and len(articles) >= limit:
                break
            articles.append(json.loads(line))
    started = time.perf_counter()
    disable = [n for n in nlp.pipe_names if n == "counterclaim_claims"]
    docs = nlp.pipe([a["text"] for a in articles], batch_size=16, disable=disable)
    res = score_polnear(articles, docs)
    res["seconds"] = round(time.perf_counter() - started, 1)
    return res


def score_polnear(articles: list[dict[str, Any]], parsed: Iterable[Doc]) -> dict[str, Any]:
    """Scores each doc's ``cc_quotes`` against its article's PolNeAR gold."""
    d_tp = d_pred = d_gold = 0
    a_tp = a_pred = a_gold = 0
    head_ok = head_n = 0
    pred_kinds: Counter[str] = Counter()
    gold_kinds: Counter[str] = Counter()
    for art, doc in zip(articles, parsed):
        text = art["text"]
        rows = doc._.cc_quotes or []
        gold = art["quotes"]
        pred_kinds.update(r["kind"] for r in rows)
        gold_kinds.update(q["kind"] for q in gold)
        pd = [r for r in rows if r["kind"] == "direct"]
        gd = [q for q in gold if q["kind"] == "direct"]
        pairs = _greedy_match(text, [(r["start_char"], r["end_char"]) for r in pd], [(q["start"], q["end"]) for q in gd])
        d_tp += len(pairs)
        d_pred += len(pd)
        d_gold += len(gd)
        for i, j in pairs:
            g = gd[j]
            gh = _head(doc, g.get("speaker_start"), g.get("speaker_end"), g.get("speaker"))
            if gh is None:
                continue
            head_n += 1
            ph = _head(doc, pd[i]["speaker_start"], pd[i]["speaker_end"], pd[i]["speaker"])
            head_ok += int(ph == gh)
        pa = _countable(rows)
        pairs_all = _greedy_match(text, [(r["start_char"], r["end_char"]) for r in pa], [(q["start"], q["end"]) for q in gold])
        a_tp += len(pairs_all)
        a_pred += len(pa)
        a_gold += len(gold)
    return {
        "articles": len(articles),
        "direct": _prf(d_tp, d_pred, d_gold),
        "speaker_head_accuracy": round(head_ok / head_n, 4) if head_n else 0.0,
        "speaker_head_n": head_n,
        "all_attributions": _prf(a_tp, a_pred, a_gold),
        "pred_kinds": dict(pred_kinds),
        "gold_kinds": dict(gold_kinds),
    }


def seed_docs(folder: Path = SEEDS) -> list[dict[str, str]]:
    """Seed articles as documents.text would hold them: non-empty lines joined by blank lines."""
    docs = []
    for f in sorted(folder.glob("*.txt")):
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


def match_seed_gold(docs: list[dict[str, str]], gold: list[dict[str, Any]], nlp: Language) -> list[dict[str, Any]]:
    """For each gold quote, the predicted row it matches (or None), one-to-one per source."""
    by_source: dict[str, list[dict[str, Any]]] = {}
    for d, doc in zip(docs, nlp.pipe([d["text"] for d in docs])):
        by_source[d["source"]] = list(doc._.cc_quotes or [])
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


def evaluate_seed_gold(docs: list[dict[str, str]], gold_path: str | Path = SEED_GOLD, nlp: Language | None = None) -> dict[str, Any]:
    nlp = nlp or build_nlp()
    gold = [json.loads(ln) for ln in Path(gold_path).read_text(encoding="utf-8").splitlines() if ln.strip()]
    matches = match_seed_gold(docs, gold, nlp)
    res: dict[str, Any] = {}
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="PolNeAR articles to score (default all)")
    ap.add_argument("--offset", type=int, default=0, help="skip this many PolNeAR articles first")
    args = ap.parse_args(argv)
    nlp = build_nlp()
    if SEED_GOLD.exists():
        s = evaluate_seed_gold(seed_docs(), SEED_GOLD, nlp)
        print("seed gold          gold  found  speaker_right  kind_right")
        for g in ("direct+partial", "indirect"):
            r = s[g]
            print(f"  {g:<16} {r['gold']:>4} {r['found']:>6} {r['speaker_right']:>14} {r['kind_right']:>11}")
        for m in s["misses"]:
            print(f"  miss: {m['source']} {m['text']!r} want={m['want']} got={m['got']}")
    if POLNEAR.exists():
        r = evaluate_polnear(POLNEAR, args.limit, nlp, offset=args.offset)
        d, a = r["direct"], r["all_attributions"]
        print(f"\nPolNeAR ({r['articles']} articles, {r['seconds']} s)      P      R     F1   tp/pred/gold")
        print(f"  direct quotes              {d['precision']:.3f}  {d['recall']:.3f}  {d['f1']:.3f}  {d['tp']}/{d['pred']}/{d['gold']}")
        print(f"  all attributions           {a['precision']:.3f}  {a['recall']:.3f}  {a['f1']:.3f}  {a['tp']}/{a['pred']}/{a['gold']}")
        print(f"  speaker head accuracy      {r['speaker_head_accuracy']:.3f}  (n={r['speaker_head_n']})")
        print(f"  predicted kinds {r['pred_kinds']}  gold kinds {r['gold_kinds']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
