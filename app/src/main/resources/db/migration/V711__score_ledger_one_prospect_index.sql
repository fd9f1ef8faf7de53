-- One index of the score ledger by prospect instead of two (issue 16, docs/scoring.md "The ledger"). Every entry was
-- written into both (prospect_id, id) and (prospect_id, at) — a descent of each per entry, ~3,800 entries a batch at
-- W1's realistic configuration (docs/benchmarks.md). Every reader of one prospect's entries orders them by id (the
-- panel, the ledger's pages, the resets and their undos, the closed loop's score at a cut), which (prospect_id, id)
-- serves; the one reader by time (grading's recent points: `at > since`) reads the months since through the partition
-- key (the ledger is partitioned by month of `at`) and the prospect's entries of those months through
-- (prospect_id, id).
DROP INDEX IF EXISTS score_ledger_prospect_at_idx;
