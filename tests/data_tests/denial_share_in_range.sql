-- denial_share lies in [0, 1] per article and per outlet.
SELECT 'article' AS level, doc_id AS id, denial_share FROM denial_vs_allegation
WHERE denial_share IS NULL OR denial_share < 0 OR denial_share > 1
UNION ALL
SELECT 'outlet', outlet, denial_share FROM denial_vs_allegation_by_outlet
WHERE denial_share IS NULL OR denial_share < 0 OR denial_share > 1
