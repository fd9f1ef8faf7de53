-- A prospect's due instants in a narrow table of their own (issue 16, docs/benchmarks.md "eighth pass"; owned by
-- the prospects module, written through prospects.ProspectRows as the prospect row is).
--
-- next_decay_at, lifecycle_check_at and condition_check_at were indexed columns of the prospect row, and intake moves
-- the first two with every activity (they follow the last activity), the condition watchers the third: each such write
-- changed an indexed column, so it was never a HOT update — the row's new version went into every one of prospect's
-- thirteen indexes (~27–40 buffers a row, twice a batch for most of its prospects, at W1's realistic configuration).
-- Here each write touches this table's heap, its primary key and the partial index of the instants set; the prospect
-- row's own writes (stage, last activity, score, grade, flags) change no indexed column in the common case and can
-- stay on their page (HOT) — hence the fillfactor below, which leaves room on the page for the new version.
--
-- A prospect without a row has no instant due (every column NULL). The sweeps claim through this table's partial
-- indexes and lock the prospect row (FOR NO KEY UPDATE OF p SKIP LOCKED), as they did through prospect's. Deleting a
-- prospect (a merge's loser) deletes its row; an erasure keeps it (times, no personal data).
CREATE TABLE prospect_due (
    prospect_id        bigint PRIMARY KEY REFERENCES prospect (id) ON DELETE CASCADE,
    next_decay_at      timestamptz,
    lifecycle_check_at timestamptz,
    condition_check_at timestamptz
);

INSERT INTO prospect_due (prospect_id, next_decay_at, lifecycle_check_at, condition_check_at)
SELECT id, next_decay_at, lifecycle_check_at, condition_check_at
  FROM prospect
 WHERE next_decay_at IS NOT NULL OR lifecycle_check_at IS NOT NULL OR condition_check_at IS NOT NULL;

CREATE INDEX prospect_due_decay_idx ON prospect_due (next_decay_at) WHERE next_decay_at IS NOT NULL;
CREATE INDEX prospect_due_lifecycle_idx ON prospect_due (lifecycle_check_at) WHERE lifecycle_check_at IS NOT NULL;
CREATE INDEX prospect_due_condition_idx ON prospect_due (condition_check_at) WHERE condition_check_at IS NOT NULL;

-- their partial indexes go with them
ALTER TABLE prospect DROP COLUMN next_decay_at, DROP COLUMN lifecycle_check_at, DROP COLUMN condition_check_at;

-- room on each page for the updated versions of its rows (pages written from now on; existing pages gain it as
-- their rows move)
ALTER TABLE prospect SET (fillfactor = 85);

ANALYZE prospect_due;
