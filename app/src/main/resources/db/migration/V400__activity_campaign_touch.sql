-- Attribution's touches (docs/attribution.md): each contact role's non-bot activities with a campaign in a time range,
-- read by an index-only scan of just those rows instead of every activity of the prospect and its heap row (W7 at M,
-- docs/benchmarks.md). Also serves the campaign report's first touch per prospect.
CREATE INDEX activity_campaign_touch_idx ON activity (prospect_id, occurred_at) INCLUDE (campaign_id)
    WHERE campaign_id IS NOT NULL AND NOT bot;
