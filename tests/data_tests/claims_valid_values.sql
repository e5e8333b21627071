-- claim_type and position take only their documented values, and position agrees with paragraph_index.
SELECT claim_id, claim_type, position, paragraph_index
FROM claims
WHERE claim_type NOT IN ('allegation', 'denial', 'other')
   OR position NOT IN ('headline', 'lead', 'body')
   OR (position = 'headline') <> (paragraph_index = 0)
   OR (position = 'lead') <> (paragraph_index = 1)
