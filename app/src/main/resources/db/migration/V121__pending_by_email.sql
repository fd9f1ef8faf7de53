-- Activities waiting in the intake queue that name their person by email only (not attributed yet). Intake and the
-- due-only jobs (decay, inactivity) ask whether a prospect still has such rows queued before they bring it up to now,
-- so history larger than one batch stays on its own timeline. Partial: only pending, unattributed rows are in it.
CREATE INDEX activity_pending_email_idx ON activity (email) WHERE processed_at IS NULL AND prospect_id IS NULL;
