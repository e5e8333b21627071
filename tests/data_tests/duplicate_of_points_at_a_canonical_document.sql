-- duplicate_of names an existing document that is itself canonical, and never the row itself.
SELECT d.doc_id, d.duplicate_of
FROM documents AS d
LEFT JOIN documents AS c ON c.doc_id = d.duplicate_of
WHERE d.duplicate_of IS NOT NULL
  AND (c.doc_id IS NULL OR c.duplicate_of IS NOT NULL OR d.duplicate_of = d.doc_id)
