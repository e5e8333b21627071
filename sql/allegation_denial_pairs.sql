-- One row per denial claim: the allegation it most plausibly answers, in any
-- outlet of the same story (canonical documents only). A denial with no
-- plausible allegation has no row.
--
-- Rule. An allegation is a candidate answer to a denial when
--   * both are in the same story and on opposite sides (a denial's side is never
--     null here, and the two sides differ), and
--   * one of:
--       (a) same evidence: same article and overlapping evidence spans (the
--           sentence reports both sides: "X denied Y's claims that ...");
--       (b) pointed and same period: the denial's target is the allegation's side
--           or the allegation's target is the denial's side, both claims fall in
--           the same time period (the period tag of their proposition: current,
--           earlier, month-NN), and their wording shares at least 15% of its
--           content words;
--       (c) lexically similar: their wording shares at least 35% of its
--           content words, whatever the targets.
-- Similarity is the overlap coefficient of content words of the two evidence
-- texts, |A and B| / max(4, min(|A|, |B|)), counted only when they share at least two
-- such words; content words are lowercased words of four or more letters that
-- are not reporting words (said, denied, claims, report, statement, ...).
-- Same evidence counts as 1.0.
-- Of the candidates, each denial keeps one: the highest similarity; ties go to
-- the earliest allegation (document id, then offset), then its claim id.
CREATE OR REPLACE VIEW allegation_denial_pairs AS
WITH canonical_documents AS (
    SELECT doc_id, coalesce(outlet, source) AS outlet, story_id
    FROM documents
    WHERE duplicate_of IS NULL
),
story_claims AS (
    SELECT
        c.*,
        d.outlet,
        coalesce(d.story_id, '') AS story_key,
        coalesce(nullif(regexp_extract(c.proposition, '\((month-[0-9]{2}|earlier)\)$', 1), ''), 'current') AS period,
        list_distinct(list_filter(
            regexp_split_to_array(lower(c.text), '[^a-z]+'),
            lambda w: length(w) >= 4 AND w NOT IN (
                'said', 'says', 'told', 'added', 'stated', 'statement', 'reported', 'report', 'reports',
                'deny', 'denied', 'denies', 'denial', 'rejected', 'rejects', 'dismissed', 'refuted',
                'claim', 'claims', 'claimed', 'allegation', 'allegations', 'alleged', 'accused',
                'that', 'this', 'these', 'those', 'with', 'have', 'been', 'were', 'from', 'they', 'their',
                'which', 'would', 'will', 'about', 'also', 'after', 'before', 'when', 'there')
        )) AS words
    FROM claims AS c
    JOIN canonical_documents AS d USING (doc_id)
),
denials AS (
    SELECT * FROM story_claims WHERE claim_type = 'denial' AND side IS NOT NULL
),
allegations AS (
    SELECT * FROM story_claims WHERE claim_type = 'allegation'
),
candidates AS (
    SELECT
        d.claim_id AS denial_claim_id,
        a.claim_id AS allegation_claim_id,
        d.doc_id = a.doc_id AND a.start_char < d.end_char AND d.start_char < a.end_char AS same_evidence,
        (d.target = a.side OR a.target = d.side) AND d.period = a.period AS pointed,
        CASE
            WHEN len(list_intersect(d.words, a.words)) < 2 THEN 0.0
            ELSE len(list_intersect(d.words, a.words)) / greatest(4, least(len(d.words), len(a.words)))
        END AS word_overlap
    FROM denials AS d
    JOIN allegations AS a
      ON a.story_key = d.story_key
     AND a.side IS DISTINCT FROM d.side
),
scored AS (
    SELECT
        *,
        CASE WHEN same_evidence THEN 1.0 ELSE word_overlap END AS similarity
    FROM candidates
    WHERE same_evidence
       OR (coalesce(pointed, false) AND word_overlap >= 0.15)
       OR word_overlap >= 0.35
),
best AS (
    SELECT s.*
    FROM scored AS s
    JOIN allegations AS a ON a.claim_id = s.allegation_claim_id
    QUALIFY row_number() OVER (
        PARTITION BY s.denial_claim_id
        ORDER BY s.similarity DESC, a.doc_id, a.start_char, a.claim_id
    ) = 1
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
    d.doc_id = a.doc_id AS same_article,
    b.same_evidence,
    round(b.similarity, 3) AS similarity
FROM best AS b
JOIN denials AS d ON d.claim_id = b.denial_claim_id
JOIN allegations AS a ON a.claim_id = b.allegation_claim_id
