-- Claims are extracted from canonical documents only.
SELECT c.claim_id
FROM claims AS c
JOIN documents AS d USING (doc_id)
WHERE d.duplicate_of IS NOT NULL
