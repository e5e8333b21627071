"""Bad input through the whole pipeline: each bad file or line is one reject with a
clear reason, the run goes on, and no good article is lost or garbled."""

from __future__ import annotations

import codecs
import json
import random
from pathlib import Path

import pytest

from flows.documents import build_documents
from flows.ingest import DecodeError, decode_bytes
from flows.storage import read_rows

from conftest import SEEDS, make_settings

LIMIT = 20_000  # max_file_bytes for the run: every seed is below it
ACCENTS = "The café owner in Zürich, señor Müller, said the naïve façade was “déjà vu” — it cost 5 € or £4."
LATIN1_ACCENTS = "The café owner in Zürich, señor Müller, said the naïve façade was déjà vu, it cost £4 or ¥9."


def seed(n: int) -> str:
    [path] = SEEDS.glob(f"{n:03d}_*.txt")
    return path.read_text(encoding="utf-8")


def to_latin1(text: str) -> str:
    for a, b in {"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-", "…": "...", "€": "EUR"}.items():
        text = text.replace(a, b)
    return text


def ascii_pdf() -> bytes:
    """A small, valid PDF that is all ASCII (uncompressed content stream)."""
    stream = b"BT /F1 12 Tf 72 712 Td (North Korea said the claims were groundless, state media reported.) Tj ET"
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>\nendobj\n"
        b"4 0 obj\n<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream\nendobj\n"
        b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def random_bytes_without_nul(n: int, seed_value: int = 7) -> bytes:
    rnd = random.Random(seed_value)
    return bytes(rnd.randrange(1, 256) for _ in range(n))


def mojibake(text: str) -> str:
    """UTF-8 read as Windows-1252 (bytes it leaves undefined pass through as C1)."""
    import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)

    return text.encode("utf-8").decode("sloppy-windows-1252")


GOOD_JSONL = {
    "id": "wire-1",
    "title": "Ministry rejects the report",
    "outlet": "Example Wire",
    "text": (
        "Ministry rejects the report\n\n"
        "The foreign ministry on Tuesday rejected a report that it had shipped ammunition abroad, "
        "calling it a fabrication spread by its rivals.\n\n"
        "\"We have never sold weapons to anyone and we do not intend to,\" a spokesman said in a statement "
        "carried by the state news agency."
    ),
}

# source -> (stage, words the reason must contain)
BAD = {
    "empty.txt": ("ingest", "empty"),
    "nul.txt": ("ingest", "NUL"),
    "noise.txt": ("ingest", "binary"),
    "huge.txt": ("ingest", "limit"),
    "feed.jsonl#1": ("ingest", "does not parse"),
    "feed.jsonl#2": ("ingest", "no 'text'"),
    "boilerplate.txt": ("clean", "no article text left"),
    "nav.html": ("ingest", "no article"),
    "scan.txt": ("ingest", "PDF"),
}
GOOD = {"good.txt", "cp1252.txt", "latin1.txt", "utf16.txt", "mojibake.txt", "feed.jsonl#3"}


def write_inputs(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "good.txt").write_text(seed(2), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "nul.txt").write_bytes(b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04" * 20)
    (folder / "noise.txt").write_bytes(random_bytes_without_nul(4096))
    (folder / "huge.txt").write_text(("North Korea denied the report again. " * 700), encoding="utf-8")
    lines = ['{"id": "x", "text": "truncated', json.dumps({"id": "y", "title": "no body"}), json.dumps(GOOD_JSONL)]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "boilerplate.txt").write_text(
        "Leave a Reply\nRead more\nSubscribe to our newsletter\nShare this\nAdvertisement\n", encoding="utf-8"
    )
    (folder / "nav.html").write_text(
        "<html><head><title>Home</title></head><body><nav><a href='/'>Home</a> | <a href='/w'>World</a></nav>"
        "<footer>Copyright 2024</footer></body></html>",
        encoding="utf-8",
    )
    (folder / "scan.txt").write_bytes(ascii_pdf())
    # Kept, with the right characters: legacy encodings, a BOM, mojibake.
    (folder / "cp1252.txt").write_bytes((seed(1) + "\n\n" + ACCENTS + "\n").encode("cp1252"))
    (folder / "latin1.txt").write_bytes((to_latin1(seed(4)) + "\n\n" + LATIN1_ACCENTS + "\n").encode("latin-1"))
    (folder / "utf16.txt").write_bytes((seed(0) + "\n\n" + ACCENTS + "\n").encode("utf-16"))  # with BOM
    (folder / "mojibake.txt").write_bytes(mojibake(seed(3) + "\n\n" + ACCENTS + "\n").encode("utf-8"))


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    from flows import stages

    root = tmp_path_factory.mktemp("bad-input")
    inputs = root / "in"
    write_inputs(inputs)
    settings = make_settings(inputs, root / "data", max_file_bytes=LIMIT)
    result = stages.run_all(settings)  # must not raise
    docs = {d["source"]: d for d in read_rows(settings.tables_dir, "documents")}
    rejects = read_rows(settings.tables_dir, "rejects")
    return settings, result, docs, rejects


def test_mojibake_input_is_really_mojibake():
    broken = mojibake(ACCENTS)
    assert "â€" in broken and "Ã©" in broken  # the fixture exercises ftfy, not plain UTF-8


def test_the_run_completes_and_commits_every_table(bad_run):
    settings, result, _, _ = bad_run
    assert set(result["tables"]) >= {"documents", "rejects", "quotes"}
    assert not (settings.data_dir / "staging").exists()


def test_each_bad_input_is_exactly_one_reject_with_a_clear_reason(bad_run):
    _, _, _, rejects = bad_run
    by_source: dict[str, list[dict]] = {}
    for r in rejects:
        by_source.setdefault(r["source"], []).append(r)
    assert set(by_source) == set(BAD), f"unexpected rejects: {rejects}"
    for source, (stage, needle) in BAD.items():
        [row] = by_source[source]
        assert row["stage"] == stage, row
        assert needle.lower() in row["reason"].lower(), row
        assert len(row["reason"]) >= 10


def test_good_articles_are_kept_and_none_is_lost(bad_run):
    _, _, docs, _ = bad_run
    assert set(docs) == GOOD
    assert not set(docs) & set(BAD)


def test_good_article_is_identical_to_a_run_without_bad_neighbours(bad_run, tmp_path):
    _, _, docs, _ = bad_run
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "good.txt").write_text(seed(2), encoding="utf-8")
    [expected] = build_documents(alone, LIMIT, 1_000_000).documents
    got = docs["good.txt"]
    for key in ("doc_id", "title", "text", "content_hash", "outlet"):
        assert got[key] == expected[key], key


@pytest.mark.parametrize("source,sentence", [
    ("cp1252.txt", ACCENTS),
    ("latin1.txt", LATIN1_ACCENTS),
    ("utf16.txt", ACCENTS),
    ("mojibake.txt", ACCENTS),
])
def test_legacy_encodings_bom_and_mojibake_keep_the_right_characters(bad_run, source, sentence):
    _, _, docs, _ = bad_run
    text = docs[source]["text"]
    assert sentence in text
    for junk in ("â€", "Ã", "\ufffd", "ń", "Ł", "ď", "\ufeff"):
        assert junk not in text, (source, junk)


def test_jsonl_good_line_after_bad_lines_is_kept_with_its_metadata(bad_run):
    _, _, docs, _ = bad_run
    doc = docs["feed.jsonl#3"]
    assert doc["source_record_id"] == "wire-1"
    assert doc["outlet"] == "Example Wire"
    assert "never sold weapons" in doc["text"]


def test_rejected_inputs_leave_no_rows_elsewhere(bad_run):
    settings, _, docs, _ = bad_run
    ids = {d["doc_id"] for d in docs.values()}
    for name in ("removed_lines", "entities", "quotes", "claims"):
        for row in read_rows(settings.tables_dir, name):
            assert row["doc_id"] in ids, (name, row)


def test_good_seed_still_yields_quotes(bad_run):
    settings, _, docs, _ = bad_run
    good = docs["good.txt"]["doc_id"]
    assert any(q["doc_id"] == good for q in read_rows(settings.tables_dir, "quotes"))


# --- decode level: the cases above in isolation, and variants --------------------------


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_western_text_is_not_read_as_central_european(encoding):
    """cp1250 and cp1257 tie with cp1252 on English with a few accents; cp1252 must win."""
    body = seed(0) + "\n\n" + (ACCENTS if encoding == "cp1252" else LATIN1_ACCENTS)
    body = body if encoding == "cp1252" else to_latin1(body)
    assert decode_bytes(body.encode(encoding)) == body


@pytest.mark.parametrize("text,encoding", [
    ("Москва заявила, что обвинения беспочвенны, сообщило агентство. " * 4, "cp1251"),
    ("Zażółć gęślą jaźń, powiedział minister w Łodzi, cytowany przez agencję. " * 3, "cp1250"),
    ("Türkiye dışişleri bakanlığı iddiaları reddetti, dedi sözcü. " * 3, "cp1254"),
    ("Η Αθήνα είπε ότι οι ισχυρισμοί είναι αβάσιμοι, ανέφερε το πρακτορείο. " * 3, "cp1253"),
])
def test_other_legacy_encodings_still_decode(text, encoding):
    assert decode_bytes(text.encode(encoding)) == text


@pytest.mark.parametrize("n", [24, 64, 512, 4096])
def test_random_bytes_without_nul_are_binary(n):
    for s in range(5):
        data = random_bytes_without_nul(n, s)
        try:
            text = decode_bytes(data)
        except DecodeError as exc:
            assert "binary" in str(exc)
            continue
        # Tiny files can happen to decode as a CJK code page; they must at least not be UTF-16 guesses.
        assert n <= 64, f"{n} random bytes decoded as text: {text[:40]!r}"


def test_pdf_is_rejected_with_or_without_binary_bytes():
    for data in (ascii_pdf(), b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + ascii_pdf()[9:]):
        with pytest.raises(DecodeError, match="PDF"):
            decode_bytes(data)


def test_utf16_and_utf32_with_bom_decode():
    text = seed(1)
    for enc, bom in (("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
                     ("utf-32-le", codecs.BOM_UTF32_LE)):
        assert decode_bytes(bom + text.encode(enc)) == text
