"""Ingest on real text and on each kind of bad input."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from flows.ingest import DecodeError, decode_bytes, doc_id_for, ingest_folder

from conftest import SEEDS

SEED_TEXT = (SEEDS / "002_c630794e0e8874ab.txt").read_text(encoding="utf-8")


def test_reads_every_seed_and_no_rejects():
    result = ingest_folder(SEEDS, 10_000_000)
    assert sorted(a.source for a in result.articles) == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert result.rejects == []


def test_doc_id_depends_on_source_only():
    assert doc_id_for("a/b.txt") == doc_id_for("a/b.txt")
    assert doc_id_for("a/b.txt") != doc_id_for("a/c.txt")


def test_legacy_encodings_and_boms_decode_to_the_same_text():
    sample = "North Korea’s ministry said the claims were “groundless” — café"
    for data in (
        sample.encode("utf-8"),
        codecs.BOM_UTF8 + sample.encode("utf-8"),
        codecs.BOM_UTF16_LE + sample.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + sample.encode("utf-16-be"),
        sample.encode("cp1252"),
    ):
        assert decode_bytes(data) == sample


def test_mojibake_is_repaired():
    broken = "North Korea’s ministry".encode("utf-8").decode("cp1252")
    assert decode_bytes(broken.encode("utf-8")) == "North Korea’s ministry"


@pytest.mark.parametrize("data,needle", [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"%PDF-1.4\x00\x01\x02binary\x00junk", "NUL"),
])
def test_bad_bytes_raise_clear_errors(data, needle):
    with pytest.raises(DecodeError, match=needle):
        decode_bytes(data)


def test_bad_files_become_rejects_and_the_rest_is_kept(tmp_path: Path):
    (tmp_path / "good.txt").write_text(SEED_TEXT, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "scan.txt").write_bytes(b"%PDF-1.7\n\x00\x00\xff\xfe binary")
    (tmp_path / "huge.txt").write_text("word " * 5000, encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    lines = [
        json.dumps({"id": "a1", "title": "T", "text": "Body one.", "outlet": "Wire"}),
        '{"text": "truncated',
        json.dumps({"title": "no text here"}),
        json.dumps({"text": "Body two.", "published_at": "2022-11-08"}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = ingest_folder(tmp_path, max_file_bytes=20_000)
    reasons = {r.source: r.reason for r in result.rejects}
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["scan.txt"]
    assert "limit" in reasons["huge.txt"]
    assert "unsupported" in reasons["notes.docx"]
    assert "does not parse" in reasons["feed.jsonl#2"]
    assert "no 'text'" in reasons["feed.jsonl#3"]
    kept = {a.source: a for a in result.articles}
    assert set(kept) == {"good.txt", "feed.jsonl#1", "feed.jsonl#4"}
    assert kept["feed.jsonl#1"].source_record_id == "a1"
    assert kept["feed.jsonl#1"].outlet == "Wire"
    assert kept["feed.jsonl#4"].published_at.isoformat() == "2022-11-08T00:00:00+00:00"


def test_html_goes_through_trafilatura(tmp_path: Path):
    paragraphs = "".join(f"<p>{p}</p>" for p in SEED_TEXT.split("\n") if len(p) > 80)
    html = (
        "<html><head><title>North Korea dismisses US claims</title>"
        '<meta property="og:site_name" content="Example Wire">'
        '<meta property="article:published_time" content="2022-11-08T10:00:00Z"></head>'
        f"<body><nav>Home | World</nav><article><h1>North Korea dismisses US claims</h1>{paragraphs}</article>"
        "<footer>Copyright footer</footer></body></html>"
    )
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    (tmp_path / "empty.html").write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    result = ingest_folder(tmp_path, 10_000_000)
    [article] = result.articles
    assert article.title == "North Korea dismisses US claims"
    assert article.outlet == "Example Wire"
    assert article.published_at is not None and article.published_at.year == 2022
    assert "state media KCNA reported" in article.text
    assert [r.source for r in result.rejects] == ["empty.html"]


def test_sources_csv_supplies_metadata(tmp_path: Path):
    (tmp_path / "a.txt").write_text(SEED_TEXT, encoding="utf-8")
    (tmp_path / "sources.csv").write_text(
        "file,outlet,url,published_at,language\na.txt,Example Times,https://example.org/a,2022-11-08,en\n",
        encoding="utf-8",
    )
    [article] = ingest_folder(tmp_path, 10_000_000).articles
    assert (article.outlet, article.outlet_evidence) == ("Example Times", "metadata")
    assert article.url == "https://example.org/a"
    assert article.language == "en"


def test_a_date_without_a_year_is_unknown_not_this_year():
    # dateutil would fill the gaps from today's date, so the same input would give other
    # bytes next year (or next month, for "March 2022").
    from datetime import datetime, timezone

    from flows.ingest import parse_datetime

    assert parse_datetime("March 5") is None
    assert parse_datetime("March 2022") == datetime(2022, 3, 1, tzinfo=timezone.utc)
    assert parse_datetime("5 March 2022, 14:30") == datetime(2022, 3, 5, 14, 30, tzinfo=timezone.utc)
    assert parse_datetime("2022-11-08T10:00:00Z") == datetime(2022, 11, 8, 10, tzinfo=timezone.utc)
