"""Property tests: the cleaner and the quote finder never crash on random text, and
their rows keep their invariants (offsets point at their text, fragments lie inside)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from flows.clean import classify_line, clean_article
from flows.ingest import RawArticle

QUOTE_CHARS = "“”‘’\"'«»–—"
ALPHABET = "abcdefghij KLMNOP xyz.,:;!?()@#/|-\n" + QUOTE_CHARS
WORDS = [
    "said", "says", "told", "denied", "claimed", "according to", "he", "she", "they", "Kirby", "John Kirby",
    "North Korea", "KCNA", "the ministry", "Russia", "groundless", "rumor", "arms", "The Moscow Times",
    "Read more", "Leave a Reply", "Subscribe", "Photo:", "AFP/Getty Images", "Support The Times!",
    "TAGS:", "a", "the", "and", ".", ",", ":", "?", "!", "\n", "\n\n", " ", "  ",
    *QUOTE_CHARS, *QUOTE_CHARS,
]

random_chars = st.text(alphabet=ALPHABET, max_size=400)
random_words = st.lists(st.sampled_from(WORDS), max_size=120).map(lambda ws: " ".join(ws))
random_text = st.one_of(random_chars, random_words, st.text(max_size=200))

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def module_nlp():
    from flows.nlp import load_nlp

    return load_nlp("auto")


@FAST
@given(st.one_of(st.text(alphabet=ALPHABET, max_size=200), st.text(max_size=200), random_words))
def test_classify_line_never_crashes(line):
    reason = classify_line(line)
    assert reason is None or (isinstance(reason, str) and reason)


@FAST
@given(text=random_text, title=st.one_of(st.none(), st.text(alphabet=ALPHABET, max_size=40)))
@example(text="", title=":\n\n:")  # found by hypothesis: a title with a blank line inside
def test_clean_article_never_crashes_and_keeps_only_input_lines(text, title):
    raw = RawArticle(source="x.txt", source_format="txt", text=text, title=title)
    cleaned = clean_article(raw)
    lines = text.split("\n")
    stripped = {line.strip() for line in lines if line.strip()}
    # Removed lines are input lines, by 1-based number, each once, each with a reason.
    numbers = [no for no, _, _ in cleaned.removed]
    assert len(numbers) == len(set(numbers))
    for no, line, reason in cleaned.removed:
        assert lines[no - 1].strip() == line and reason
    if not cleaned.text:
        return
    paragraphs = cleaned.text.split("\n\n")
    assert all(p and p == p.strip() for p in paragraphs)
    body = paragraphs[1:] if title and title.strip() else paragraphs
    assert set(body) <= stripped
    # The headline comes first: the contract's "headline, a blank line, then the body".
    assert paragraphs[0] == cleaned.title
    if not (title and title.strip()):
        # Every non-blank line is either kept or removed.
        assert len(paragraphs) + len(cleaned.removed) == len([line for line in lines if line.strip()])


def _check_quote_rows(text: str, rows: list[dict]) -> None:
    for q in rows:
        assert 0 <= q["start_char"] < q["end_char"] <= len(text), q
        assert text[q["start_char"]:q["end_char"]] == q["text"], q
        assert q["kind"] in ("direct", "partial", "indirect"), q
        assert q["fragments"], q
        previous_end = q["start_char"]
        for start, end in q["fragments"]:
            assert q["start_char"] <= start < end <= q["end_char"], q
            assert start >= previous_end, q  # fragments in order, not overlapping
            previous_end = end
        if q["speaker_start"] is not None:
            assert text[q["speaker_start"]:q["speaker_end"]] == q["speaker"], q
        if q.get("cue_start") is not None:
            assert text[q["cue_start"]:q["cue_end"]] == q["cue"], q


@FAST
@given(random_text)
def test_quote_finder_never_crashes_and_rows_point_at_their_text(module_nlp, text):
    from flows.quotes import extract_quotes

    doc = module_nlp(text)  # the whole pipeline, with the counterclaim components, must not raise
    _check_quote_rows(doc.text, extract_quotes(doc))
    _check_quote_rows(doc.text, doc._.cc_quotes or [])


@FAST
@given(random_text)
def test_quote_finder_has_no_hidden_crash(module_nlp, text):
    """extract_quotes swallows exceptions (a doc never gets lost); the code under it
    should not need that on any text."""
    from flows.quotes import _extract

    doc = module_nlp(text)
    _check_quote_rows(doc.text, _extract(doc))
