"""Copies, rewrites and stories: which articles repeat, reuse or cover the same event.

Four relations, strongest first (a pair is reported once, with its strongest):

* ``exact``: the same words after normalising whitespace, case, quotation marks and dashes.
* ``near-duplicate``: one-permutation MinHash (densified) over 5-word shingles, LSH bands
  joined in DuckDB, each candidate verified by the true Jaccard of the two shingle sets.
* ``rewrite``: a share of the shorter article's sentences recur in the other. DuckDB joins
  exact sentence fingerprints and small-edit-tolerant sentence sketches; pairs whose exact
  share already suffices need nothing more, only borderline pairs go to rapidfuzz. At most
  ``rewrite_top_k`` partners per document are kept (the strongest).
* ``same-story``: TF-IDF cosine over content words and name-like tokens, on a graph of each
  document's ``story_top_k`` best candidates (rare shared terms joined in DuckDB), clustered
  by average link so that no cluster grows through a chain of weak links.

All text work is vectorised: the bytes of a chunk of documents go through numpy once, which
yields word hashes, shingles, sentence fingerprints and sketches, and story terms. The
chunks are a map step: with settings.dedup_workers > 1 this process and spawned helpers
compute them at once, and the results are joined in chunk order (the output is the same).
Exact copies are grouped by the hash of their words; the three other stages draw candidate
pairs from keys joined in DuckDB (over Arrow) with capped fan-out (postings caps, a window
per sentence key, top-k per document), so the work and the rows grow with the number of
documents rather than with the square of a story's size.

Only exact and near-duplicate copies set ``duplicate_of``; rewrites and stories are
computed between the canonical members of the copy clusters, and copies take their
canonical's story.
"""

from __future__ import annotations

import hashlib
import heapq
import logging
import os
import re
import resource
import time
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

import numpy as np

# DuckDB, Arrow, SciPy, rapidfuzz and datasketch are imported where they are used: the
# text-feature workers (spawned processes) import this module and need numpy only, and
# these imports would add about 90 MB to each worker (137 MB against 45 MB).
if TYPE_CHECKING:
    import pyarrow as pa
    import scipy.sparse as sp

    from flows.settings import Settings

log = logging.getLogger(__name__)

EXACT, NEAR, REWRITE, SAME_STORY = "exact", "near-duplicate", "rewrite", "same-story"

# Seconds and peak RSS (MB, the process's so far) at the end of each stage of the last
# deduplicate() call, so that eval_dedup can say where time and memory go without a profiler
# (cProfile doubles the cost of the Python parts and hides the numpy/DuckDB ones).
LAST_RUN: dict[str, tuple[float, float]] = {}
_STRENGTH = {EXACT: 0, NEAR: 1, REWRITE: 2, SAME_STORY: 3}


# ---------------------------------------------------------------------------
# Normalisation and hashing
# ---------------------------------------------------------------------------

# Quotation marks carry no content and their style varies by outlet and CMS: drop them all
# (apostrophes too, consistently on both sides, so "don't" and "don’t" agree).
_QUOTE_CHARS = "\"'`´‘’‚‛“”„‟«»‹›″′〝〞＂＇"
_DASH_CHARS = "‐‑‒–—―−﹘﹣－"


def normalise(text: str) -> str:
    """Text with case, quotation-mark style, dash style and whitespace made uniform."""
    text = text or ""
    ascii_only = text.isascii()
    if not ascii_only and not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    # str.replace per character present is much faster than str.translate with a dict
    for c in _QUOTE_CHARS[:3] if ascii_only else _QUOTE_CHARS:
        if c in text:
            text = text.replace(c, "")
    if not ascii_only:
        for c in _DASH_CHARS:
            if c in text:
                text = text.replace(c, "-")
    # split/join is re.sub(r"\s+", " ", ...).strip() (both use str.isspace()), 2-3x faster
    return " ".join(text.casefold().split())


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
# Sentences and story words
# ---------------------------------------------------------------------------

MIN_SENTENCE_WORDS = 6  # "He said." and datelines match everywhere and prove nothing


# Paragraphs and sentences in one split: a run of newlines, or [.!?] (and closing quotes or
# brackets), whitespace, then an opening mark or a capital or digit. One split gives the
# pieces of splitting paragraphs on newlines, then each stripped paragraph on sentence ends,
# up to white space at their ends (checked on the 100k corpus; tests keep the two-step
# reference). A piece holds at least MIN_SENTENCE_WORDS words when _ENOUGH_WORDS finds them.
_PARAGRAPH_OR_SENTENCE_END = re.compile(r"\n+|(?<=[.!?])[\"'”’»)\]]*[^\S\n]+(?=[\"'“‘«(\[]?[A-Z0-9])")
_ENOUGH_WORDS = re.compile(r"\w+(?:\W+\w+){%d}" % (MIN_SENTENCE_WORDS - 1))


def sentences(text: str) -> list[str]:
    """Normalised sentences long enough to be evidence of shared copy."""
    text = text or ""
    parts = _PARAGRAPH_OR_SENTENCE_END.split(text)
    # one normalise() call for the whole text: NUL survives it and separates the sentences.
    # The text's own NULs become spaces after the split, not before: a space would add
    # sentence ends that the split did not see.
    if "\x00" in text:
        parts = [p.replace("\x00", " ") for p in parts]
    joined = normalise("\x00".join(parts))
    out = []
    for norm in joined.split("\x00"):
        norm = norm.strip()
        if _ENOUGH_WORDS.search(norm) is not None:
            out.append(norm)
    return out


def shared_sentence_share(shorter: list[str], longer: list[str], min_ratio: float) -> float:
    """Share of the shorter article's sentences with a fuzzy match in the other."""
    if not shorter or not longer:
        return 0.0
    from rapidfuzz import fuzz, process

    scores = process.cdist(shorter, longer, scorer=fuzz.ratio, score_cutoff=min_ratio, dtype=np.uint8)
    return float((scores.max(axis=1) >= min_ratio).sum()) / len(shorter)


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
MIN_STORY_TERMS = 5  # fewer content-word occurrences place no article in a story (10 cut real one-line reports off: dev ARI -0.015)
MIN_SHARED_TERMS = 2

# A paraphrased sentence keeps its content words, not its wording: "tried to conceal these
# shipments" for "attempted to disguise these shipments". Sentences are matched on their
# content words (Dice), and a rewrite needs several of them, not one shared quotation.
PARAPHRASE_MIN_WORDS = 4
PARAPHRASE_MIN_SENTENCES = 3
_CONTENT_WORD = re.compile(r"[a-z0-9]{3,}")


def content_words(sentence: str) -> frozenset[str]:
    """The sentence's words of 3+ letters or digits that are not stop words (sentence normalised)."""
    return frozenset(w for w in _CONTENT_WORD.findall(sentence) if w not in _STOPWORDS)


def paraphrased_sentences(shorter: list[frozenset[str]], longer: list[frozenset[str]], min_dice: float) -> int:
    """How many of the shorter article's sentences have a sentence in the other whose content
    words overlap theirs with Dice >= min_dice (both of PARAPHRASE_MIN_WORDS+ content words)."""
    holders: dict[str, list[int]] = {}
    for j, words in enumerate(longer):
        if len(words) >= PARAPHRASE_MIN_WORDS:
            for w in words:
                holders.setdefault(w, []).append(j)
    matched = 0
    for words in shorter:
        if len(words) < PARAPHRASE_MIN_WORDS:
            continue
        shared: dict[int, int] = {}
        for w in words:
            for j in holders.get(w, ()):
                shared[j] = shared.get(j, 0) + 1
        if any(2 * c >= min_dice * (len(words) + len(longer[j])) for j, c in shared.items()):
            matched += 1
    return matched


# ---------------------------------------------------------------------------
# Vectorised features: one pass over the bytes of a chunk of documents
# ---------------------------------------------------------------------------

# non-ASCII quotation marks are dropped and dashes become "-" (ASCII quotes go later, as bytes)
_MARK_TO = {**{c: "" for c in _QUOTE_CHARS if ord(c) > 127}, **{c: "-" for c in _DASH_CHARS}}
_MARKS = re.compile("[" + re.escape("".join(_MARK_TO)) + "]")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def _lower_or_space(m: re.Match) -> str:
    return "".join(c.lower() if c.isalnum() else " " for c in m.group())


def encode_text(text: str) -> bytes:
    """The text as bytes whose ASCII part keeps its case (for name detection).

    Quotation marks are dropped and dashes made ASCII (as in normalise()); non-ASCII
    letters and digits are lower-cased and any other non-ASCII character becomes a space,
    so that every byte >= 0x80 left belongs to a word.
    """
    text = text or ""
    if not text.isascii():
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        # one regex scan finds which marks occur; testing each of the 28 marks with `in`
        # scanned the text 28 times (77 us a document, a quarter of the text features)
        for c in set(_MARKS.findall(text)):
            text = text.replace(c, _MARK_TO[c])
        if not text.isascii():
            text = _NON_ASCII_RUN.sub(_lower_or_space, text)
        data = text.encode("utf-8")
    else:
        data = text.encode("ascii")
    return data.replace(b"\x00", b" ")


def _byte_table(pred) -> np.ndarray:
    return np.array([bool(pred(i)) for i in range(256)], dtype=bool)


_IS_QUOTE = _byte_table(lambda i: chr(i) in "\"'`")
# every byte >= 0x80 left by encode_text() belongs to a word
_IS_WORD = _byte_table(lambda i: i >= 128 or chr(i).isalnum() or chr(i) == "_")
_IS_UPPER = _byte_table(lambda i: 65 <= i <= 90)
# what may stand before "<space><Capital>" inside a sentence, where a capital marks a name
_IS_LETTER = _byte_table(lambda i: 65 <= i <= 90 or 97 <= i <= 122)
_IS_DIGIT = _byte_table(lambda i: 48 <= i <= 57)
_IS_SPACE = _byte_table(lambda i: chr(i) in " \t\r\x0b\x0c\n")
_IS_END = _byte_table(lambda i: chr(i) in ".!?")
_IS_CLOSE = _byte_table(lambda i: chr(i) in ")]")
_IS_OPEN = _byte_table(lambda i: chr(i) in "([")
_IS_UPPER_OR_DIGIT = _IS_UPPER | _IS_DIGIT
_LOWER = np.array([i + 32 if 65 <= i <= 90 else i for i in range(256)], dtype=np.uint64) + np.uint64(1)
_P = np.uint64(0x9E3779B97F4A7C15)
_P_INV = np.uint64(pow(int(_P), -1, 1 << 64))
_Q = np.uint64(0xC2B2AE3D27D4EB4F)


def _powers(base: np.uint64, n: int) -> np.ndarray:
    out = np.full(max(n, 1), base, dtype=np.uint64)
    out[0] = 1
    with np.errstate(over="ignore"):
        return np.cumprod(out, dtype=np.uint64)


_POW_CACHE: dict[int, np.ndarray] = {}


def _cached_powers(base: np.uint64, n: int) -> np.ndarray:
    """base**0 .. base**(n-1) mod 2^64; the table doubles past the largest n asked so far."""
    have = _POW_CACHE.get(int(base))
    if have is None or len(have) < n:
        have = _powers(base, max(n, 1 << 16) * 2)
        _POW_CACHE[int(base)] = have
    return have[:n]


def word_hash_of(word: str) -> int:
    """The hash features() gives a lower-case ASCII word (used for the stopword list)."""
    arr = np.frombuffer(word.encode(), dtype=np.uint8)
    c = _LOWER[arr]
    with np.errstate(over="ignore"):
        raw = (c * _cached_powers(_P, len(arr))).sum(dtype=np.uint64)
        return int(_fmix64(np.array([raw + np.uint64(len(arr)) * _Q], dtype=np.uint64))[0])


@dataclass
class Chunk:
    """Features of a run of documents; doc indices are local to the chunk."""
    n_docs: int
    doc_hash: np.ndarray        # (n_docs,) uint64; 0 for texts without words
    n_words: np.ndarray         # (n_docs,) int64
    sh_doc: np.ndarray          # shingle -> local doc, sorted by (doc, shingle), unique
    sh: np.ndarray              # shingle hashes
    sent_doc: np.ndarray        # kept sentence -> local doc
    sent_fp: np.ndarray         # exact fingerprint of the sentence's words
    sent_keys: np.ndarray       # (sentences, SENT_BANDS) sketch keys
    term_doc: np.ndarray        # story term occurrences (doc, term hash)
    term: np.ndarray


SENT_BANDS, SENT_ROWS = 2, 2
_SENT_SEEDS = np.array([_hash64(f"sentence-seed-{i}") for i in range(SENT_BANDS * SENT_ROWS)], dtype=np.uint64)


def _segment_sum(values: np.ndarray, seg: np.ndarray, n: int) -> np.ndarray:
    """Sum (mod 2^64) of values per segment id (values sorted by segment)."""
    out = np.zeros(n, dtype=np.uint64)
    if len(values):
        starts = np.flatnonzero(np.r_[True, seg[1:] != seg[:-1]])
        with np.errstate(over="ignore"):
            out[seg[starts]] = np.add.reduceat(values, starts)
    return out


def _in_sorted(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """values in sorted_set, by binary search (np.isin would sort all the values)."""
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    idx = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[idx] == values


def _doc_hash_order(doc: np.ndarray, h: np.ndarray) -> np.ndarray:
    """An order of (doc, hash) pairs by doc, then hash: what np.lexsort((h, doc)) sorts by.

    One argsort of a packed uint64 key (doc in the top 24 bits, the hash's top 40 bits
    below) is 2-3x faster than lexsort's two passes. Equal packed keys are harmless when
    their hashes are equal (the pairs are the same); a true 40-bit collision inside one
    document, or more than 2^24 documents, falls back to lexsort, so the result is always
    the lexsort order up to the order of identical pairs.
    """
    if not len(h) or int(doc.max()) >= 1 << 24 or int(doc.min()) < 0:
        return np.lexsort((h, doc))
    key = (doc.astype(np.uint64) << np.uint64(40)) | (h >> np.uint64(24))
    order = np.argsort(key)
    ks, hs = key[order], h[order]
    if ((ks[1:] == ks[:-1]) & (hs[1:] != hs[:-1])).any():
        return np.lexsort((h, doc))
    return order


def _runs(sorted_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Values, first positions and lengths of the runs of a sorted array (np.unique without the sort)."""
    if not len(sorted_ids):
        e = np.empty(0, np.int64)
        return sorted_ids[:0], e, e
    first = np.flatnonzero(np.r_[True, sorted_ids[1:] != sorted_ids[:-1]])
    return sorted_ids[first], first, np.diff(np.r_[first, len(sorted_ids)])


@dataclass
class _Words:
    """The words of a chunk's bytes, in byte order (the per-word arrays), and per-doc totals."""
    n_docs: int
    starts: np.ndarray          # first byte of the word
    ends: np.ndarray            # last byte of the word (inclusive)
    lengths: np.ndarray         # int64 bytes
    hashes: np.ndarray          # uint64, case-folded (word_hash_of)
    doc: np.ndarray             # local doc of the word (increasing)
    n_words: np.ndarray         # (n_docs,) int64
    doc_hash: np.ndarray        # (n_docs,) uint64 hash of the doc's word sequence; 0 without words


def features(texts: list[str], k: int, stop_hashes: np.ndarray) -> Chunk:
    """Words, k-word shingles, sentence keys and story terms of a chunk of texts.

    The texts are joined into one byte array (NUL between documents) with ASCII quotation
    marks removed, so that every step below is a few numpy passes over the whole chunk.
    """
    blob = b"\x00".join(encode_text(t) for t in texts) + b"\x00"
    raw = np.frombuffer(blob, dtype=np.uint8)
    arr = raw[~_IS_QUOTE[raw]]
    words = _words(arr, len(texts))
    sh_doc, sh = _shingles(words, k)
    sent_doc, sent_fp, sent_keys = _sentence_keys(arr, words)
    term_doc, term = _story_terms(arr, words, stop_hashes)
    return Chunk(words.n_docs, words.doc_hash, words.n_words, sh_doc, sh, sent_doc, sent_fp, sent_keys, term_doc, term)


def _words(arr: np.ndarray, n_docs: int) -> _Words:
    """Word boundaries and hashes from prefix sums: a word's polynomial hash is a difference
    of two prefix sums, rescaled by an inverse power (no per-word Python loop)."""
    docsep = arr == 0
    doc_at = np.cumsum(docsep) - docsep  # doc index of every byte
    word = _IS_WORD[arr]
    prev_word = np.r_[False, word[:-1]]
    next_word = np.r_[word[1:], False]
    starts = np.flatnonzero(word & ~prev_word)
    ends = np.flatnonzero(word & ~next_word)  # inclusive
    lengths = (ends - starts + 1).astype(np.int64)
    n = len(arr)
    c = _LOWER[arr]
    with np.errstate(over="ignore"):
        pre = np.cumsum(c * _cached_powers(_P, n), dtype=np.uint64)
        before = np.where(starts > 0, pre[np.maximum(starts - 1, 0)], np.uint64(0))
        wh = (pre[ends] - before) * _cached_powers(_P_INV, n)[starts]
        wh = _fmix64(wh + lengths.astype(np.uint64) * _Q)
    wdoc = doc_at[starts]
    n_words = np.bincount(wdoc, minlength=n_docs).astype(np.int64)
    first_word = np.cumsum(n_words) - n_words
    W = len(wh)
    pos_in_doc = np.arange(W) - first_word[wdoc]
    with np.errstate(over="ignore"):
        dsum = _segment_sum(wh * _cached_powers(_Q, max(W, 1))[pos_in_doc], wdoc, n_docs)
        doc_hash = _fmix64(dsum + n_words.astype(np.uint64) * _P)
    doc_hash[n_words == 0] = 0
    return _Words(n_docs, starts, ends, lengths, wh, wdoc, n_words, doc_hash)


def _shingles(words: _Words, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(doc, shingle hash) of every k-word shingle, sorted by doc then hash, unique.

    A text of fewer than k words has no shingle: it gets its whole-text hash instead, so
    that it can only match the same short text, never every other short text.
    """
    wh, wdoc = words.hashes, words.doc
    W = len(wh)
    if W >= k:
        m = W - k + 1
        acc = np.zeros(m, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for j in range(k):
                acc += wh[j : j + m] * _POSITION_MULTIPLIERS[j % 64]
        valid = wdoc[k - 1 :] == wdoc[:m]  # the shingle's words are all in one document
        sh, sh_doc = _fmix64(acc[valid]), wdoc[:m][valid]
    else:
        sh, sh_doc = np.empty(0, np.uint64), np.empty(0, np.int64)
    short = np.flatnonzero((words.n_words > 0) & (words.n_words < k))
    sh = np.concatenate([sh, words.doc_hash[short]])
    sh_doc = np.concatenate([sh_doc, short])
    if not len(sh):  # a chunk of texts without words (the mask below needs one element)
        return sh_doc, sh
    order = _doc_hash_order(sh_doc, sh)
    sh, sh_doc = sh[order], sh_doc[order]
    keep = np.r_[True, (sh[1:] != sh[:-1]) | (sh_doc[1:] != sh_doc[:-1])]
    return sh_doc[keep], sh[keep]


def _sentence_keys(arr: np.ndarray, words: _Words) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(doc, exact fingerprint, SENT_BANDS sketch keys) of each sentence of MIN_SENTENCE_WORDS+ words.

    A sketch key is a min-hash band over the sentence's 3-word shingles, so that a sentence
    with a word or two changed still shares a key with its source.
    """
    wh, wdoc, starts = words.hashes, words.doc, words.starts
    # sentence ends: a newline, or [.!?] (and a closing bracket) then space then a capital or
    # digit (the look-ahead is tested at the [.!?] bytes only, not shifted copies of every byte)
    boundary = (arr == 0) | (arr == 10)
    e = np.flatnonzero(_IS_END[arr])
    if len(e):
        padded = np.r_[arr, np.zeros(3, np.uint8)]
        a1, a2, a3 = padded[e + 1], padded[e + 2], padded[e + 3]
        boundary[e[(_IS_SPACE[a1] & (_IS_UPPER_OR_DIGIT[a2] | (_IS_OPEN[a2] & _IS_UPPER_OR_DIGIT[a3])))
                   | (_IS_CLOSE[a1] & _IS_SPACE[a2] & _IS_UPPER_OR_DIGIT[a3])]] = True
    sent_at = np.cumsum(boundary)
    wsent = sent_at[starts]  # increasing
    sent_ids, sent_first, sent_len = _runs(wsent)
    good = sent_len >= MIN_SENTENCE_WORDS
    sent_doc = wdoc[sent_first[good]]
    if not good.any():
        return sent_doc, np.empty(0, np.uint64), np.empty((0, SENT_BANDS), np.uint64)
    local = np.searchsorted(sent_ids, wsent)  # 0..S-1 per word
    word_ok = good[local]
    ww, wl = wh[word_ok], local[word_ok]
    _, seg_first, seg_len = _runs(wl)
    seg = np.repeat(np.arange(len(seg_first)), seg_len)
    pos = np.arange(len(ww)) - seg_first[seg]
    with np.errstate(over="ignore"):
        sent_fp = _fmix64(_segment_sum(ww * _cached_powers(_Q, len(ww) + 1)[pos], seg, len(seg_first)) + seg_len.astype(np.uint64))
        m3 = len(ww) - 2
        sh3 = ww[:m3] * _POSITION_MULTIPLIERS[0] + ww[1 : m3 + 1] * _POSITION_MULTIPLIERS[1] + ww[2:] * _POSITION_MULTIPLIERS[2]
    ok3 = seg[2:] == seg[:m3]
    sh3, seg3 = _fmix64(sh3[ok3]), seg[:m3][ok3]
    starts3 = np.flatnonzero(np.r_[True, seg3[1:] != seg3[:-1]])
    mins = np.empty((len(seg_first), SENT_BANDS * SENT_ROWS), dtype=np.uint64)
    for r in range(SENT_BANDS * SENT_ROWS):
        mins[:, r] = np.minimum.reduceat(_fmix64(sh3 ^ _SENT_SEEDS[r]), starts3)
    with np.errstate(over="ignore"):
        mixed = (mins.reshape(-1, SENT_BANDS, SENT_ROWS) * _POSITION_MULTIPLIERS[:SENT_ROWS]).sum(axis=2, dtype=np.uint64)
        sent_keys = _fmix64(mixed + np.arange(SENT_BANDS, dtype=np.uint64)[None, :])
    return sent_doc, sent_fp, sent_keys


def _story_terms(arr: np.ndarray, words: _Words, stop_hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(doc, term hash) occurrences: content words of 3+ characters (starting with a letter,
    or all digits). Documents with fewer than MIN_STORY_TERMS have none.

    Capitalised words used to count twice (an '@name' term): on the dev stories that
    scored 0.932 at a sharp optimum against 0.934 on a plateau without, so names are
    plain words now (docs/dedup-eval.md)."""
    starts, ends, lengths, wh, wdoc = words.starts, words.ends, words.lengths, words.hashes, words.doc
    first = arr[starts]
    n_digits = np.cumsum(_IS_DIGIT[arr], dtype=np.int64)
    digit_count = n_digits[ends] - np.where(starts > 0, n_digits[np.maximum(starts - 1, 0)], 0)
    del n_digits
    content = (lengths >= 3) & (_IS_LETTER[first] | (digit_count == lengths)) & ~_in_sorted(wh, stop_hashes)
    term_doc, term = wdoc[content], wh[content]
    few = np.bincount(term_doc, minlength=words.n_docs) < MIN_STORY_TERMS
    keep = ~few[term_doc]
    return term_doc[keep], term[keep]


# ---------------------------------------------------------------------------
# Average-link clustering over a sparse graph
# ---------------------------------------------------------------------------


def average_link(n: int, edges: Iterable[tuple[int, int, float]] | tuple[np.ndarray, np.ndarray, np.ndarray],
                 threshold: float, impute: Iterable[float] | np.ndarray | None = None) -> list[int]:
    """Cluster label (smallest member) per node: agglomerate while the best average link is >= threshold.

    Missing edges count as similarity 0, so a cluster only absorbs a node (or cluster) that
    is, on average, similar to all of its members: weak links cannot chain clusters together.
    Ties are broken by the clusters' smallest members, so the result does not depend on
    the order of the edges.

    impute (optional, one weight r_i per node) fills a missing edge with r_i * r_j instead
    of 0. On a top-k graph a pair missing from both nodes' k best is at most as similar as
    their k-th neighbours, so r_i = sqrt(gamma * kth_i) bounds it; a node with fewer than k
    candidates has r_i = 0, and its missing edges stay 0 (no chaining through it). Only
    clusters joined by at least one real edge are ever merged.

    edges: (i, j, s) tuples, or three arrays.
    """
    if isinstance(edges, tuple) and len(edges) == 3 and isinstance(edges[0], np.ndarray):
        a, b, s = (np.asarray(e) for e in edges)
    else:
        lst = list(edges)
        a = np.array([e[0] for e in lst], dtype=np.int64)
        b = np.array([e[1] for e in lst], dtype=np.int64)
        s = np.array([e[2] for e in lst], dtype=np.float64)
    r = np.zeros(n) if impute is None else np.asarray(list(impute) if not isinstance(impute, np.ndarray) else impute, dtype=np.float64)
    a, b, s = a.astype(np.int64), b.astype(np.int64), s.astype(np.float64)
    ok = a != b
    a, b, s = a[ok], b[ok], s[ok]
    # sums per pair of clusters of (s - r_i * r_j) over real edges: the imputed total of all
    # pairs of two clusters is then R_A * R_B, with R_A the sum of its members' r
    u, v = np.minimum(a, b), np.maximum(a, b)
    label = np.arange(n, dtype=np.int64)
    size = np.ones(n)
    u, v, d = _merge_pairs(u, v, s - r[a] * r[b], n)
    R = r.copy()
    # Reciprocal nearest neighbours, all merged at once per round. Average link is reducible
    # (a merged cluster's average to any other is a weighted mean of its parts'), so merging
    # every mutual-best pair at or above the threshold gives the merges the one-at-a-time
    # greedy order would; each round is a handful of numpy passes over the remaining edges.
    while len(u):
        avg = (d + R[u] * R[v]) / (size[u] * size[v])
        # a cluster with no neighbour at the threshold never merges again (its average to a
        # merged cluster is a mean of averages below it): drop it and its edges
        hot = avg >= threshold
        live = np.zeros(n, dtype=bool)
        live[u[hot]] = True
        live[v[hot]] = True
        keep = live[u] & live[v]
        u, v, d, avg, hot = u[keep], v[keep], d[keep], avg[keep], hot[keep]
        if not hot.any():
            break
        ends = np.concatenate([u[hot], v[hot]])
        other = np.concatenate([v[hot], u[hot]])
        val = np.concatenate([avg[hot], avg[hot]])
        # each cluster's best neighbour, ties to the smallest id (ufunc.at: np.lexsort is
        # several times slower than these passes)
        top = np.full(n, -np.inf)
        np.maximum.at(top, ends, val)
        at_top = val == top[ends]
        best = np.full(n, n, dtype=np.int64)
        np.minimum.at(best, ends[at_top], other[at_top])
        cand = np.flatnonzero(best < n)
        mutual = cand[(best[best[cand]] == cand) & (cand < best[cand])]
        if len(mutual) < 32:
            break  # few merges left: the heap below is cheaper than more rounds
        gone = best[mutual]
        label[gone] = mutual  # a cluster is named by its smallest member
        size[mutual] += size[gone]
        R[mutual] += R[gone]
        size[gone] = 0
        # edges join live clusters only, and a merge points the gone one at a live one,
        # so one lookup gives each end's new cluster
        nu, nv = label[u], label[v]
        x, y = np.minimum(nu, nv), np.maximum(nu, nv)
        u, v, d = _merge_pairs(x, y, d, n)
    if len(u):
        merged = _average_link_heap(u, v, d, size, R, threshold)
        for g, k in merged:
            label[g] = k
    # roots: follow labels until fixed (merges only ever point at smaller ids)
    while True:
        nxt = label[label]
        if (nxt == label).all():
            break
        label = nxt
    return label.tolist()


def _merge_pairs(u: np.ndarray, v: np.ndarray, d: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unique (u, v) pairs (u < v; self pairs dropped) with their d summed."""
    ok = u != v
    u, v, d = u[ok], v[ok], d[ok]
    key = u * n + v
    order = np.argsort(key, kind="stable")
    key, d = key[order], d[order]
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.empty(0, np.int64)
    sums = np.add.reduceat(d, first) if len(first) else d[:0]
    key = key[first]
    return key // n, key % n, sums


def _average_link_heap(u: np.ndarray, v: np.ndarray, d: np.ndarray, size_arr: np.ndarray, r_arr: np.ndarray,
                       threshold: float) -> list[tuple[int, int]]:
    """The greedy average link, one merge at a time, on a (contracted) graph; (gone, kept) merges."""
    size = {}
    r = {}
    sums: dict[int, dict[int, float]] = defaultdict(dict)
    for x, y, dd in zip(u.tolist(), v.tolist(), d.tolist()):
        sums[x][y] = sums[x].get(y, 0.0) + dd
        sums[y][x] = sums[y].get(x, 0.0) + dd
    for c in sums:
        size[c] = float(size_arr[c])
        r[c] = float(r_arr[c])

    def best(c: int) -> tuple[float, int, int, int] | None:
        """Heap entry for cluster c: its most similar neighbour, if at or above threshold."""
        top = None
        rc, sc = r[c], size[c]
        for o, s in sums[c].items():
            avg = (s + rc * r[o]) / (sc * size[o])
            if avg >= threshold:
                entry = (-avg, c, o, c) if c < o else (-avg, o, c, c)
                if top is None or entry < top:
                    top = entry
        return top

    # One entry per cluster (its best neighbour), refreshed lazily. A cluster's best never
    # rises (see average_link), so an entry is an upper bound, and an entry that is still
    # exact when popped is the global best.
    heap = [e for e in (best(c) for c in sorted(sums)) if e is not None]
    heapq.heapify(heap)
    alive = dict.fromkeys(sums, True)
    merges = []
    while heap:
        neg, a, b, owner = heapq.heappop(heap)
        if not alive[owner]:
            continue
        other = b if owner == a else a
        if not alive[other] or abs((sums[a].get(b, 0.0) + r[a] * r[b]) / (size[a] * size[b]) + neg) > 1e-12:
            e = best(owner)  # stale: look again
            if e is not None:
                heapq.heappush(heap, e)
            continue
        # merge b into a (a is the smaller id: clusters are named by their smallest member)
        keep, gone = a, b
        alive[gone] = False
        merges.append((gone, keep))
        size[keep] += size[gone]
        r[keep] += r[gone]
        for c, s in sums[gone].items():
            if c == keep:
                continue
            sums[keep][c] = sums[keep].get(c, 0.0) + s
            del sums[c][gone]
            sums[c][keep] = sums[keep][c]
        sums[keep].pop(gone, None)
        sums[gone] = {}
        e = best(keep)
        if e is not None:
            heapq.heappush(heap, e)
    return merges


# ---------------------------------------------------------------------------
# MinHash (one permutation, densified) and candidate pairs in DuckDB
# ---------------------------------------------------------------------------

_EMPTY32 = np.uint32(0xFFFFFFFF)
_DUCKDB_MEMORY = "600MB"


def oph_signatures(sh_doc: np.ndarray, sh: np.ndarray, n_docs: int, num_perm: int) -> np.ndarray:
    """One-permutation MinHash: each shingle hash falls in one of num_perm bins by its low
    bits and competes there with its high 32 bits; an empty bin borrows (rehashed) from
    the next non-empty bin to its right (Shrivastava and Li's densification).

    One hash per shingle instead of num_perm: the signature costs O(shingles), and the
    match rate of two signatures still estimates the Jaccard of the two shingle sets.
    """
    sig = np.full((n_docs, num_perm), _EMPTY32, dtype=np.uint32)
    if len(sh):
        bins = (sh % np.uint64(num_perm)).astype(np.int64)
        vals = (sh >> np.uint64(32)).astype(np.uint32)
        vals[vals == _EMPTY32] -= 1
        np.minimum.at(sig, (sh_doc, bins), vals)
    rows = np.flatnonzero((sig == _EMPTY32).any(axis=1) & (sig != _EMPTY32).any(axis=1))
    if len(rows):
        sub = sig[rows]
        base = sub.copy()
        empty = sub == _EMPTY32
        for d in range(1, num_perm):
            src = np.roll(base, -d, axis=1)
            fill = empty & (src != _EMPTY32)
            if fill.any():
                with np.errstate(over="ignore"):
                    val = _fmix64(src[fill].astype(np.uint64) + np.uint64(d) * _Q) >> np.uint64(33)
                sub[fill] = val.astype(np.uint32)
                empty &= ~fill
            if not empty.any():
                break
        sig[rows] = sub
    return sig


def _sql(query: str, **tables: pa.Table) -> dict[str, np.ndarray]:
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("SET preserve_insertion_order = false")
        con.execute("SET enable_progress_bar = false")
        # bounded memory: DuckDB spills to its temporary directory beyond this
        con.execute(f"SET memory_limit = '{_DUCKDB_MEMORY}'")
        con.execute(f"SET temp_directory = '{Path(tempfile.gettempdir()) / 'counterclaim-dedup-duckdb'}'")
        for name, table in tables.items():
            con.register(name, table)
        return con.execute(query).fetchnumpy()
    finally:
        con.close()


def _pair_array(out: dict[str, np.ndarray]) -> np.ndarray:
    """(n, 2) int64 of a query's a, b columns."""
    if not len(out["a"]):
        return np.empty((0, 2), np.int64)
    return np.stack([out["a"], out["b"]], axis=1).astype(np.int64)


def lsh_params(settings: Settings) -> tuple[int, int]:
    """Bands and rows for candidate generation, tuned below the Jaccard threshold.

    Candidates are cheap to reject (signature estimate, then true Jaccard) while a missed
    pair is lost for good, so the LSH threshold sits 0.15 below the verified one and false
    negatives weigh four times false positives.
    """
    lsh_threshold = max(0.3, settings.near_duplicate_jaccard - 0.15)
    from datasketch.lsh import _optimal_param

    return _optimal_param(lsh_threshold, settings.minhash_permutations, 0.2, 0.8)


def lsh_candidates(signatures: np.ndarray, bands: int, rows: int, max_postings: int = 1000) -> np.ndarray:
    """Doc index pairs (a < b) that agree on every row of at least one band (a DuckDB join).

    A band bucket held by more than max_postings documents is dropped: at that size it is
    boilerplate, and verifying all its pairs would be quadratic.
    """
    n = len(signatures)
    if n < 2:
        return np.empty((0, 2), np.int64)
    mult = np.array([_hash64(f"band-row-{i}") | 1 for i in range(rows)], dtype=np.uint64)
    hashes = []
    for band in range(bands):
        block = signatures[:, band * rows : (band + 1) * rows].astype(np.uint64)
        with np.errstate(over="ignore"):
            hashes.append(_fmix64((block * mult[None, :]).sum(axis=1, dtype=np.uint64) + np.uint64(band)))
    import pyarrow as pa

    # The band id is folded into the hash, so a join on the hash alone is a join on (band, hash).
    table = pa.table({"doc": np.tile(np.arange(n, dtype=np.int32), bands), "key": np.concatenate(hashes)})
    out = _sql(
        f"""
        WITH kept AS (SELECT doc, key FROM keys QUALIFY count(*) OVER (PARTITION BY key) BETWEEN 2 AND {int(max_postings)})
        SELECT DISTINCT x.doc AS a, y.doc AS b
        FROM kept x JOIN kept y ON x.key = y.key AND x.doc < y.doc
        ORDER BY 1, 2
        """,
        keys=table,
    )
    return _pair_array(out)


def true_jaccard(x: np.ndarray, y: np.ndarray) -> float:
    if len(x) == 0 or len(y) == 0:
        return 0.0
    inter = len(np.intersect1d(x, y, assume_unique=True))
    return inter / (len(x) + len(y) - inter)


# ---------------------------------------------------------------------------
# All features of the corpus, chunk by chunk
# ---------------------------------------------------------------------------


@dataclass
class _Prepared:
    docs: list[dict]                 # sorted by doc_id
    doc_hash: np.ndarray             # hash of the normalised words; 0 for texts without words
    sh_ptr: np.ndarray               # CSR offsets into sh, per doc
    sh: np.ndarray                   # unique shingle hashes per doc (high 32 bits), sorted
    sig: np.ndarray                  # (docs, num_perm) one-permutation MinHash
    sent_doc: np.ndarray
    sent_fp: np.ndarray
    sent_keys: np.ndarray
    term_doc: np.ndarray             # unique (doc, term) with counts
    term: np.ndarray
    term_count: np.ndarray

    def shingles(self, i: int) -> np.ndarray:
        return self.sh[self.sh_ptr[i] : self.sh_ptr[i + 1]]


_STOP_HASHES: np.ndarray | None = None
_MALLOC_TRIM: Any = None  # glibc's malloc_trim, False where there is none; looked up once


def _stop_hashes() -> np.ndarray:
    global _STOP_HASHES
    if _STOP_HASHES is None:
        _STOP_HASHES = np.unique(np.array([word_hash_of(w) for w in _STOPWORDS], dtype=np.uint64))
    return _STOP_HASHES


def _release_free_memory() -> None:
    """Hand freed heap memory back to the OS (glibc only; elsewhere a no-op).

    numpy arrays under glibc's (adaptive, up to 32 MB) mmap threshold live on the heap, and
    freeing them keeps the pages: without this, the per-chunk arrays, freed once joined,
    still counted about 700 MB in the 100k run's peak, and a worker kept ~600 MB.
    """
    global _MALLOC_TRIM
    if _MALLOC_TRIM is None:
        try:
            import ctypes

            _MALLOC_TRIM = ctypes.CDLL(None).malloc_trim
        except (OSError, AttributeError):
            _MALLOC_TRIM = False
    if _MALLOC_TRIM:
        _MALLOC_TRIM(0)


def _chunk_features(texts: list[str], offset: int, shingle_words: int, num_perm: int, trim: bool = False) -> dict[str, np.ndarray]:
    """The map step: compact per-chunk arrays (doc indices shifted by offset, the chunk's first doc)."""
    try:
        return _chunk_arrays(texts, offset, shingle_words, num_perm)
    finally:
        if trim:  # in a worker: the chunk's ~175 MB of temporaries are freed now
            _release_free_memory()


def _chunk_arrays(texts: list[str], offset: int, shingle_words: int, num_perm: int) -> dict[str, np.ndarray]:
    ch = features(texts, shingle_words, _stop_hashes())
    # story terms, counted per document
    order = _doc_hash_order(ch.term_doc, ch.term)
    td, tt = ch.term_doc[order], ch.term[order]
    first = np.flatnonzero(np.r_[True, (td[1:] != td[:-1]) | (tt[1:] != tt[:-1])]) if len(td) else np.empty(0, np.int64)
    sig = oph_signatures(ch.sh_doc, ch.sh, ch.n_docs, num_perm)
    # The shingle sets are kept for the true Jaccard only: their high 32 bits (still
    # sorted within a doc) halve the memory, and a collision inside one pair is negligible.
    sh32 = (ch.sh >> np.uint64(32)).astype(np.uint32)
    distinct = np.r_[True, (sh32[1:] != sh32[:-1]) | (ch.sh_doc[1:] != ch.sh_doc[:-1])] if len(sh32) else np.empty(0, bool)
    return {
        "doc_hash": ch.doc_hash, "sh_count": np.bincount(ch.sh_doc[distinct], minlength=ch.n_docs), "sh": sh32[distinct],
        "sig": sig,
        "sent_doc": ch.sent_doc + offset, "sent_fp": ch.sent_fp, "sent_keys": ch.sent_keys,
        "term_doc": (td[first] + offset).astype(np.int32), "term": tt[first],
        "term_count": np.diff(np.r_[first, len(td)]).astype(np.int32),
    }


# Below this many chunks (of chunk_chars each) the features run in this process: starting a
# worker (a fresh interpreter importing numpy) costs about 0.3 s, a chunk about 0.15 s.
MIN_PARALLEL_CHUNKS = 4
# Set by _prepare: how the last features stage ran (workers used, and why not in parallel).
LAST_FEATURES: dict[str, Any] = {}


def _map_chunks(docs: list[dict], spans: list[tuple[int, int]], settings: Settings, workers: int,
                executor: str) -> Iterable[dict[str, np.ndarray]]:
    """_chunk_features of every span, in span order (so the concatenation does not depend on workers).

    With workers > 1, workers - 1 helpers (spawned processes, or threads for comparison:
    numpy releases the GIL but encode_text does not) take chunks from the front while this
    process computes the next free chunk itself: it would otherwise wait idle, and it starts
    at once, while the helpers are still importing numpy. Spawned helpers import the
    caller's main script, which therefore needs the usual ``if __name__ == "__main__":``
    guard. If the pool cannot start or breaks (a daemonic caller, no semaphores, a killed
    helper), the remaining chunks run here, with a warning.
    """
    k, perm = settings.shingle_words, settings.minhash_permutations

    def texts(span: tuple[int, int]) -> list[str]:
        return [d.get("text") or "" for d in docs[span[0] : span[1]]]

    done = 0
    if workers > 1:
        from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        helpers = workers - 1
        trim = executor != "threads"
        try:
            if executor == "threads":
                pool: Any = ThreadPoolExecutor(helpers)
            else:
                import multiprocessing

                # spawn, not fork: the caller may hold threads (Prefect, DuckDB), and fork
                # would copy the parent's pages (the corpus) into each helper's RSS
                pool = ProcessPoolExecutor(helpers, mp_context=multiprocessing.get_context("spawn"))
            with pool:
                # chunk index -> Future (a helper's) or result (this process's); at most 2
                # chunks per helper queued, so texts are pickled as they go
                held: dict[int, Any] = {}
                nxt = 0
                while done < len(spans):
                    while nxt < len(spans) and sum(isinstance(v, Future) for v in held.values()) < 2 * helpers:
                        held[nxt] = pool.submit(_chunk_features, texts(spans[nxt]), spans[nxt][0], k, perm, trim)
                        nxt += 1
                    head = held.get(done)
                    if isinstance(head, Future) and not head.done() and nxt < len(spans) and len(held) < 4 * workers:
                        held[nxt] = _chunk_features(texts(spans[nxt]), spans[nxt][0], k, perm, trim)
                        nxt += 1
                        LAST_FEATURES["here"] = LAST_FEATURES.get("here", 0) + 1
                        continue
                    res = held.pop(done)
                    done += 1
                    yield res.result() if isinstance(res, Future) else res
            return
        except (BrokenProcessPool, OSError, AssertionError, RuntimeError) as exc:
            log.warning("dedup features: worker pool failed (%s: %s); computing the remaining %d chunks here",
                        type(exc).__name__, exc, len(spans) - done)
    for span in spans[done:]:
        yield _chunk_features(texts(span), span[0], k, perm)


def _chunk_spans(sizes: list[int], chunk_chars: int) -> list[tuple[int, int]]:
    """Consecutive [i, j) runs of at most chunk_chars characters (a longer text is a chunk alone)."""
    spans, i = [], 0
    while i < len(sizes):
        j, total = i, 0
        while j < len(sizes) and (j == i or total + sizes[j] <= chunk_chars):
            total += sizes[j]
            j += 1
        spans.append((i, j))
        i = j
    return spans


def _prepare(documents: list[dict], settings: Settings, chunk_chars: int = 1_500_000, workers: int | None = None,
             executor: str = "processes") -> _Prepared:
    """Sort the documents by doc_id and compute the features of each chunk of ~chunk_chars characters.

    The chunks are independent (a map step): with workers > 1 (default settings.dedup_workers,
    at most the CPU count) and at least MIN_PARALLEL_CHUNKS chunks they run in worker
    processes; the results are joined in chunk order, so the output is the same.
    """
    docs = sorted(documents, key=lambda d: d["doc_id"])
    spans = _chunk_spans([len(d.get("text") or "") for d in docs], chunk_chars)
    if workers is None:
        workers = settings.dedup_workers
    workers = max(1, min(workers, os.cpu_count() or 1, len(spans)))
    if len(spans) < MIN_PARALLEL_CHUNKS:
        workers = 1
    LAST_FEATURES.clear()
    LAST_FEATURES.update(chunks=len(spans), workers=workers, executor=executor if workers > 1 else "serial")

    parts: dict[str, list] = defaultdict(list)
    for res in _map_chunks(docs, spans, settings, workers, executor):
        for key, value in res.items():
            parts[key].append(value)
    if not docs:
        z = np.empty(0, np.uint64)
        return _Prepared(docs, z, np.zeros(1, np.int64), z, np.empty((0, settings.minhash_permutations), np.uint32),
                         np.empty(0, np.int64), z, np.empty((0, SENT_BANDS), np.uint64), np.empty(0, np.int32), z, np.empty(0, np.int32))
    cat = {}
    for k in list(parts):
        cat[k] = np.concatenate(parts.pop(k))  # pop: each list is freed once joined
        _release_free_memory()
    sh_ptr = np.r_[0, np.cumsum(cat["sh_count"])].astype(np.int64)
    return _Prepared(docs, cat["doc_hash"], sh_ptr, cat["sh"], cat["sig"], cat["sent_doc"], cat["sent_fp"],
                     cat["sent_keys"], cat["term_doc"], cat["term"], cat["term_count"])


# ---------------------------------------------------------------------------
# The stages
# ---------------------------------------------------------------------------


def _exact_groups(prep: _Prepared) -> dict[int, list[int]]:
    """Representative index -> indices of docs with the same normalised text (non-empty)."""
    groups: dict[int, list[int]] = defaultdict(list)
    for i, h in enumerate(prep.doc_hash.tolist()):
        if h:
            groups[h].append(i)
    out = {}
    for members in groups.values():
        if len(members) > 1:
            members.sort(key=lambda i: canonical_key(prep.docs[i]))
        out[members[0]] = members
    return out


def _near_duplicate_edges(prep: _Prepared, reps: list[int], settings: Settings) -> list[tuple[int, int, float]]:
    """Verified (i, j, jaccard) between exact-group representatives, i < j."""
    reps_arr = np.array([r for r in reps if prep.sh_ptr[r + 1] > prep.sh_ptr[r]], dtype=np.int64)
    if len(reps_arr) < 2:
        return []
    sig = prep.sig[reps_arr]
    bands, rows = lsh_params(settings)
    pairs = lsh_candidates(sig, bands, rows)
    if not len(pairs):
        return []
    # The signature estimate rejects most band collisions cheaply; 0.15 is > 4 standard
    # errors of the estimate at 128 bins, so true near-duplicates survive.
    estimate = np.empty(len(pairs))
    for s in range(0, len(pairs), 100_000):
        p = pairs[s : s + 100_000]
        estimate[s : s + 100_000] = (sig[p[:, 0]] == sig[p[:, 1]]).mean(axis=1)
    pairs = pairs[estimate >= settings.near_duplicate_jaccard - 0.15]
    edges = []
    for a, b in reps_arr[pairs].tolist():
        j = true_jaccard(prep.shingles(a), prep.shingles(b))
        if j >= settings.near_duplicate_jaccard:
            edges.append((min(a, b), max(a, b), j))
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
    linked = sorted(set(neighbours), key=lambda i: canonical_key(prep.docs[i]))
    for rep in linked:
        if rep in owner:
            continue
        owner[rep] = rep
        for other in sorted(neighbours[rep]):
            owner.setdefault(other, rep)
    copy_of = {}
    for rep, members in exact.items():
        head = owner.get(rep, rep)
        for m in members:
            if m != head:
                copy_of[m] = head
    return copy_of


REWRITE_WINDOW = 8  # each holder of a sentence key is paired with the next REWRITE_WINDOW holders


def _rewrite_edges(prep: _Prepared, canon: np.ndarray, settings: Settings, mark=lambda stage: None) -> list[tuple[int, int, float]]:
    """Verified (i, j, share) rewrites between canonical docs, i < j, at most rewrite_top_k per doc.

    A candidate whose exact share already reaches rewrite_sentence_share is a rewrite
    without further work; only the borderline pairs (enough sketch matches, too few exact
    ones) go to rapidfuzz.
    """
    cand_a, cand_b, exact_share = _rewrite_candidates(prep, canon, settings)
    mark("rewrite candidates")
    thr = settings.rewrite_sentence_share
    edges, cache = [], {}

    def sents(i: int) -> list[str]:
        if i not in cache:
            cache[i] = sentences(prep.docs[i].get("text") or "")
        return cache[i]

    for a, b, exact in zip(cand_a.tolist(), cand_b.tolist(), exact_share.tolist()):
        if exact >= thr:
            edges.append((a, b, float(exact)))
            continue
        short, long_ = sorted((sents(a), sents(b)), key=len)
        share = shared_sentence_share(short, long_, settings.rewrite_fuzzy_ratio)
        if share >= thr:
            edges.append((a, b, share))
    return edges


def _paraphrase_edges(prep: _Prepared, canon: np.ndarray, ea: np.ndarray, eb: np.ndarray, es: np.ndarray,
                      labels: np.ndarray, relation: dict, settings: Settings) -> list[tuple[int, int, float]]:
    """Rewrites in other words: pairs of one story whose cosine reaches
    rewrite_paraphrase_cosine and that no copy or rewrite relation links yet, when at least
    PARAPHRASE_MIN_SENTENCES and rewrite_sentence_share of the shorter article's sentences
    have a paraphrase (content-word Dice >= rewrite_paraphrase_dice) in the other.

    The candidates are the story graph's edges, so there are at most story_top_k per
    document; each document's sentences are read once. Like the other rewrites, a row is
    kept when it is among one end's rewrite_top_k strongest.
    """
    hot = (labels[ea] == labels[eb]) & (es >= settings.rewrite_paraphrase_cosine)
    cache: dict[int, list[frozenset[str]]] = {}

    def words(i: int) -> list[frozenset[str]]:
        if i not in cache:
            cache[i] = [content_words(s) for s in sentences(prep.docs[i].get("text") or "")]
        return cache[i]

    out = []
    for a, b in zip(canon[ea[hot]].tolist(), canon[eb[hot]].tolist()):
        if (a, b) in relation and relation[(a, b)][0] != SAME_STORY:
            continue
        short, long_ = sorted((words(a), words(b)), key=len)
        if len(short) < PARAPHRASE_MIN_SENTENCES:
            continue
        matched = paraphrased_sentences(short, long_, settings.rewrite_paraphrase_dice)
        share = matched / len(short)
        if matched >= PARAPHRASE_MIN_SENTENCES and share >= settings.rewrite_sentence_share:
            out.append((a, b, share))
    # as for rewrites of wording: each row is among one end's rewrite_top_k strongest
    # rewrites, those of wording included (they rank with index -1 and are kept anyway)
    k = int(settings.rewrite_top_k)
    ranked: dict[int, list[tuple[float, int, int]]] = {}
    known = [(a, b, score) for (a, b), (rel, score) in relation.items() if rel == REWRITE]
    for n, (a, b, share) in [(-1, e) for e in known] + list(enumerate(out)):
        ranked.setdefault(a, []).append((-share, b, n))
        ranked.setdefault(b, []).append((-share, a, n))
    keep = {n for lst in ranked.values() for _, _, n in sorted(lst)[:k]}
    return [e for n, e in enumerate(out) if n in keep]


def _rewrite_candidates(prep: _Prepared, canon: np.ndarray, settings: Settings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate rewrites (a, b, exact share) between canonical docs, a < b, sorted.

    DuckDB joins the canonical documents' sentence keys (an exact fingerprint of each
    sentence's words, and SENT_BANDS sketches over its 3-word shingles that survive small
    edits) and counts, per pair, the sentences of each side that match. A pair is a
    candidate when its matches reach 0.6 of rewrite_sentence_share of the shorter side, and
    it is among the rewrite_top_k best (by exact share, then estimated share) of one end.
    """
    import pyarrow as pa

    is_canon = np.zeros(len(prep.docs), dtype=bool)
    is_canon[canon] = True
    keep = is_canon[prep.sent_doc]
    sent_doc = prep.sent_doc[keep].astype(np.int32)
    if len(sent_doc) < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    bands = prep.sent_keys.shape[1]
    table = pa.table({
        "doc": np.concatenate([sent_doc, np.repeat(sent_doc, bands)]),
        "key": np.concatenate([prep.sent_fp[keep], prep.sent_keys[keep].ravel()]),
        # 0: exact fingerprint; 1..bands: sketch band
        "kind": np.concatenate([np.zeros(len(sent_doc), np.int8), np.tile(np.arange(1, bands + 1, dtype=np.int8), len(sent_doc))]),
    })
    counts = np.bincount(sent_doc, minlength=len(prep.docs)).astype(np.int32)
    n_sent = pa.table({"doc": np.flatnonzero(counts).astype(np.int32), "n": counts[counts > 0]})
    thr, k = settings.rewrite_sentence_share, int(settings.rewrite_top_k)
    leads = ", ".join(f"lead(doc, {d}) OVER w" for d in range(1, REWRITE_WINDOW + 1))
    out = _sql(
        f"""
        WITH kd AS (SELECT DISTINCT key, kind, doc FROM keys),
             -- a holder of a key is paired with the next W holders only (in doc order, the
             -- same for every key, so a family's pairs recur across its keys): a key held
             -- by p documents gives p * W pairs instead of p^2 / 2. lead() in the window
             -- that counts the holders finds them in one pass; a self-join on (key, rank)
             -- took twice as long and spilled to disk at 100k documents.
             held AS (SELECT doc AS a, kind, [{leads}] AS nxt FROM kd
                      WINDOW w AS (PARTITION BY key ORDER BY doc)
                      QUALIFY count(*) OVER (PARTITION BY key) BETWEEN 2 AND {int(settings.rewrite_max_postings)}),
             shared AS (SELECT a, b, kind, count(*) AS n FROM (SELECT a, kind, unnest(nxt) AS b FROM held)
                        WHERE b IS NOT NULL GROUP BY ALL),
             -- shared sentences ~ shared keys of one kind (a sentence has one key per kind)
             pairs AS (SELECT a, b, max(n) AS matched, coalesce(max(n) FILTER (WHERE kind = 0), 0) AS exact_matched
                       FROM shared GROUP BY a, b),
             scored AS (SELECT p.a, p.b, least(na.n, nb.n) AS nshort,
                               least(1.0, matched / least(na.n, nb.n)) AS est,
                               least(1.0, exact_matched / least(na.n, nb.n)) AS exact_share, matched
                        FROM pairs p JOIN n_sent na ON na.doc = p.a JOIN n_sent nb ON nb.doc = p.b),
             cand AS (SELECT * FROM scored WHERE matched >= greatest(1, ceil({thr} * nshort * 0.6))),
             both_ways AS (SELECT a AS doc, b AS other, est, exact_share FROM cand UNION ALL SELECT b, a, est, exact_share FROM cand),
             top AS (SELECT doc, other FROM both_ways
                     QUALIFY row_number() OVER (PARTITION BY doc ORDER BY exact_share DESC, est DESC, other) <= {k}),
             top_pairs AS (SELECT DISTINCT least(doc, other) AS a, greatest(doc, other) AS b FROM top)
        SELECT c.a, c.b, c.exact_share FROM cand c SEMI JOIN top_pairs USING (a, b)
        ORDER BY 1, 2
        """,
        keys=table, n_sent=n_sent,
    )
    return out["a"], out["b"], out["exact_share"]


def _tfidf(prep: _Prepared, canon: np.ndarray) -> tuple[sp.csr_matrix, np.ndarray]:
    """Sublinear TF-IDF rows (one per canonical doc), L2-normalised; and term document frequencies."""
    import scipy.sparse as sp

    pos = np.full(len(prep.docs), -1, dtype=np.int32)
    pos[canon] = np.arange(len(canon), dtype=np.int32)
    row = pos[prep.term_doc]
    keep = row >= 0
    del pos
    # (doc, term) pairs arrive sorted by doc, then term hash, and canon is increasing, so
    # the CSR arrays can be written directly: no COO copy, no index sort. A term's column
    # is its rank among the distinct hashes, which keeps each row's columns increasing.
    term = prep.term[keep] if not keep.all() else prep.term
    terms = np.unique(term)
    col = np.searchsorted(terms, term).astype(np.int32)
    del term
    data = np.log(prep.term_count[keep].astype(np.float64))
    data += 1.0
    indptr = np.zeros(len(canon) + 1, dtype=np.int64)
    np.cumsum(np.bincount(row[keep], minlength=len(canon)), out=indptr[1:])
    del row, keep
    x = sp.csr_matrix((data, col, indptr), shape=(len(canon), len(terms)))
    df = np.bincount(x.indices, minlength=len(terms))
    # Smoothed idf, as scikit-learn's: every term keeps a weight of at least 1. A plain
    # log(n/df) that drops terms of one document scored as well on the dev stories
    # (0.934 against 0.938) but in a folder of six articles left each one only the words
    # it shares, so that unrelated reports looked alike.
    idf = np.log((1.0 + len(canon)) / (1.0 + df)) + 1.0
    x.data *= idf[x.indices]
    lengths = np.diff(x.indptr)
    # bincount, not reduceat over indptr: reduceat fails when the last rows are empty
    norms = np.sqrt(np.bincount(np.repeat(np.arange(len(canon)), lengths), weights=x.data ** 2, minlength=len(canon)))
    scale = np.divide(1.0, norms, out=np.ones(len(canon)), where=norms > 0)
    x.data *= np.repeat(scale, lengths)
    return x, df


def row_dots(x: sp.csr_matrix, a: np.ndarray, b: np.ndarray, chunk: int = 20_000) -> np.ndarray:
    """Cosine of each pair (rows are L2-normalised), in chunks to bound memory."""
    out = np.empty(len(a))
    for i in range(0, len(a), chunk):
        out[i : i + chunk] = np.asarray(x[a[i : i + chunk]].multiply(x[b[i : i + chunk]]).sum(axis=1)).ravel()
    return out


_FIXED_POINT = float(1 << 20)


def story_candidates(x: sp.csr_matrix, df: np.ndarray, settings: Settings) -> np.ndarray:
    """Pairs (a < b) among each document's story_top_k best neighbours.

    Each document offers its story_top_terms heaviest terms held by 2..story_max_postings
    documents; DuckDB joins them, keeps pairs sharing at least MIN_SHARED_TERMS, scores them
    by the dot product over the shared terms and keeps, per document, the top story_top_k.
    The graph thus has at most story_top_k * n edges, whatever the size of a story.
    """
    n = x.shape[0]
    rows = np.repeat(np.arange(n, dtype=np.int32), np.diff(x.indptr))
    usable = (df[x.indices] >= 2) & (df[x.indices] <= settings.story_max_postings)
    r, t, w = rows[usable], x.indices[usable], x.data[usable]
    # heaviest first within each row, ties broken by term id (independent of input order)
    order = np.lexsort((t, -w, r))
    r, t, w = r[order], t[order], w[order]
    first = np.searchsorted(r, np.arange(n))
    rank = np.arange(len(r)) - first[r]
    top = rank < settings.story_top_terms
    import pyarrow as pa

    # Weights in fixed point: DuckDB adds a group's float products in whatever order its
    # threads meet them, so near-tied dot products (1e-16 apart at 15k documents) could
    # swap places at the top-k cut from one run to the next. Integer sums are exact.
    # 2^20 steps per unit: products stay below 2^40 and a sum of story_top_terms of them
    # far below 2^63; candidates are only ranked here, their cosine is recomputed exactly.
    wq = np.rint(w[top] * _FIXED_POINT).astype(np.int64)
    table = pa.table({"doc": r[top], "term": t[top].astype(np.int32), "w": wq})
    k = int(settings.story_top_k)
    out = _sql(
        f"""
        WITH p AS (SELECT x.doc AS a, y.doc AS b, sum(x.w * y.w) AS dot
                   FROM terms x JOIN terms y ON x.term = y.term AND x.doc < y.doc
                   GROUP BY ALL HAVING count(*) >= {MIN_SHARED_TERMS}),
             both_ways AS (SELECT a AS doc, b AS other, dot FROM p UNION ALL SELECT b, a, dot FROM p),
             top AS (SELECT doc, other FROM both_ways QUALIFY row_number() OVER (PARTITION BY doc ORDER BY dot DESC, other) <= {k})
        SELECT DISTINCT least(doc, other) AS a, greatest(doc, other) AS b FROM top ORDER BY 1, 2
        """,
        terms=table,
    )
    return _pair_array(out)


def _with_extra_edges(ea: np.ndarray, eb: np.ndarray, es: np.ndarray,
                      extra: list[tuple[int, int, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The edges (ea < eb) and the extra (i, j, s) links, one edge per pair, sorted by pair.

    A pair that is both a candidate and an extra link keeps its larger similarity.
    """
    if not extra:
        return ea, eb, es
    xa, xb, xs = (np.array(c) for c in zip(*extra))
    ea, eb = np.concatenate([ea, np.minimum(xa, xb)]), np.concatenate([eb, np.maximum(xa, xb)])
    es = np.concatenate([es, xs.astype(np.float64)])
    order = np.lexsort((-es, eb, ea))
    ea, eb, es = ea[order], eb[order], es[order]
    first = np.r_[True, (ea[1:] != ea[:-1]) | (eb[1:] != eb[:-1])]
    return ea[first], eb[first], es[first]


def _kth_neighbour_weights(a: np.ndarray, b: np.ndarray, cos: np.ndarray, n: int, k: int, gamma: float) -> np.ndarray:
    """average_link's impute weights: sqrt(gamma * each node's k-th best candidate cosine).

    A node with fewer than k candidates gets 0: its candidate list is complete, so a pair
    missing from it is not a near miss of the top-k cut.
    """
    ends = np.concatenate([a, b])
    cs = np.concatenate([cos, cos])
    order = np.lexsort((-cs, ends))
    ends, cs = ends[order], cs[order]
    first = np.searchsorted(ends, np.arange(n))
    count = np.bincount(ends, minlength=n)
    kth = np.zeros(n)
    full = count >= k
    kth[full] = cs[first[full] + k - 1]
    return np.sqrt(gamma * np.clip(kth, 0, None))


def exact_stories(settings: Settings, n_canonical: int) -> bool:
    """Whether n_canonical documents get exact average link (every pair compared) and the
    paraphrase check, rather than the bounded top-k graph."""
    return n_canonical <= settings.story_exact_max_docs


def story_threshold(settings: Settings, n_canonical: int) -> float:
    """The same-story threshold of the clustering that n_canonical documents get.

    The bounded top-k graph counts a pair it never compared as (nearly) 0, so its averages
    run lower than exact ones and it has a threshold of its own, also chosen on dev.
    """
    return settings.same_story_similarity if exact_stories(settings, n_canonical) else settings.same_story_similarity_bounded


def _condensed_distances(x: sp.csr_matrix, extra: list[tuple[int, int, float]], rows_per_block: int = 512) -> np.ndarray:
    """1 - cosine of every pair i < j, in scipy's condensed order, a block of rows at a time.

    extra links (i, j, s) raise a pair's similarity to s where s is larger (rewrites).
    Memory: the n(n-1)/2 doubles of the result plus one dense block of rows.
    """
    n = x.shape[0]
    out = np.empty(n * (n - 1) // 2)
    xt = x.T.tocsc()
    pos = 0
    for start in range(0, n, rows_per_block):
        stop = min(n, start + rows_per_block)
        block = (x[start:stop] @ xt).toarray()
        for k, i in enumerate(range(start, stop)):
            row = block[k, i + 1 :]
            out[pos : pos + len(row)] = 1.0 - row
            pos += len(row)
    if extra:
        i, j, s = (np.array(c) for c in zip(*extra))
        i, j = np.minimum(i, j).astype(np.int64), np.maximum(i, j).astype(np.int64)
        at = n * i - i * (i + 1) // 2 + (j - i - 1)
        np.minimum.at(out, at, 1.0 - s.astype(np.float64))
    np.clip(out, 0.0, None, out=out)
    return out


def exact_average_link(x: sp.csr_matrix, threshold: float, extra: list[tuple[int, int, float]] = ()) -> np.ndarray:
    """Cluster label (smallest member) per row of x: average link over every pair's cosine.

    The same criterion as average_link, with no pair left out: a cluster absorbs another
    while their mean similarity over all pairs is >= threshold. Average link has no
    inversions, so cutting scipy's dendrogram at 1 - threshold gives those clusters.
    """
    from scipy.cluster.hierarchy import fcluster, linkage

    n = x.shape[0]
    if n < 2:
        return np.arange(n, dtype=np.int64)
    flat = fcluster(linkage(_condensed_distances(x, list(extra)), method="average"), 1.0 - threshold, criterion="distance")
    # name each cluster by its smallest member, as average_link does
    first = np.full(flat.max() + 1, n, dtype=np.int64)
    np.minimum.at(first, flat, np.arange(n, dtype=np.int64))
    return first[flat]


def _story_labels(prep: _Prepared, canon: np.ndarray, settings: Settings, extra_edges: Iterable[tuple[int, int, float]] = (),
                  mark=lambda stage: None) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Story cluster label per canonical doc (position of its smallest member) and the edges (a < b, s).

    Up to story_exact_max_docs canonical documents, the clusters are exact average link over
    every pair; above it, average link over the bounded top-k candidate graph. The edges
    (listed as same-story rows) are the candidate graph's in both cases.
    """
    n = len(canon)
    empty = (np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0))
    if n == 0:
        return np.empty(0, np.int64), empty
    threshold = story_threshold(settings, n)
    extra = list(extra_edges)
    x, df = _tfidf(prep, canon)
    prep.term_doc = prep.term = prep.term_count = None  # the matrix holds them now
    mark("story tf-idf")
    cand = story_candidates(x, df, settings)
    mark("story candidates")
    a, b = cand[:, 0], cand[:, 1]
    cos = row_dots(x, a, b)
    ok = cos >= threshold * settings.story_edge_floor
    ea, eb, es = _with_extra_edges(a[ok], b[ok], cos[ok], extra)
    mark("story cosines")
    if exact_stories(settings, n):
        labels = exact_average_link(x, threshold, extra)
    else:
        impute = None
        if len(cand) and settings.story_impute > 0:
            impute = _kth_neighbour_weights(a, b, cos, n, int(settings.story_top_k), settings.story_impute)
        labels = np.array(average_link(n, (ea, eb, es), threshold, impute), dtype=np.int64)
    mark("average link")
    return labels, (ea, eb, es)


def _story_ids(docs: list[dict], copy_of: dict[int, int], canon: np.ndarray, labels: list[int]) -> list[str]:
    """Each doc's story id: "story-" and the smallest doc_id of its story, copies included.

    A copy takes its canonical's story. Naming a story by a member, not by a counter, keeps
    the id when unrelated articles are added. docs are sorted by doc_id, so the first index
    met per story is its smallest doc_id.
    """
    story_of_canon = dict(zip(canon.tolist(), labels))
    label_of = [story_of_canon[copy_of.get(i, i)] for i in range(len(docs))]
    smallest: dict[int, int] = {}
    for i, lab in enumerate(label_of):
        smallest.setdefault(lab, i)
    return ["story-" + docs[smallest[lab]]["doc_id"] for lab in label_of]


def deduplicate(documents: list[dict], settings: Settings) -> tuple[dict[str, dict], list[dict]]:
    """Copies, rewrites and stories of a set of documents.

    documents: dicts with doc_id and text; published_at and n_chars (if present) choose the
    canonical of a copy cluster (canonical_key); other fields are ignored.
    Returns ({doc_id: {"duplicate_of": str | None, "story_id": str}}, near_duplicate_rows).
    """
    LAST_RUN.clear()
    clock = [time.perf_counter()]

    def mark(stage: str) -> None:
        now = time.perf_counter()
        LAST_RUN[stage] = (now - clock[0], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        clock[0] = now

    prep = _prepare(documents, settings)
    mark("features")
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
    mark("copies")
    prep.sig = prep.sh = None  # shingles and signatures are not needed any more: free them

    # 3. rewrites and 4. stories, between canonical documents only
    canon = np.array([i for i in range(len(docs)) if i not in copy_of], dtype=np.int64)
    rewrites = [(a, b, s) for a, b, s in _rewrite_edges(prep, canon, settings, mark) if (a, b) not in relation]
    prep.sent_doc = prep.sent_fp = prep.sent_keys = None  # free the sentence keys
    for a, b, share in rewrites:
        add(a, b, REWRITE, share)
    mark("rewrite checks")

    position = {doc: k for k, doc in enumerate(canon.tolist())}
    threshold = story_threshold(settings, len(canon))
    rewrite_links = [(position[a], position[b], max(share, threshold)) for a, b, share in rewrites]
    labels, (ea, eb, es) = _story_labels(prep, canon, settings, rewrite_links, mark)
    del rewrite_links, rewrites
    inside = (labels[ea] == labels[eb]) & (es >= threshold)
    for p, q, s in zip(canon[ea[inside]].tolist(), canon[eb[inside]].tolist(), es[inside].tolist()):
        add(p, q, SAME_STORY, s)
    if exact_stories(settings, len(canon)):
        # about 0.25 ms a pair in Python (forced on the 10k corpus: 21,672 pairs, 5.3 s):
        # affordable for the folders that get exact stories, not ten times that at 100k,
        # where copies of wording still link
        for p, q, share in _paraphrase_edges(prep, canon, ea, eb, es, labels, relation, settings):
            add(p, q, REWRITE, share)
    del ea, eb, es
    mark("same-story rows, paraphrase checks")

    story_ids = _story_ids(docs, copy_of, canon, labels.tolist())
    clusters = {
        d["doc_id"]: {"duplicate_of": docs[copy_of[i]]["doc_id"] if i in copy_of else None, "story_id": story_ids[i]}
        for i, d in enumerate(docs)
    }
    mark("story ids")
    ordered = sorted(relation.items())
    del relation
    rows = [
        {"doc_id_a": docs[i]["doc_id"], "doc_id_b": docs[j]["doc_id"], "similarity": float(score), "relation": rel}
        for (i, j), (rel, score) in ordered
    ]
    mark("rows")
    return clusters, rows
