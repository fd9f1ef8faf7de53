-- The last cycle on any instance, read before a scheduled cycle (docs/cluster.md), and the day's calls.
CREATE INDEX salesforce_cycle_started_idx ON salesforce_cycle (started_at DESC);
