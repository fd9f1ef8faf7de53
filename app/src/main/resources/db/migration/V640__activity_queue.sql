-- The intake queue becomes a narrow table of its own (docs/architecture.md, "Intake"; docs/benchmarks.md, "The
-- activity queue"): one row per accepted activity not processed yet, written in the statement that stores the
-- activity and deleted in the transaction that applies it. The claim, the "still queued" counts, the decay and
-- inactivity sweeps' probes and the status count read this table instead of the partial indexes of activity over
-- processed_at IS NULL, one set per month partition, which kept the entries of processed rows until vacuum reached
-- them. processed_at stays on activity as the time the activity was processed (set with the queue row's delete).
--
-- occurred_at: the claim reads the activities back by their key (id, occurred_at), only in the batch's months.
-- received_at: the status endpoint's lag. prospect_id, or email when the activity names no prospect: what the
-- "still queued" questions ask by. No foreign key: the activity row carries it, and the queue is rewritten by the
-- intake module's merge step with it.
CREATE TABLE activity_queue (
    activity_id bigint PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    prospect_id bigint,
    email       text
) WITH (autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 5000,
        autovacuum_vacuum_insert_scale_factor = 0.0, autovacuum_vacuum_insert_threshold = 5000);
CREATE INDEX activity_queue_prospect_idx ON activity_queue (prospect_id) WHERE prospect_id IS NOT NULL;
CREATE INDEX activity_queue_email_idx ON activity_queue (email) WHERE prospect_id IS NULL;

INSERT INTO activity_queue (activity_id, occurred_at, received_at, prospect_id, email)
SELECT id, occurred_at, received_at, prospect_id, CASE WHEN prospect_id IS NULL THEN email END
  FROM activity
 WHERE processed_at IS NULL;

-- the partial indexes of the queue inside the history (V1, V121, V540, made per partition by V600)
DROP INDEX activity_pending_idx;
DROP INDEX activity_pending_email_idx;
DROP INDEX activity_pending_prospect_idx;
DROP INDEX IF EXISTS activity_legacy_pending_idx;
DROP INDEX IF EXISTS activity_legacy_pending_email_idx;
DROP INDEX IF EXISTS activity_legacy_pending_prospect_idx;
