-- Each related pair appears once, ordered doc_id_a < doc_id_b, with a known relation.
SELECT doc_id_a, doc_id_b, count(*) AS n
FROM near_duplicates
GROUP BY doc_id_a, doc_id_b
HAVING n > 1 OR doc_id_a >= doc_id_b
   OR bool_or(relation NOT IN ('exact', 'near-duplicate', 'rewrite', 'same-story'))
