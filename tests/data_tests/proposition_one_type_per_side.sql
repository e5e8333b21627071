-- A proposition has one claim type per side.
SELECT proposition_id, side, count(DISTINCT claim_type) AS n_types
FROM claims
WHERE proposition_id IS NOT NULL
GROUP BY proposition_id, side
HAVING count(DISTINCT claim_type) > 1
