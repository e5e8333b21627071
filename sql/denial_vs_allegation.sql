-- One row per canonical article: how much room it gives to the denial and to
-- the allegation, and which it leads with.
-- denial_share = n_denials / (n_denials + n_allegations), and 0 when the
-- article has neither (so it always lies in [0, 1]).
-- headline_frame: the type of the headline's earliest claim; at the same
-- offset a denial ranks first, because the allegation it answers shares its span.
-- words_quoted_*: words inside quotation marks in the claims' evidence; for a
-- quote-linked direct claim whose evidence has no marks, all its words.
CREATE OR REPLACE VIEW denial_vs_allegation AS
WITH canonical_documents AS (
    SELECT doc_id, coalesce(outlet, source) AS outlet, story_id
    FROM documents
    WHERE duplicate_of IS NULL
),
doc_claims AS (
    SELECT c.*
    FROM claims AS c
    JOIN canonical_documents USING (doc_id)
),
quoted_words AS (
    SELECT
        doc_id,
        claim_type,
        start_char,
        CASE
            WHEN len(regexp_extract_all(text, '["“«„]([^"”»]+)["”»]', 1)) > 0 THEN
                list_sum(list_transform(regexp_extract_all(text, '["“«„]([^"”»]+)["”»]', 1),
                                        lambda x: len(regexp_extract_all(x, '[A-Za-z0-9’'']+'))))
            WHEN is_direct AND quote_id IS NOT NULL THEN len(regexp_extract_all(text, '[A-Za-z0-9’'']+'))
            ELSE 0
        END AS n_words
    FROM doc_claims
),
headline AS (
    SELECT doc_id, arg_min(claim_type, start_char * 10 + CASE claim_type WHEN 'denial' THEN 0 WHEN 'allegation' THEN 1 ELSE 2 END) AS headline_frame
    FROM doc_claims
    WHERE position = 'headline'
    GROUP BY doc_id
),
first_typed AS (
    SELECT doc_id, arg_min(claim_type, start_char * 10 + CASE claim_type WHEN 'denial' THEN 0 ELSE 1 END) AS first_heard
    FROM doc_claims
    WHERE claim_type IN ('allegation', 'denial')
    GROUP BY doc_id
),
counts AS (
    SELECT
        d.doc_id,
        count(*) FILTER (WHERE c.claim_type = 'allegation') AS n_allegations,
        count(*) FILTER (WHERE c.claim_type = 'denial') AS n_denials,
        count(*) FILTER (WHERE c.claim_type = 'other') AS n_other
    FROM canonical_documents AS d
    LEFT JOIN doc_claims AS c USING (doc_id)
    GROUP BY d.doc_id
),
words AS (
    SELECT
        doc_id,
        coalesce(sum(n_words) FILTER (WHERE claim_type = 'allegation'), 0) AS words_quoted_allegation,
        coalesce(sum(n_words) FILTER (WHERE claim_type = 'denial'), 0) AS words_quoted_denial
    FROM quoted_words
    GROUP BY doc_id
)
SELECT
    d.doc_id,
    d.outlet,
    d.story_id,
    coalesce(h.headline_frame, 'other') AS headline_frame,
    n.n_allegations,
    n.n_denials,
    n.n_other,
    coalesce(n.n_denials / nullif(n.n_denials + n.n_allegations, 0), 0.0) AS denial_share,
    coalesce(w.words_quoted_allegation, 0)::BIGINT AS words_quoted_allegation,
    coalesce(w.words_quoted_denial, 0)::BIGINT AS words_quoted_denial,
    coalesce(f.first_heard, 'none') AS first_heard,
    n.n_denials > 0 AS has_denial
FROM canonical_documents AS d
JOIN counts AS n USING (doc_id)
LEFT JOIN headline AS h USING (doc_id)
LEFT JOIN first_typed AS f USING (doc_id)
LEFT JOIN words AS w USING (doc_id)
