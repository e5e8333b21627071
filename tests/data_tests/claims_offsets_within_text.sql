-- Every claim's offsets lie inside its document, and its text is exactly that slice.
SELECT c.claim_id
FROM claims AS c
JOIN documents AS d USING (doc_id)
WHERE c.start_char < 0
   OR c.end_char <= c.start_char
   OR c.end_char > length(d.text)
   OR substring(d.text, c.start_char + 1, c.end_char - c.start_char) <> c.text
