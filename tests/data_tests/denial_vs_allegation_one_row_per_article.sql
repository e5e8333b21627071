-- denial_vs_allegation has exactly one row per canonical document.
WITH canonical AS (SELECT doc_id FROM documents WHERE duplicate_of IS NULL)
SELECT coalesce(c.doc_id, v.doc_id) AS doc_id
FROM canonical AS c
FULL OUTER JOIN (SELECT doc_id, count(*) AS n FROM denial_vs_allegation GROUP BY doc_id) AS v USING (doc_id)
WHERE v.doc_id IS NULL OR c.doc_id IS NULL OR v.n <> 1
