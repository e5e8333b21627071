"""Claim extraction measured against the hand-checked seed gold.

Matching rule (one-to-one, greedy in text order):
  a predicted claim matches a gold claim when both are in the same document,
  have the same claim_type and the same side, and their evidence spans overlap
  by at least 50% of the letters of the shorter span. (A quote and the sentence
  that carries it therefore match; two neighbouring sentences do not.)

Figures:
  * precision / recall / F1 per claim_type, macro-F1 over the three types;
  * recall: share of gold claims matched;
  * side accuracy: of the predictions that overlap a gold claim of the same type
    (side ignored), the share whose side equals the gold side;
  * per article: has >= 1 allegation and >= 1 denial; headline leads with a denial.
Gold entries whose evidence is not in the evaluated text (e.g. a caption the
cleaner removed) are left out and counted as ``gold_missing_from_text``.

Sides are compared after light normalisation (case, punctuation, a leading
"the"), so "The Diplomat" and "Diplomat" are one side; nothing else is aliased.

Run: ``python -m flows.eval_claims [--cleaned]`` (default: raw seed files, non-empty
lines joined with blank lines).

``python -m flows.eval_claims --dev`` scores the development gold
(``tests/gold/dev_claims.jsonl``: 31 FNC-1 training bodies chosen by a fixed rule,
see docs/claims-eval.md), in two parts: the first 15 articles (in gold-file order)
are for tuning, the other 16 are held out. The document text is the body's
non-empty lines joined with blank lines; FNC-1 bodies have no headline, so by the
pipeline's convention their first line is read as the headline.
``--part tune|held-out`` prints one part only.

Propositions: after the seed figures, and after the dev parts (``tests/gold/dev_propositions.jsonl``,
every article of whole FNC-1 stories), the pairwise precision and recall of ``proposition_id``
against hand-made proposition labels (see ``score_propositions``).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "gold" / "seed_claims.jsonl"
DEV_GOLD = ROOT / "tests" / "gold" / "dev_claims.jsonl"
FNC1_BODIES = ROOT.parent / "shared" / "corpora" / "fnc1_train_bodies.jsonl"
FNC1_STORIES = ROOT.parent / "shared" / "corpora" / "fnc1_train_stories.jsonl"
# Proposition labels over every article of whole FNC-1 stories (see docs/claims-eval.md).
DEV_PROPOSITIONS = ROOT / "tests" / "gold" / "dev_propositions.jsonl"
DEV_TUNE_ARTICLES = 15
TYPES = ("allegation", "denial", "other")


def side_key(side: str | None) -> str | None:
    """'The Diplomat' == 'Diplomat'; None stays None."""
    if side is None:
        return None
    key = re.sub(r"[^a-z0-9]", "", re.sub(r"^the\s+", "", side.strip().lower()))
    return key or None


def load_gold(path: Path) -> list[dict[str, Any]]:
    return [json.loads(ln) for ln in Path(path).read_text(encoding="utf-8").splitlines() if ln.strip()]


def dev_parts(gold: list[dict[str, Any]], n_tune: int = DEV_TUNE_ARTICLES) -> dict[str, list[str]]:
    """Article ids in gold-file order, split into the tuning part and the held-out part."""
    order: list[str] = []
    for g in gold:
        if g["source"] not in order:
            order.append(g["source"])
    return {"tune": order[:n_tune], "held-out": order[n_tune:]}


def dev_docs(sources: list[str], bodies_path: Path = FNC1_BODIES) -> list[dict[str, str]]:
    """FNC-1 bodies as documents: non-empty lines joined with blank lines, nothing prefixed."""
    want = set(sources)
    found: dict[str, str] = {}
    with open(bodies_path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row["id"] in want:
                lines = [ln.strip() for ln in row["text"].splitlines() if ln.strip()]
                found[row["id"]] = "\n\n".join(lines)
    return [{"source": s, "text": found[s]} for s in sources if s in found]


def raw_seed_docs(seed_dir: Path = SEEDS) -> list[dict[str, str]]:
    docs = []
    for path in sorted(Path(seed_dir).glob("*.txt")):
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        docs.append({"source": path.name, "text": "\n\n".join(lines)})
    return docs


def cleaned_seed_docs(seed_dir: Path = SEEDS) -> list[dict[str, str]]:
    from flows.documents import build_documents

    found = build_documents(Path(seed_dir), 10**8, 10**8)
    return [{"source": d["source"], "text": d["text"]} for d in sorted(found.documents, key=lambda d: d["source"])]


def build_nlp():
    """The project pipeline (flows.nlp.load_nlp: the model, title tokens, every component)."""
    from flows.nlp import load_nlp

    return load_nlp("auto")


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _overlap_ok(text: str, a: tuple[int, int], b: tuple[int, int]) -> bool:
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    if hi <= lo:
        return False
    shorter = min(_letters(text[a[0]:a[1]]), _letters(text[b[0]:b[1]]))
    return shorter > 0 and _letters(text[lo:hi]) >= 0.5 * shorter


def _locate(text: str, evidence: str) -> tuple[int, int] | None:
    i = text.find(evidence)
    if i >= 0:
        return i, i + len(evidence)
    # Whitespace may differ after cleaning.
    pattern = r"\s+".join(re.escape(w) for w in evidence.split())
    m = re.search(pattern, text)
    return (m.start(), m.end()) if m else None


def predict(docs: list[dict[str, str]], nlp=None, one_story: bool = False) -> list[dict[str, Any]]:
    """Claims of these documents as the pipeline gives them: each document's rows, then
    the cross-document steps over all of them (no propositions: those are scored apart).
    ``one_story``: the documents are one story's articles (else each is a story of its own)."""
    from flows.extract import document_rows, resolve_across
    from flows.nlp import analyse

    nlp = nlp or build_nlp()
    entities: list[dict[str, Any]] = []
    quotes: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    for d, result in zip(docs, analyse(nlp, [d["text"] for d in docs])):
        e, q, c = document_rows(d["source"], result)
        entities += e
        quotes += q
        claims += [{**x, "source": d["source"]} for x in c]
    story_of = {d["source"]: "story" for d in docs} if one_story else None
    return resolve_across(entities, quotes, claims, story_of)[2]


def score(docs: list[dict[str, str]], gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> dict[str, Any]:
    texts = {d["source"]: d["text"] for d in docs}
    golds, missing = [], 0
    for g in gold:
        text = texts.get(g["source"])
        span = _locate(text, g["evidence"]) if text is not None else None
        if span is None:
            missing += 1
            continue
        golds.append({**g, "span": span})
    used: set[int] = set()
    tp = {t: 0 for t in TYPES}
    matched_gold: set[int] = set()
    for p in sorted(pred, key=lambda c: (c["source"], c["start_char"])):
        text = texts[p["source"]]
        for gi, g in enumerate(golds):
            if gi in matched_gold or g["source"] != p["source"] or g["claim_type"] != p["claim_type"]:
                continue
            if side_key(g["side"]) == side_key(p.get("side")) and _overlap_ok(text, g["span"], (p["start_char"], p["end_char"])):
                matched_gold.add(gi)
                used.add(id(p))
                tp[p["claim_type"]] += 1
                break
    per_type = {}
    for t in TYPES:
        n_pred = sum(p["claim_type"] == t for p in pred)
        n_gold = sum(g["claim_type"] == t for g in golds)
        prec = tp[t] / n_pred if n_pred else 0.0
        rec = tp[t] / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_type[t] = {"precision": round(prec, 3), "recall": round(rec, 3), "f1": round(f1, 3),
                       "predicted": n_pred, "gold": n_gold, "matched": tp[t]}
    # Side accuracy over predictions that find a gold claim of their type, side ignored.
    side_ok = side_n = 0
    for p in pred:
        text = texts[p["source"]]
        hits = [g for g in golds if g["source"] == p["source"] and g["claim_type"] == p["claim_type"]
                and _overlap_ok(text, g["span"], (p["start_char"], p["end_char"]))]
        if hits:
            side_n += 1
            side_ok += any(side_key(g["side"]) == side_key(p.get("side")) for g in hits)
    articles = {}
    for d in docs:
        mine = sorted((p for p in pred if p["source"] == d["source"]), key=lambda c: c["start_char"])
        head = [p for p in mine if p["position"] == "headline"]
        articles[d["source"]] = {
            "allegations": sum(p["claim_type"] == "allegation" for p in mine),
            "denials": sum(p["claim_type"] == "denial" for p in mine),
            "headline_leads_with": _headline_frame(head),
        }
    return {
        "per_type": per_type,
        "macro_f1": round(sum(v["f1"] for v in per_type.values()) / len(TYPES), 3),
        "recall": round(len(matched_gold) / len(golds), 3) if golds else 0.0,
        "precision": round(len(used) / len(pred), 3) if pred else 0.0,
        "side_accuracy": round(side_ok / side_n, 3) if side_n else 0.0,
        "gold_used": len(golds),
        "gold_missing_from_text": missing,
        "articles": articles,
        "missed": [f"{g['source']} {g['claim_type']} {g['side']}: {g['evidence'][:90]}"
                   for gi, g in enumerate(golds) if gi not in matched_gold],
    }


def score_propositions(docs: list[dict[str, str]], gold: list[dict[str, Any]],
                       pred: list[dict[str, Any]]) -> dict[str, Any]:
    """Pairwise agreement of proposition ids with the gold's ``proposition`` labels.

    Each gold claim is paired with a prediction of the same document and type whose evidence
    overlaps it, of the same side where there is one; the predictions get their ids
    from ``claims.assign_propositions`` over the whole run, as the pipeline gives them
    (all documents one story, no dates: the seeds have none). Over every pair of matched
    gold claims, precision is the share of pairs given one id that the gold also puts
    together, and recall the share of gold pairs that were given one id.
    """
    from flows.claims import assign_propositions

    texts = {d["source"]: d["text"] for d in docs}
    documents = [{"doc_id": d["source"], "text": d["text"], "story_id": "run", "published_at": None} for d in docs]
    with_ids = assign_propositions([{**p, "doc_id": p["source"]} for p in pred], documents)
    pairs: list[tuple[str, str]] = []  # (gold label, predicted id)
    taken: set[int] = set()
    for g in gold:
        text = texts.get(g["source"])
        span = _locate(text, g["evidence"]) if text is not None and g.get("proposition") else None
        if span is None:
            continue
        found = [i for i, p in enumerate(with_ids) if i not in taken and p["source"] == g["source"]
                 and p["claim_type"] == g["claim_type"] and _overlap_ok(text, span, (p["start_char"], p["end_char"]))]
        # The prediction of the same side if there is one; else one with another side, whose
        # id then cannot be its fellows' (a wrong side splits a proposition, as users see it).
        hit = next((i for i in found if side_key(with_ids[i].get("side")) == side_key(g["side"])),
                   found[0] if found else None)
        if hit is not None:
            taken.add(hit)
            pairs.append((g["proposition"], with_ids[hit]["proposition_id"]))
    labelled = sum(1 for g in gold if g.get("proposition"))
    return {**pairwise_agreement(pairs),
            "claims_matched": len(pairs), "claims_labelled": labelled}


def pairwise_agreement(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Over every two (gold label, predicted id) items: precision of 'given one id',
    recall of 'one gold label', and which labels were merged or split."""
    together = gold_together = both = 0
    merged, split = set(), set()
    for i in range(len(pairs)):
        for j in range(i + 1, len(pairs)):
            same_gold, same_pred = pairs[i][0] == pairs[j][0], pairs[i][1] == pairs[j][1]
            gold_together += same_gold
            together += same_pred
            both += same_gold and same_pred
            if same_pred and not same_gold:
                merged.add(tuple(sorted((pairs[i][0], pairs[j][0]))))
            if same_gold and not same_pred:
                split.add(pairs[i][0])
    return {
        "precision": round(both / together, 3) if together else 0.0,
        "recall": round(both / gold_together, 3) if gold_together else 0.0,
        "pairs_predicted": together,
        "pairs_gold": gold_together,
        "merged": sorted(merged),
        "split": sorted(split),
    }


def stories_of(ids: list[str], stories_path: Path = FNC1_STORIES) -> dict[str, str]:
    """The FNC-1 story of each of these bodies."""
    want = set(ids)
    with open(stories_path, encoding="utf-8") as f:
        rows = (json.loads(line) for line in f)
        return {r["id"]: r["story"] for r in rows if r["id"] in want}


def story_articles(stories: set[str], stories_path: Path = FNC1_STORIES) -> dict[str, list[str]]:
    """Every FNC-1 body of these stories, in id order, per story."""
    out: dict[str, list[str]] = {s: [] for s in stories}
    with open(stories_path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row["story"] in out:
                out[row["story"]].append(row["id"])
    return {s: sorted(ids, key=lambda i: int(i.rsplit("-", 1)[1])) for s, ids in out.items()}


def predict_by_story(stories: set[str], nlp) -> dict[str, tuple[list[dict[str, str]], list[dict[str, Any]]]]:
    """Each FNC-1 story's articles and their claims, every story one run of its own, as a
    user's folder about one story would be (the stories and the bodies are read once)."""
    articles = story_articles(stories)
    texts = {d["source"]: d for d in dev_docs([i for ids in articles.values() for i in ids])}
    out = {}
    for story in sorted(articles):
        docs = [texts[i] for i in articles[story] if i in texts]
        out[story] = (docs, predict(docs, nlp, one_story=True))
    return out


def evaluate_dev_propositions(gold_path: Path = DEV_PROPOSITIONS, nlp=None) -> dict[str, dict[str, Any]]:
    """Proposition scores per annotated story, each predicted over all its articles."""
    gold = load_gold(gold_path)
    runs = predict_by_story({g["story"] for g in gold}, nlp or build_nlp())
    return {story: score_propositions(docs, [g for g in gold if g["story"] == story], pred)
            for story, (docs, pred) in runs.items()}


def print_propositions(result: dict[str, Any]) -> None:
    print(f"propositions: pairwise precision {result['precision']:.3f}  recall {result['recall']:.3f}  "
          f"(pairs predicted {result['pairs_predicted']}, gold {result['pairs_gold']}; "
          f"gold claims matched {result['claims_matched']} of {result['claims_labelled']})")
    for a, b in result["merged"]:
        print(f"  merged, gold keeps apart: {a} + {b}")
    for label in result["split"]:
        print(f"  split, gold keeps together: {label}")


def _headline_frame(head: list[dict[str, Any]]) -> str:
    """Type of the headline's earliest claim; at the same offset a denial ranks
    first, since the allegation it answers shares its span (same rule as the SQL view)."""
    rank = {"denial": 0, "allegation": 1, "other": 2}
    if not head:
        return "other"
    return min(head, key=lambda p: (p["start_char"], rank[p["claim_type"]]))["claim_type"]


def evaluate_dev_claims(parts: tuple[str, ...] = ("tune", "held-out"), gold_path: Path = DEV_GOLD,
                        nlp=None, with_story: bool = False) -> dict[str, dict[str, Any]]:
    """Scores per dev part. Alone, each part is predicted on its own articles only. With
    its story, each annotated article is predicted in one run with every FNC-1 article of
    its story, as a user's folder about one story would be, and only the annotated
    articles are scored: the sides then come from how the other outlets describe each
    speaker too."""
    gold = load_gold(gold_path)
    split = dev_parts(gold)
    nlp = nlp or build_nlp()
    out = {}
    for part in parts:
        sources = split[part]
        scored = set(sources)
        mine = [g for g in gold if g["source"] in scored]
        if not with_story:
            docs = dev_docs(sources)
            out[part] = score(docs, mine, predict(docs, nlp))
            continue
        runs = predict_by_story(set(stories_of(sources).values()), nlp)
        docs = [d for story_docs, _ in runs.values() for d in story_docs if d["source"] in scored]
        pred = [p for _, story_pred in runs.values() for p in story_pred if p["source"] in scored]
        out[part] = score(docs, mine, pred)
    return out


def print_result(result: dict[str, Any], title: str = "") -> None:
    if title:
        print(f"== {title}")
    print(f"{'type':<12}{'P':>7}{'R':>7}{'F1':>7}{'pred':>6}{'gold':>6}")
    for t, v in result["per_type"].items():
        print(f"{t:<12}{v['precision']:>7.3f}{v['recall']:>7.3f}{v['f1']:>7.3f}{v['predicted']:>6}{v['gold']:>6}")
    print(f"macro-F1 {result['macro_f1']:.3f}  recall {result['recall']:.3f}  precision {result['precision']:.3f}  "
          f"side accuracy {result['side_accuracy']:.3f}  (gold used {result['gold_used']}, "
          f"not in text {result['gold_missing_from_text']})")
    for src, a in result["articles"].items():
        print(f"  {src}: allegations={a['allegations']} denials={a['denials']} headline={a['headline_leads_with']}")
    for m in result["missed"]:
        print("  missed:", m)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--dev" in argv:
        parts = ("tune", "held-out")
        if "--part" in argv:
            parts = (argv[argv.index("--part") + 1],)
        nlp = build_nlp()
        for part, result in evaluate_dev_claims(parts, nlp=nlp).items():
            print_result(result, f"dev {part}")
        for part, result in evaluate_dev_claims(parts, nlp=nlp, with_story=True).items():
            print_result(result, f"dev {part}, each article run with its FNC-1 story")
        if "--part" not in argv:
            for story, result in evaluate_dev_propositions(nlp=nlp).items():
                print(f"== dev propositions, FNC-1 {story}")
                print_propositions(result)
        return 0
    docs = cleaned_seed_docs() if "--cleaned" in argv else raw_seed_docs()
    gold = load_gold(GOLD)
    pred = predict(docs, one_story=True)  # (the seeds are one story, as the pipeline finds)
    print_result(score(docs, gold, pred), "seeds")
    print_propositions(score_propositions(docs, gold, pred))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
