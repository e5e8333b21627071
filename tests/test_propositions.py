"""The vectorised proposition similarity equals its pairwise definition."""

from __future__ import annotations

import itertools
import json

import pytest

from flows.claims import claim_similarity, similarity_matrix

from conftest import CORPORA, SEEDS


def _sentences() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    body = CORPORA / "fnc1_train_bodies.jsonl"
    if body.exists():
        with open(body, encoding="utf-8") as fh:
            texts += [json.loads(next(fh))["text"] for _ in range(3)]
    sentences = [s.strip() for t in texts for s in t.replace("\n", " ").split(". ") if s.strip()]
    return sentences[::7][:40] + ["", "x", "said"]


def test_matrix_matches_pairwise_similarity():
    texts = _sentences()
    sim = similarity_matrix(texts)
    for i, j in itertools.combinations(range(len(texts)), 2):
        assert sim[i, j] == pytest.approx(claim_similarity(texts[i], texts[j]), abs=1e-5)
        assert sim[i, j] == sim[j, i]
