-- Every quote's text is exactly its slice of documents.text (DuckDB substr is 1-based).
SELECT q.quote_id
FROM quotes AS q
JOIN documents AS d USING (doc_id)
WHERE substr(d.text, q.start_char + 1, q.end_char - q.start_char) <> q.text
   OR (q.speaker_start IS NOT NULL
       AND substr(d.text, q.speaker_start + 1, q.speaker_end - q.speaker_start) <> q.speaker)
