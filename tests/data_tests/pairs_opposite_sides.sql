-- A denial is paired only with an allegation from another side.
SELECT denial_claim_id, allegation_claim_id
FROM allegation_denial_pairs
WHERE denial_side IS NOT DISTINCT FROM allegation_side
