-- claims_by_outlet has one row per outlet x proposition.
SELECT outlet, proposition_id, count(*) AS n
FROM claims_by_outlet
GROUP BY outlet, proposition_id
HAVING count(*) > 1
