-- Every claim belongs to a document that exists.
SELECT c.claim_id, c.doc_id
FROM claims AS c
LEFT JOIN documents AS d USING (doc_id)
WHERE d.doc_id IS NULL
