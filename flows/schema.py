"""Every table's PyArrow schema, declared once. Every write casts to these.

Field descriptions live in the field metadata so that the dataset card and
``datapackage.json`` can be generated from this one place.
"""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = "1.0.0"


def _f(name: str, type_: pa.DataType, description: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"description": description})


OFFSET = pa.int64()
FRAGMENTS = pa.list_(pa.list_(pa.int64()))

DOCUMENTS = pa.schema([
    _f("doc_id", pa.string(), "Stable id: a hash of the source path, independent of file order.", False),
    _f("source", pa.string(), "Path relative to the input folder; '#<n>' (from 1) added for a jsonl line.", False),
    _f("source_record_id", pa.string(), "The 'id' field of a jsonl record, where it had one."),
    _f("source_format", pa.string(), "txt, html or jsonl.", False),
    _f("outlet", pa.string(), "Publisher: from metadata, HTML site name, or the article's own self-naming lines."),
    _f("outlet_evidence", pa.string(), "Where the outlet came from: metadata, html, self-reference, or null."),
    _f("cited_outlets", pa.list_(pa.string()), "Outlets the article cites as sources ('according to X'): never the publisher."),
    _f("url", pa.string(), "Article URL, where known."),
    _f("published_at", pa.timestamp("us", tz="UTC"), "Publication time, where known."),
    _f("language", pa.string(), "Language code, where known."),
    _f("title", pa.string(), "Headline: the first line that survives cleaning."),
    _f("text", pa.string(), "Cleaned article: the headline line, a blank line, then the body paragraphs separated by blank lines.", False),
    _f("content_hash", pa.string(), "sha256 of text.", False),
    _f("n_chars", pa.int64(), "Length of text in characters.", False),
    _f("duplicate_of", pa.string(), "doc_id of the canonical copy, for exact and near-duplicate copies; null for canonical documents."),
    _f("story_id", pa.string(), "Id of the same-story cluster this document belongs to."),
])

REMOVED_LINES = pa.schema([
    _f("doc_id", pa.string(), "Document the line was removed from.", False),
    _f("line_no", pa.int64(), "1-based line number in the decoded input.", False),
    _f("text", pa.string(), "The removed line.", False),
    _f("reason", pa.string(), "Why it is not article text (repeated-headline, caption, credit, appeal, link, ...).", False),
])

NEAR_DUPLICATES = pa.schema([
    _f("doc_id_a", pa.string(), "Smaller doc_id of the pair.", False),
    _f("doc_id_b", pa.string(), "Larger doc_id of the pair.", False),
    _f("similarity", pa.float64(), "Score behind the relation (Jaccard, shared-sentence share or story similarity).", False),
    _f("relation", pa.string(), "exact, near-duplicate, rewrite or same-story.", False),
])

ENTITIES = pa.schema([
    _f("doc_id", pa.string(), "Document of the mention.", False),
    _f("text", pa.string(), "Mention as written.", False),
    _f("label", pa.string(), "spaCy entity label (PERSON, ORG, GPE, NORP, ...).", False),
    _f("canonical", pa.string(), "Canonical name: full name within the article, country for capitals, demonyms and seats of government.", False),
    _f("start_char", OFFSET, "Offset into documents.text.", False),
    _f("end_char", OFFSET, "End offset into documents.text.", False),
])

QUOTES = pa.schema([
    _f("quote_id", pa.string(), "Stable id: doc_id plus the quote's position.", False),
    _f("doc_id", pa.string(), "Document of the quote.", False),
    _f("text", pa.string(), "documents.text[start_char:end_char].", False),
    _f("kind", pa.string(), "direct, partial or indirect.", False),
    _f("speaker", pa.string(), "Mention that introduces the quote, as written (may be a pronoun)."),
    _f("speaker_start", OFFSET, "Offset of speaker in documents.text."),
    _f("speaker_end", OFFSET, "End offset of speaker."),
    _f("speaker_canonical", pa.string(), "Who the speaker is, resolved across the article and the corpus."),
    _f("carrier", pa.string(), "Who carried the statement, where not the speaker (e.g. state media KCNA)."),
    _f("cue", pa.string(), "Reporting verb or phrase that attributes the quote."),
    _f("cue_start", OFFSET, "Offset of the cue."),
    _f("cue_end", OFFSET, "End offset of the cue."),
    _f("start_char", OFFSET, "Start of the quote (for an interrupted quote, of its whole span).", False),
    _f("end_char", OFFSET, "End of the quote.", False),
    _f("fragments", FRAGMENTS, "[start, end] pairs of the quoted parts alone.", False),
])

CLAIMS = pa.schema([
    _f("claim_id", pa.string(), "Stable id: doc_id plus the claim's position.", False),
    _f("doc_id", pa.string(), "Document carrying the claim.", False),
    _f("claimant", pa.string(), "Who makes the claim, canonical name."),
    _f("side", pa.string(), "Party the claimant speaks for (country or organisation), canonical name."),
    _f("target", pa.string(), "Party the claim is about."),
    _f("claim_type", pa.string(), "allegation, denial or other.", False),
    _f("type_cue", pa.string(), "Word or phrase that decided claim_type."),
    _f("text", pa.string(), "Evidence: the quote or sentence carrying the claim, as in documents.text.", False),
    _f("start_char", OFFSET, "Offset of the evidence.", False),
    _f("end_char", OFFSET, "End offset of the evidence.", False),
    _f("quote_id", pa.string(), "Quote the claim comes from, if any."),
    _f("is_direct", pa.bool_(), "Whether the claim is carried by a direct or partial quote.", False),
    _f("position", pa.string(), "headline, lead (first body paragraph) or body.", False),
    _f("paragraph_index", pa.int64(), "0 for the headline, then 1, 2, ... for body paragraphs.", False),
    _f("proposition_id", pa.string(), "Shared by the same claim across articles."),
    _f("proposition", pa.string(), "Normalised wording of the claim."),
])

REJECTS = pa.schema([
    _f("source", pa.string(), "Input file, or file#line for jsonl.", False),
    _f("stage", pa.string(), "Stage that rejected it (ingest, clean, nlp).", False),
    _f("reason", pa.string(), "Clear reason.", False),
])

TABLES: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "removed_lines": REMOVED_LINES,
    "near_duplicates": NEAR_DUPLICATES,
    "entities": ENTITIES,
    "quotes": QUOTES,
    "claims": CLAIMS,
    "rejects": REJECTS,
}

# Sort keys make every write deterministic, whatever order the rows arrived in.
SORT_KEYS: dict[str, list[str]] = {
    "documents": ["doc_id"],
    "removed_lines": ["doc_id", "line_no"],
    "near_duplicates": ["doc_id_a", "doc_id_b", "relation"],
    "entities": ["doc_id", "start_char", "end_char", "label"],
    "quotes": ["doc_id", "start_char", "end_char", "kind"],
    "claims": ["doc_id", "start_char", "end_char", "claim_type", "claimant"],
    "rejects": ["source", "stage", "reason"],
}


def field_description(field: pa.Field) -> str:
    """The description stored in a field's metadata ("" when it has none)."""
    return (field.metadata or {}).get(b"description", b"").decode()
