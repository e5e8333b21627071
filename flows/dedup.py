"""Copies, rewrites and stories: which articles repeat, reuse or cover the same event.

Four relations, strongest first (a pair is reported once, with its strongest):

* ``exact``: the same text after normalising whitespace, case, quotation marks and dashes.
* ``near-duplicate``: MinHash LSH candidates over word shingles, each verified by the true
  Jaccard of the two shingle sets.
* ``rewrite``: a share of the shorter article's sentences has a fuzzy match in the other
  (one rewrites the other, or both carry the same wire copy).
* ``same-story``: TF-IDF cosine over content words and name-like tokens, clustered by
  average link so that no cluster grows through a chain of weak links.

Every stage draws candidate pairs from an index (LSH bands, sentence sketches, rare terms
with capped posting lists) joined in DuckDB, then verifies each candidate, so the work
grows with the number of related pairs rather than with the square of the corpus.

Only exact and near-duplicate copies set ``duplicate_of``; rewrites and stories are
computed between the canonical members of the copy clusters, and copies take their
canonical's story.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable

import duckdb
import numpy as np
import pyarrow as pa
import scipy.sparse as sp
from datasketch import MinHash
from datasketch.lsh import _optimal_param
from rapidfuzz import fuzz, process

from flows.settings import Settings

EXACT, NEAR, REWRITE, SAME_STORY = "exact", "near-duplicate", "rewrite", "same-story"
_STRENGTH = {EXACT: 0, NEAR: 1, REWRITE: 2, SAME_STORY: 3}

MINHASH_SEED = 1  # fixed, so that signatures and LSH buckets are the same on every run
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)

# ---------------------------------------------------------------------------
# Normalisation and hashing
# ---------------------------------------------------------------------------

# Quotation marks carry no content and their style varies by outlet and CMS: drop them all
# (apostrophes too, consistently on both sides, so "don't" and "don’t" agree).
_QUOTE_CHARS = "\"'`´‘’‚‛“”„‟«»‹›″′〝〞＂＇"
_DASH_CHARS = "‐‑‒–—―−﹘﹣－"
_TRANSLATE = {ord(c): None for c in _QUOTE_CHARS} | {ord(c): "-" for c in _DASH_CHARS}
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def normalise(text: str) -> str:
    """Text with case, quotation-mark style, dash style and whitespace made uniform."""
    text = unicodedata.normalize("NFKC", text or "").translate(_TRANSLATE).casefold()
    return _SPACE.sub(" ", text).strip()


def _hash64(data: str) -> int:
    # blake2b rather than hash(): Python's str hash changes from process to process.
    return int.from_bytes(hashlib.blake2b(data.encode("utf-8"), digest_size=8).digest(), "little")


def _fmix64(x: np.ndarray) -> np.ndarray:
    """MurmurHash3's finaliser: spreads the bits of a linear combination of word hashes."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint64(33))
        x = x * np.uint64(0xFF51AFD7ED558CCD)
        x = x ^ (x >> np.uint64(33))
        x = x * np.uint64(0xC4CEB93FE53B4E63)
        return x ^ (x >> np.uint64(33))


# One odd multiplier per position in a shingle, so that word order matters.
_POSITION_MULTIPLIERS = np.array(
    [_hash64(f"shingle-position-{i}") | 1 for i in range(64)], dtype=np.uint64
)


class WordHasher:
    """Stable 64-bit word hashes, cached because news vocabulary repeats heavily."""

    def __init__(self) -> None:
        self._cache: dict[str, int] = {}

    def __call__(self, words: list[str]) -> np.ndarray:
        cache = self._cache
        for w in set(words).difference(cache):
            cache[w] = _hash64(w)
        return np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))


def shingle_hashes(word_hashes: np.ndarray, k: int, whole_text_hash: int) -> np.ndarray:
    """Sorted unique hashes of the k-word shingles.

    A text shorter than k words gets one shingle, the hash of its own words: short texts
    then only ever match an identical short text, never each other by accident.
    """
    n = len(word_hashes)
    if n == 0:
        return np.empty(0, dtype=np.uint64)
    if n < k:
        return np.array([whole_text_hash], dtype=np.uint64)
    m = n - k + 1
    acc = np.zeros(m, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            acc += word_hashes[j : j + m] * _POSITION_MULTIPLIERS[j % 64]
    return np.unique(_fmix64(acc))


def minhash_signatures(shingles: list[np.ndarray], num_perm: int, workers: int = 2) -> np.ndarray:
    """MinHash signatures, computed in a few threads: numpy releases the GIL on big arrays."""
    if workers <= 1 or len(shingles) < 2000:
        return _minhash_block(shingles, num_perm)
    from concurrent.futures import ThreadPoolExecutor

    step = math.ceil(len(shingles) / workers)
    with ThreadPoolExecutor(workers) as pool:
        parts = list(pool.map(lambda i: _minhash_block(shingles[i : i + step], num_perm), range(0, len(shingles), step)))
    return np.concatenate(parts)


def _minhash_block(shingles: list[np.ndarray], num_perm: int, chunk_rows: int = 1 << 15) -> np.ndarray:
    """One MinHash signature per non-empty shingle set, as a (docs, num_perm) uint64 array.

    The permutations are datasketch's (seed 1) applied as multiply-shift hashing, vectorised
    over many documents at once: per-document MinHash objects cost too much at 100k docs.
    """
    a, b = MinHash(num_perm=num_perm, seed=MINHASH_SEED).permutations
    a = (a.astype(np.uint64) | np.uint64(1))[None, :]
    b = b.astype(np.uint64)[None, :]
    sig = np.empty((len(shingles), num_perm), dtype=np.uint64)
    i = 0
    while i < len(shingles):
        j, rows = i, 0
        while j < len(shingles) and (rows == 0 or rows + len(shingles[j]) <= chunk_rows):
            rows += len(shingles[j])
            j += 1
        block = np.concatenate(shingles[i:j])[:, None]
        with np.errstate(over="ignore"):
            permuted = (block * a + b) >> np.uint64(32)
        starts = np.cumsum([0] + [len(s) for s in shingles[i : j - 1]])
        sig[i:j] = np.minimum.reduceat(permuted, starts, axis=0)
        i = j
    return sig


def true_jaccard(x: np.ndarray, y: np.ndarray) -> float:
    if len(x) == 0 or len(y) == 0:
        return 0.0
    inter = len(np.intersect1d(x, y, assume_unique=True))
    return inter / (len(x) + len(y) - inter)


# ---------------------------------------------------------------------------
# Canonical order
# ---------------------------------------------------------------------------


def _timestamp(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.timestamp()
    return float(value)


def canonical_key(doc: dict) -> tuple:
    """Earliest publication first (unknown dates last), then the longest text, then the id."""
    ts = _timestamp(doc.get("published_at"))
    n_chars = doc.get("n_chars")
    if n_chars is None:
        n_chars = len(doc.get("text") or "")
    return (ts is None, ts or 0.0, -int(n_chars), doc["doc_id"])


# ---------------------------------------------------------------------------
# Candidate pairs in DuckDB
# ---------------------------------------------------------------------------


def _join_pairs(keys: pa.Table, max_postings: int | None = None) -> np.ndarray:
    """Pairs of doc indices (a < b) that share a key, with how many keys they share.

    keys has columns doc (int32) and key (uint64); a key held by more than max_postings
    documents is boilerplate rather than evidence, and would make the join quadratic.
    """
    con = duckdb.connect()
    con.register("keys", keys)
    cap = "" if max_postings is None else f"QUALIFY count(*) OVER (PARTITION BY key) <= {int(max_postings)}"
    rows = con.execute(
        f"""
        WITH k AS (SELECT DISTINCT doc, key FROM keys),
             kept AS (SELECT doc, key FROM k {cap})
        SELECT x.doc AS a, y.doc AS b, count(*) AS shared
        FROM kept x JOIN kept y ON x.key = y.key AND x.doc < y.doc
        GROUP BY 1, 2 ORDER BY 1, 2
        """
    ).fetchnumpy()
    con.close()
    return np.stack([rows["a"], rows["b"], rows["shared"]], axis=1).astype(np.int64) if len(rows["a"]) else np.empty((0, 3), np.int64)


def lsh_params(settings: Settings) -> tuple[int, int]:
    """Bands and rows for candidate generation, tuned below the Jaccard threshold.

    Candidates are cheap to reject (signature estimate, then true Jaccard) while a missed
    pair is lost for good, so the LSH threshold sits 0.15 below the verified one and false
    negatives weigh four times false positives.
    """
    lsh_threshold = max(0.3, settings.near_duplicate_jaccard - 0.15)
    return _optimal_param(lsh_threshold, settings.minhash_permutations, 0.2, 0.8)


def lsh_candidates(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Doc index pairs that agree on every row of at least one band."""
    n = len(signatures)
    if n < 2:
        return np.empty((0, 2), np.int64)
    mult = np.array([_hash64(f"band-row-{i}") | 1 for i in range(rows)], dtype=np.uint64)
    docs, band_ids, hashes = [], [], []
    for band in range(bands):
        block = signatures[:, band * rows : (band + 1) * rows]
        with np.errstate(over="ignore"):
            h = _fmix64((block * mult[None, :]).sum(axis=1, dtype=np.uint64) + np.uint64(band))
        docs.append(np.arange(n, dtype=np.int32))
        band_ids.append(np.full(n, band, dtype=np.int32))
        hashes.append(h)
    # The band id is folded into the hash, so a join on the hash alone is a join on (band, hash).
    table = pa.table({"doc": np.concatenate(docs), "key": np.concatenate(hashes)})
    return _join_pairs(table)[:, :2]


# ---------------------------------------------------------------------------
# Sentences (for rewrites)
# ---------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’»)\]]*\s+(?=[\"'“‘«(\[]?[A-Z0-9])")
MIN_SENTENCE_WORDS = 6  # "He said." and datelines match everywhere and prove nothing


def sentences(text: str) -> list[str]:
    """Normalised sentences long enough to be evidence of shared copy."""
    out = []
    for para in re.split(r"\n+", text or ""):
        for sent in _SENTENCE_END.split(para.strip()):
            norm = normalise(sent)
            if len(_WORD.findall(norm)) >= MIN_SENTENCE_WORDS:
                out.append(norm)
    return out


_SKETCH_SEEDS = np.array([_hash64(f"sentence-seed-{i}") for i in range(16)], dtype=np.uint64)


def shared_sentence_share(shorter: list[str], longer: list[str], min_ratio: float) -> float:
    """Share of the shorter article's sentences with a fuzzy match in the other."""
    if not shorter or not longer:
        return 0.0
    scores = process.cdist(shorter, longer, scorer=fuzz.ratio, score_cutoff=min_ratio, dtype=np.uint8)
    return float((scores.max(axis=1) >= min_ratio).sum()) / len(shorter)


# ---------------------------------------------------------------------------
# Story features
# ---------------------------------------------------------------------------

_STOPWORDS = frozenset(
    """a about above after again against all also although am among an and another any are
    around as at be became because been before being below between both but by can could did
    do does doing done down during each either even ever every few for from further get gets
    got had has have having he her here hers herself him himself his how however i if in into
    is it its itself just last least less like made make many may me might more most much must
    my myself near neither new no nor not now of off often on once one only or other others our
    ours ourselves out over own per perhaps rather said same says see seen several she should
    since so some still such than that the their theirs them themselves then there these they
    this those though through thus to too two under until up upon us very via was we were what
    whatever when where whether which while who whom whose why will with within without would
    yet you your yours yourself yourselves year years time times week day days told according
    reported report reports news people first well back way going just say saying""".split()
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z\-]*[A-Za-z]|\d{2,}")
# A capitalised word inside a sentence (after a lower-case letter, digit or comma and a
# space), or an acronym: words that open a sentence are capitalised anyway.
_NAME = re.compile(r"(?<=[a-z0-9,;] )[A-Z][A-Za-z\-]*[A-Za-z]|\b[A-Z]{3,}\b")


def story_terms(text: str) -> list[str]:
    """Content words, plus an extra '@name' feature for name-like capitalised words.

    Names of people, places and organisations are the strongest sign that two reports
    cover the same event. Regular expressions do the scanning, so this stays cheap at 100k docs.
    """
    text = (text or "").replace("’", "'")
    words = [w for w in _TOKEN.findall(text.lower()) if len(w) >= 3 and w not in _STOPWORDS]
    names = ["@" + w for w in _TOKEN.findall(" ".join(_NAME.findall(text)).lower()) if len(w) >= 3 and w not in _STOPWORDS]
    return words + names


MIN_STORY_TERMS = 10
MIN_SHARED_TERMS = 2


def tfidf_matrix(term_lists: list[list[str]]) -> tuple[sp.csr_matrix, np.ndarray]:
    """Sublinear TF-IDF rows, L2-normalised; also each term's document frequency."""
    vocab: dict[str, int] = {}
    indptr, indices, data = [0], [], []
    for terms in term_lists:
        counts: dict[int, int] = defaultdict(int)
        for t in terms:
            counts[vocab.setdefault(t, len(vocab))] += 1
        for j in sorted(counts):
            indices.append(j)
            data.append(1.0 + math.log(counts[j]))
        indptr.append(len(indices))
    n = len(term_lists)
    x = sp.csr_matrix((np.array(data, dtype=np.float64), np.array(indices, dtype=np.int64), np.array(indptr)), shape=(n, len(vocab)))
    df = np.bincount(x.indices, minlength=len(vocab))
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    x = x.multiply(idf[None, :]).tocsr()
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    x = sp.diags(1.0 / norms) @ x
    return x.tocsr(), df


def row_dots(x: sp.csr_matrix, a: np.ndarray, b: np.ndarray, chunk: int = 200_000) -> np.ndarray:
    """Cosine of each pair (rows are L2-normalised), in chunks to bound memory."""
    out = np.empty(len(a))
    for i in range(0, len(a), chunk):
        out[i : i + chunk] = np.asarray(x[a[i : i + chunk]].multiply(x[b[i : i + chunk]]).sum(axis=1)).ravel()
    return out


def term_candidates(x: sp.csr_matrix, df: np.ndarray, max_postings: int, top_terms: int) -> np.ndarray:
    """Pairs that share one of each other's heaviest terms held by 2..max_postings documents."""
    rows, keys = [], []
    usable = (df >= 2) & (df <= max_postings)
    for i in range(x.shape[0]):
        lo, hi = x.indptr[i], x.indptr[i + 1]
        idx, val = x.indices[lo:hi], x.data[lo:hi]
        keep = usable[idx]
        idx, val = idx[keep], val[keep]
        if len(idx) > top_terms:
            # ties broken by term index so the choice does not depend on input order
            order = np.lexsort((idx, -val))[:top_terms]
            idx = idx[order]
        rows.append(np.full(len(idx), i, dtype=np.int32))
        keys.append(idx.astype(np.uint64))
    if not rows:
        return np.empty((0, 3), np.int64)
    return _join_pairs(pa.table({"doc": np.concatenate(rows), "key": np.concatenate(keys)}))


# ---------------------------------------------------------------------------
# Average-link clustering over a sparse graph
# ---------------------------------------------------------------------------


def average_link(n: int, edges: Iterable[tuple[int, int, float]], threshold: float) -> list[int]:
    """Cluster label per node: agglomerate while the best average link is >= threshold.

    Missing edges count as similarity 0, so a cluster only absorbs a node (or cluster) that
    is, on average, similar to all of its members: weak links cannot chain clusters together.
    Ties are broken by the clusters' smallest members, so the result does not depend on
    the order of the edges.
    """
    parent = list(range(n))
    size = [1] * n
    sums: list[dict[int, float]] = [dict() for _ in range(n)]
    for a, b, s in edges:
        if a == b:
            continue
        sums[a][b] = sums[a].get(b, 0.0) + s
        sums[b][a] = sums[b].get(a, 0.0) + s
    heap = [(-s / 1.0, a, b) for a in range(n) for b, s in sums[a].items() if a < b and s >= threshold]
    heapq.heapify(heap)
    alive = [True] * n
    while heap:
        neg, a, b = heapq.heappop(heap)
        if not (alive[a] and alive[b]):
            continue
        current = sums[a].get(b, 0.0) / (size[a] * size[b])
        if abs(current + neg) > 1e-12:
            continue  # stale entry
        # merge b into a (a is the smaller id: clusters are named by their smallest member)
        keep, gone = min(a, b), max(a, b)
        alive[gone] = False
        parent[gone] = keep
        size[keep] += size[gone]
        for c, s in sums[gone].items():
            if c == keep:
                continue
            sums[keep][c] = sums[keep].get(c, 0.0) + s
            del sums[c][gone]
            sums[c][keep] = sums[keep][c]
        sums[keep].pop(gone, None)
        sums[gone] = {}
        for c, s in sums[keep].items():
            avg = s / (size[keep] * size[c])
            if avg >= threshold:
                heapq.heappush(heap, (-avg, min(keep, c), max(keep, c)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    return [root(i) for i in range(n)]


# ---------------------------------------------------------------------------
# The stages
# ---------------------------------------------------------------------------


@dataclass
class _Prepared:
    docs: list[dict]                 # sorted by doc_id
    norm_hash: list[int | None]      # hash of the normalised text; None for empty texts
    shingles: list[np.ndarray]


def _prepare(documents: list[dict], settings: Settings) -> _Prepared:
    docs = sorted(documents, key=lambda d: d["doc_id"])
    hasher = WordHasher()
    norm_hash, shingles = [], []
    for d in docs:
        norm = normalise(d.get("text") or "")
        words = _WORD.findall(norm)
        if not words:
            norm_hash.append(None)
            shingles.append(np.empty(0, dtype=np.uint64))
            continue
        joined = " ".join(words)
        h = _hash64(joined)
        norm_hash.append(h)
        shingles.append(shingle_hashes(hasher(words), settings.shingle_words, h))
    return _Prepared(docs, norm_hash, shingles)


def _exact_groups(prep: _Prepared) -> dict[int, list[int]]:
    """Representative index -> indices of docs with the same normalised text (non-empty)."""
    groups: dict[int, list[int]] = defaultdict(list)
    for i, h in enumerate(prep.norm_hash):
        if h is not None:
            groups[h].append(i)
    out = {}
    for members in groups.values():
        members.sort(key=lambda i: canonical_key(prep.docs[i]))
        out[members[0]] = members
    return out


def _near_duplicate_edges(prep: _Prepared, reps: list[int], settings: Settings) -> list[tuple[int, int, float]]:
    """Verified (i, j, jaccard) between exact-group representatives, i < j."""
    reps = [r for r in reps if len(prep.shingles[r])]
    if len(reps) < 2:
        return []
    sig = minhash_signatures([prep.shingles[r] for r in reps], settings.minhash_permutations)
    bands, rows = lsh_params(settings)
    pairs = lsh_candidates(sig, bands, rows)
    if not len(pairs):
        return []
    # The signature estimate rejects most band collisions cheaply; 0.15 is > 4 standard
    # errors of the estimate at 128 permutations, so true near-duplicates survive.
    estimate = (sig[pairs[:, 0]] == sig[pairs[:, 1]]).mean(axis=1)
    pairs = pairs[estimate >= settings.near_duplicate_jaccard - 0.15]
    edges = []
    for a, b in pairs:
        ia, ib = reps[a], reps[b]
        j = true_jaccard(prep.shingles[ia], prep.shingles[ib])
        if j >= settings.near_duplicate_jaccard:
            edges.append((min(ia, ib), max(ia, ib), j))
    return edges


def _copy_clusters(prep: _Prepared, exact: dict[int, list[int]], near: list[tuple[int, int, float]]) -> dict[int, int]:
    """Doc index -> canonical doc index, for every copy (canonicals are absent).

    Representatives are visited in canonical order; each still-free one becomes a canonical
    and claims its free verified near-duplicates. Every copy is thus a verified copy of its
    own canonical, never a copy of a copy of a copy.
    """
    neighbours: dict[int, list[int]] = defaultdict(list)
    for a, b, _ in near:
        neighbours[a].append(b)
        neighbours[b].append(a)
    owner: dict[int, int] = {}
    for rep in sorted(exact, key=lambda i: canonical_key(prep.docs[i])):
        if rep in owner:
            continue
        owner[rep] = rep
        for other in sorted(neighbours.get(rep, ())):
            owner.setdefault(other, rep)
    copy_of = {}
    for rep, members in exact.items():
        head = owner[rep]
        for m in members:
            if m != head:
                copy_of[m] = head
    return copy_of


def sentence_sketches(sents: list[str], hasher: WordHasher, bands: int = 3, rows: int = 2) -> np.ndarray:
    """(sentences, bands) LSH keys over each sentence's 3-word shingles, for many sentences at once.

    Each key combines several min-hashes (a band), so that two unrelated sentences do not
    collide merely because both contain a common phrase such as "the white house said".
    Every sentence has at least MIN_SENTENCE_WORDS words, hence at least one shingle.
    """
    if not sents:
        return np.empty((0, bands), dtype=np.uint64)
    word_lists = [_WORD.findall(x) for x in sents]
    lengths = np.array([len(w) for w in word_lists])
    flat = hasher([w for ws in word_lists for w in ws])
    n = len(flat)
    with np.errstate(over="ignore"):
        sh = flat[: n - 2] * _POSITION_MULTIPLIERS[0] + flat[1 : n - 1] * _POSITION_MULTIPLIERS[1] + flat[2:] * _POSITION_MULTIPLIERS[2]
    ends = np.cumsum(lengths)
    starts = ends - lengths
    # shingle i is valid when it starts at least 3 words before its sentence's end
    sentence_of = np.repeat(np.arange(len(sents)), lengths)[: n - 2]
    valid = np.arange(n - 2) + 2 < ends[sentence_of]
    sh, sentence_of = _fmix64(sh[valid]), sentence_of[valid]
    offsets = np.searchsorted(sentence_of, np.arange(len(sents)))
    mins = np.empty((len(sents), bands * rows), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for r in range(bands * rows):
            mins[:, r] = np.minimum.reduceat(_fmix64(sh ^ _SKETCH_SEEDS[r]), offsets)
        mixed = (mins.reshape(len(sents), bands, rows) * _POSITION_MULTIPLIERS[:rows]).sum(axis=2, dtype=np.uint64)
        return _fmix64(mixed + np.arange(bands, dtype=np.uint64)[None, :])


def _rewrite_edges(prep: _Prepared, canon: list[int], settings: Settings, skip: set[tuple[int, int]]) -> list[tuple[int, int, float]]:
    """Verified (i, j, share) rewrites between canonical docs, i < j."""
    sents = {i: sentences(prep.docs[i].get("text") or "") for i in canon}
    flat = [(i, k, x) for i in canon for k, x in enumerate(sents[i])]
    if not flat:
        return []
    keys = sentence_sketches([x for _, _, x in flat], WordHasher())
    bands = keys.shape[1]
    table = pa.table({
        "doc": np.repeat(np.array([i for i, _, _ in flat], dtype=np.int32), bands),
        "sent": np.repeat(np.array([k for _, k, _ in flat], dtype=np.int32), bands),
        "key": keys.ravel(),
    })
    con = duckdb.connect()
    con.register("keys", table)
    # A sketch key held by more than rewrite_max_postings documents is boilerplate.
    found = con.execute(
        f"""
        WITH k AS (SELECT DISTINCT doc, sent, key FROM keys),
             kept AS (SELECT * FROM k QUALIFY count(DISTINCT doc) OVER (PARTITION BY key) <= {int(settings.rewrite_max_postings)})
        SELECT x.doc AS a, y.doc AS b, count(DISTINCT x.sent) AS sa, count(DISTINCT y.sent) AS sb
        FROM kept x JOIN kept y ON x.key = y.key AND x.doc < y.doc
        GROUP BY 1, 2 ORDER BY 1, 2
        """
    ).fetchall()
    con.close()
    edges = []
    for a, b, sa, sb in found:
        if (a, b) in skip:
            continue
        (short, matched), (long_, _) = sorted(((sents[a], sa), (sents[b], sb)), key=lambda t: len(t[0]))
        # Sketches miss some fuzzy matches, so the prefilter asks for 60% of the share only.
        if matched < max(1, math.ceil(settings.rewrite_sentence_share * len(short) * 0.6)):
            continue
        share = shared_sentence_share(short, long_, settings.rewrite_fuzzy_ratio)
        if share >= settings.rewrite_sentence_share:
            edges.append((a, b, share))
    return edges


def story_labels(texts: list[str], settings: Settings, extra_edges: Iterable[tuple[int, int, float]] = ()) -> tuple[list[int], dict[tuple[int, int], float]]:
    """Story cluster label per text (index of its smallest member) and the verified edges."""
    n = len(texts)
    if n == 0:
        return [], {}
    terms = [story_terms(t) for t in texts]
    # Too few content words to tell one event from another ("Read more", a bare caption):
    # such texts would join stories on a single shared word, so they stay alone.
    terms = [t if len(t) >= MIN_STORY_TERMS else [] for t in terms]
    x, df = tfidf_matrix(terms)
    cand = term_candidates(x, df, settings.story_max_postings, settings.story_top_terms)
    # One shared rare term is often a coincidence (a surname, a number); two are evidence
    # worth computing a cosine for, and keep the candidate list short at scale.
    cand = cand[cand[:, 2] >= MIN_SHARED_TERMS] if len(cand) else cand
    sims: dict[tuple[int, int], float] = {}
    if len(cand):
        a, b = cand[:, 0], cand[:, 1]
        cos = row_dots(x, a, b)
        floor = settings.same_story_similarity * settings.story_edge_floor
        for i, j, s in zip(a[cos >= floor], b[cos >= floor], cos[cos >= floor]):
            sims[(int(i), int(j))] = float(s)
    for i, j, s in extra_edges:
        key = (min(i, j), max(i, j))
        sims[key] = max(sims.get(key, 0.0), s)
    labels = average_link(n, ((i, j, s) for (i, j), s in sorted(sims.items())), settings.same_story_similarity)
    return labels, sims


def deduplicate(documents: list[dict], settings: Settings) -> tuple[dict[str, dict], list[dict]]:
    """Copies, rewrites and stories of a set of documents.

    documents: dicts with at least doc_id, text, title, published_at, n_chars, outlet.
    Returns ({doc_id: {"duplicate_of": str | None, "story_id": str}}, near_duplicate_rows).
    """
    prep = _prepare(documents, settings)
    docs = prep.docs
    relation: dict[tuple[int, int], tuple[str, float]] = {}

    def add(i: int, j: int, rel: str, score: float) -> None:
        key = (min(i, j), max(i, j))
        old = relation.get(key)
        if old is None or _STRENGTH[rel] < _STRENGTH[old[0]]:
            relation[key] = (rel, score)

    # 1. exact copies: one star per group, canonical to each copy (linear, not all pairs)
    exact = _exact_groups(prep)
    for rep, members in exact.items():
        for m in members[1:]:
            add(rep, m, EXACT, 1.0)

    # 2. near-duplicates between the groups' representatives
    near = _near_duplicate_edges(prep, sorted(exact), settings)
    for a, b, j in near:
        add(a, b, NEAR, j)
    copy_of = _copy_clusters(prep, exact, near)

    # 3. rewrites and 4. stories, between canonical documents only
    canon = [i for i in range(len(docs)) if i not in copy_of]
    rewrites = _rewrite_edges(prep, canon, settings, set(relation))
    for a, b, share in rewrites:
        add(a, b, REWRITE, share)

    position = {doc: k for k, doc in enumerate(canon)}
    rewrite_links = [(position[a], position[b], max(share, settings.same_story_similarity)) for a, b, share in rewrites]
    labels, sims = story_labels([docs[i].get("text") or "" for i in canon], settings, rewrite_links)
    for (p, q), s in sims.items():
        if labels[p] == labels[q] and s >= settings.same_story_similarity:
            add(canon[p], canon[q], SAME_STORY, s)

    # story ids come from the smallest doc_id of all members, copies included
    members: dict[int, list[int]] = defaultdict(list)
    story_of_canon = {canon[k]: labels[k] for k in range(len(canon))}
    for i in range(len(docs)):
        members[story_of_canon[copy_of.get(i, i)]].append(i)
    story_id = {}
    for group in members.values():
        sid = "story-" + min(docs[i]["doc_id"] for i in group)
        for i in group:
            story_id[i] = sid

    clusters = {
        d["doc_id"]: {
            "duplicate_of": docs[copy_of[i]]["doc_id"] if i in copy_of else None,
            "story_id": story_id[i],
        }
        for i, d in enumerate(docs)
    }
    rows = [
        {"doc_id_a": docs[i]["doc_id"], "doc_id_b": docs[j]["doc_id"], "similarity": float(score), "relation": rel}
        for (i, j), (rel, score) in sorted(relation.items())
    ]
    return clusters, rows
