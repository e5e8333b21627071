-- Every claim has a proposition, with a wording.
SELECT claim_id
FROM claims
WHERE proposition_id IS NULL OR proposition IS NULL OR proposition = ''
