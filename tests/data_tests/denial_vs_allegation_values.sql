-- Frames take their documented values and has_denial agrees with n_denials.
SELECT doc_id
FROM denial_vs_allegation
WHERE headline_frame NOT IN ('denial', 'allegation', 'other')
   OR first_heard NOT IN ('denial', 'allegation', 'none')
   OR has_denial <> (n_denials > 0)
   OR words_quoted_allegation < 0 OR words_quoted_denial < 0
