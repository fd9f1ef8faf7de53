-- Intake processing: an activity that keeps failing is taken out of the queue with the reason,
-- so one bad row never stops the pipeline. Such rows have processed_at set and failed_reason
-- not null; clearing both puts them back in the queue.
ALTER TABLE activity ADD COLUMN failed_reason text;
