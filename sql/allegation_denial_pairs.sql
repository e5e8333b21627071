-- One row per (denial claim, allegation claim) pair: a denial with an allegation
-- it answers, in any outlet of the same story. The two must be on opposite
-- sides, and one must point at the other: denial.target = allegation.side or
-- allegation.target = denial.side. Canonical documents only.
CREATE OR REPLACE VIEW allegation_denial_pairs AS
WITH canonical_documents AS (
    SELECT doc_id, coalesce(outlet, source) AS outlet, story_id
    FROM documents
    WHERE duplicate_of IS NULL
),
story_claims AS (
    SELECT c.*, d.outlet, coalesce(d.story_id, '') AS story_key
    FROM claims AS c
    JOIN canonical_documents AS d USING (doc_id)
),
denials AS (
    SELECT * FROM story_claims WHERE claim_type = 'denial'
),
allegations AS (
    SELECT * FROM story_claims WHERE claim_type = 'allegation'
)
SELECT
    d.story_key AS story_id,
    d.claim_id AS denial_claim_id,
    d.doc_id AS denial_doc_id,
    d.outlet AS denial_outlet,
    d.claimant AS denial_claimant,
    d.side AS denial_side,
    d.proposition_id AS denial_proposition_id,
    d.text AS denial_text,
    a.claim_id AS allegation_claim_id,
    a.doc_id AS allegation_doc_id,
    a.outlet AS allegation_outlet,
    a.claimant AS allegation_claimant,
    a.side AS allegation_side,
    a.proposition_id AS allegation_proposition_id,
    a.text AS allegation_text,
    d.doc_id = a.doc_id AS same_article
FROM denials AS d
JOIN allegations AS a
  ON a.story_key = d.story_key
 AND a.side IS DISTINCT FROM d.side
 AND (d.target = a.side OR a.target = d.side)
