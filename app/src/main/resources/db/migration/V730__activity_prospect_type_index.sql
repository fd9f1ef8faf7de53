-- The activities conditions count, by prospect and type (docs/conditions.md, "Facts for many prospects"): the event
-- path's facts loader reads, for the prospects of an intake batch, each counted type within its own window
-- (prospect_id = ANY(...) AND type = ANY(...) AND occurred_at > ...) and the types counted without a window over all
-- history. By (prospect_id, occurred_at) alone, every month partition's every activity of those prospects was read
-- from the heap to test its type: a prospect's whole history on every batch for an "unsubscribed, ever" condition.
-- Bots never count: they are left out of the index. One index per month partition, as for the others.
CREATE INDEX activity_prospect_type_idx ON activity (prospect_id, type, occurred_at) WHERE NOT bot;
