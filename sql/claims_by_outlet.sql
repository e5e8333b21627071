-- One row per outlet x proposition_id: how an outlet carried one proposition.
-- outlet falls back to documents.source when the publisher is unknown, so
-- unnamed articles are never merged into one "unknown" outlet.
-- Only canonical documents count (documents.duplicate_of IS NULL).
CREATE OR REPLACE VIEW claims_by_outlet AS
WITH canonical_documents AS (
    SELECT doc_id, coalesce(outlet, source) AS outlet
    FROM documents
    WHERE duplicate_of IS NULL
),
outlet_claims AS (
    SELECT
        d.outlet,
        c.doc_id,
        c.proposition_id,
        c.proposition,
        c.claimant,
        c.side,
        c.claim_type,
        c.is_direct,
        c.position,
        c.paragraph_index,
        CASE c.position WHEN 'headline' THEN 0 WHEN 'lead' THEN 1 ELSE 2 END AS position_rank
    FROM claims AS c
    JOIN canonical_documents AS d USING (doc_id)
    WHERE c.proposition_id IS NOT NULL
),
rolled AS (
    SELECT
        outlet,
        proposition_id,
        -- A proposition has one wording, side and type; claimant is the most frequent speaker.
        min(proposition) AS proposition,
        mode(claimant) AS claimant,
        min(side) AS side,
        min(claim_type) AS claim_type,
        count(DISTINCT doc_id) AS n_articles,
        count(*) AS n_mentions,
        bool_or(is_direct) AS quoted_directly,
        min(position_rank) AS first_position_rank,
        min(paragraph_index) AS first_paragraph_index
    FROM outlet_claims
    GROUP BY outlet, proposition_id
)
SELECT
    outlet,
    proposition_id,
    proposition,
    claimant,
    side,
    claim_type,
    n_articles,
    n_mentions,
    quoted_directly,
    CASE first_position_rank WHEN 0 THEN 'headline' WHEN 1 THEN 'lead' ELSE 'body' END AS first_position,
    first_paragraph_index
FROM rolled
