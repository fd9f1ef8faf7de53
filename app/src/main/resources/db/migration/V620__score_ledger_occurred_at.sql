-- An ACTIVITY entry of the score ledger records when its activity occurred (occurred_at), beside when it was processed
-- (at): the KPI dashboard's lead active rate counts prospects by when their scoring activity occurred, so imported or
-- back-dated history counts in the months it happened (docs/reports.md, "KPI dashboard"). Entries written before this
-- migration keep occurred_at null and are counted by at (no backfill: see docs/reports.md). Adding a nullable column
-- without a default does not rewrite the table.
ALTER TABLE score_ledger ADD COLUMN occurred_at timestamptz;

-- The lead active rate's range, by occurrence (the index V290 added on at is no longer read by anything).
DROP INDEX IF EXISTS score_ledger_activity_at_idx;
CREATE INDEX score_ledger_activity_occurred_idx ON score_ledger ((coalesce(occurred_at, at))) WHERE kind = 'ACTIVITY';
