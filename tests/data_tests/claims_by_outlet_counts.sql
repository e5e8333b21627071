-- Counts are positive and consistent: mentions >= articles >= 1.
SELECT outlet, proposition_id
FROM claims_by_outlet
WHERE n_articles < 1 OR n_mentions < n_articles OR first_position NOT IN ('headline', 'lead', 'body')
