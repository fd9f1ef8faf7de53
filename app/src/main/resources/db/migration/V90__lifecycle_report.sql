-- The lifecycle report (cohort and flow) reads by period: prospects by capture time, stages by
-- first-entered time, visitors by first visit. Without these indexes each view would scan whole tables.
CREATE INDEX prospect_captured_idx ON prospect (captured_at);
CREATE INDEX stage_reached_entered_idx ON stage_reached (first_entered_at, prospect_id);
CREATE INDEX visitor_first_seen_idx ON visitor (first_seen_at);
