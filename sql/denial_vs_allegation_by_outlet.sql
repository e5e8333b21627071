-- One row per outlet: the articles of denial_vs_allegation rolled up.
-- denial_share here is pooled: all the outlet's denials over all its denials
-- and allegations (0 when it has neither), so it lies in [0, 1].
CREATE OR REPLACE VIEW denial_vs_allegation_by_outlet AS
WITH articles AS (
    SELECT * FROM denial_vs_allegation
),
rolled AS (
    SELECT
        outlet,
        count(*) AS n_articles,
        -- sum() of BIGINT is HUGEINT in DuckDB, which pandas and older readers turn into floats.
        sum(n_allegations)::BIGINT AS n_allegations,
        sum(n_denials)::BIGINT AS n_denials,
        sum(n_other)::BIGINT AS n_other,
        sum(words_quoted_allegation)::BIGINT AS words_quoted_allegation,
        sum(words_quoted_denial)::BIGINT AS words_quoted_denial,
        count(*) FILTER (WHERE headline_frame = 'denial') AS n_headlines_denial,
        count(*) FILTER (WHERE headline_frame = 'allegation') AS n_headlines_allegation,
        count(*) FILTER (WHERE first_heard = 'denial') AS n_denial_heard_first,
        count(*) FILTER (WHERE first_heard = 'allegation') AS n_allegation_heard_first,
        count(*) FILTER (WHERE has_denial) AS n_articles_with_denial
    FROM articles
    GROUP BY outlet
)
SELECT
    *,
    coalesce(n_denials / nullif(n_denials + n_allegations, 0), 0.0) AS denial_share
FROM rolled
