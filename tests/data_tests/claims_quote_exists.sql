-- A claim's quote_id points at a quote of the same document.
SELECT c.claim_id, c.quote_id
FROM claims AS c
LEFT JOIN quotes AS q ON q.quote_id = c.quote_id AND q.doc_id = c.doc_id
WHERE c.quote_id IS NOT NULL AND q.quote_id IS NULL
