-- Activities waiting in the intake queue that name their prospect: the counterpart of activity_pending_email_idx.
-- Intake (the prospects of a batch with more rows queued) and the due-only jobs (decay, inactivity: skip a prospect
-- whose history is still queued) ask this per prospect. Without it the question went through activity_pending_idx or
-- the prospect's whole history; under a backlog with statistics taken when the queue was short, the jobs' probes cost
-- seconds of database time per sweep (W1 in docs/benchmarks.md). Partial: only pending, attributed rows are in it.
CREATE INDEX activity_pending_prospect_idx ON activity (prospect_id) WHERE processed_at IS NULL AND prospect_id IS NOT NULL;
