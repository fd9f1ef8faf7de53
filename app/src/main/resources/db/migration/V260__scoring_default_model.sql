-- A default model under which scores stay meaningful against the MQL threshold (50): points halve every 30 days,
-- and page views count at most 5 points a day (the pricing page 10), so a year of browsing no longer adds up to
-- 500-900 points. Installs whose model was changed keep their choice: only the untouched V40 defaults move.
-- See docs/scoring.md, "The default model".
UPDATE scoring_settings
   SET half_life_days = 30, updated_at = now()
 WHERE id = 1 AND half_life_days IS NULL AND inactivity_days = 90 AND inactivity_action = 'SET_TO_ZERO'
   AND floor = 0;

UPDATE scoring_rule
   SET max_points_per_day = CASE WHEN url_pattern IS NULL THEN 5 ELSE 10 END, updated_at = now()
 WHERE activity_type = 'PAGE_VIEW' AND max_points_per_day IS NULL
   AND ((name = 'Page view' AND url_pattern IS NULL AND points = 1)
        OR (name = 'Pricing page' AND url_pattern = 'pricing' AND points = 10));
