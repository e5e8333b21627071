"""Cleaning on the seeds' real furniture, and outlet inference."""

from __future__ import annotations

from flows.clean import classify_line, cited_outlets, clean_article, infer_outlet, lines_repeated_within_outlets
from flows.ingest import RawArticle, ingest_folder

from conftest import SEEDS


def _cleaned():
    return {a.source: clean_article(a) for a in ingest_folder(SEEDS, 10_000_000).articles}


def test_headline_is_first_line_that_survives_cleaning():
    cleaned = _cleaned()
    moscow = cleaned["002_c630794e0e8874ab.txt"]
    assert moscow.title.startswith("North Korea Dismisses as 'Groundless'")
    assert moscow.text.startswith(moscow.title + "\n\n")
    assert any(r == "appeal" and "Support" in line for _, line, r in moscow.removed)
    for c in cleaned.values():
        assert c.text.split("\n\n", 1)[0] == c.title


def test_repeated_headline_caption_and_tail_furniture_are_removed_with_reasons():
    cleaned = _cleaned()
    reasons = {(src, r) for src, c in cleaned.items() for _, _, r in c.removed}
    assert ("000_c741ef20f4e5a9a5.txt", "repeated-headline") in reasons
    assert ("004_cf7a61948d7c4840.txt", "repeated-headline") in reasons
    assert ("000_c741ef20f4e5a9a5.txt", "social-embed") in reasons
    assert ("000_c741ef20f4e5a9a5.txt", "tag-list") in reasons
    assert ("004_cf7a61948d7c4840.txt", "comment-form") in reasons
    assert ("002_c630794e0e8874ab.txt", "caption-credit") in reasons
    moscow = cleaned["002_c630794e0e8874ab.txt"].text
    assert "small favor to ask" not in moscow and "Remind me later" not in moscow
    # Body and subheadings stay.
    assert "Sign of Russia's 'shortages'" in moscow
    assert "The statement said North Korea sees the" in moscow
    examiner = cleaned["001_c6ae6fd7203040ef.txt"].text
    assert "CLICK HERE" not in examiner and "IRAN MAY PROVIDE" not in examiner
    assert "Russia-Ukraine War Update" in cleaned["000_c741ef20f4e5a9a5.txt"].text


def test_line_rules_on_other_sites_furniture():
    assert classify_line("Read more: Kim Jong Un oversees missile launch") == "link"
    assert classify_line("Sign up for our newsletter to get the top stories") == "appeal"
    assert classify_line("Leave a comment") == "comment-form"
    assert classify_line("pic.twitter.com/abc123") == "social-embed"
    assert classify_line("Kirby said U.S. officials did not know whether Russia has received the ammunition.") is None


def test_outlet_comes_from_self_naming_never_from_a_cited_source():
    cleaned = _cleaned()
    assert cleaned["002_c630794e0e8874ab.txt"].outlet == "The Moscow Times"
    assert cleaned["001_c6ae6fd7203040ef.txt"].outlet == "The Washington Examiner"
    # 000 cites The Independent, the Washington Examiner and the Daily Mail, but names no publisher.
    assert cleaned["000_c741ef20f4e5a9a5.txt"].outlet is None
    assert set(cleaned["000_c741ef20f4e5a9a5.txt"].cited_outlets) >= {"The Independent", "Daily Mail"}
    assert infer_outlet(["It was one of five nations, according to The Independent."]) == (None, None)
    assert infer_outlet(["© 2022 Example Herald. All rights reserved."])[0] == "Example Herald"


def test_cited_outlets_skip_people_and_countries():
    text = "according to Kirby. According to North Korea, it never did. according to Reuters"
    assert cited_outlets(text, None) == ["Reuters"]


def test_lines_one_outlet_repeats_are_boilerplate():
    body = (SEEDS / "003_5472ee3d76821457.txt").read_text(encoding="utf-8")
    promo = "Get the Example Daily app for breaking alerts"
    a = RawArticle(source="a.txt", source_format="txt", text=body + "\n" + promo, outlet="Example Daily")
    b = RawArticle(source="b.txt", source_format="txt", text="Other headline\n\nOther body sentence.\n" + promo, outlet="Example Daily")
    repeated = lines_repeated_within_outlets([a, b])
    cleaned = clean_article(a, repeated)
    assert promo not in cleaned.text
    assert any(r == "outlet-boilerplate" for _, _, r in cleaned.removed)
