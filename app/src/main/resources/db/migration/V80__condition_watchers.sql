-- Condition watchers (dynamic lists, automation rules) re-evaluate a prospect when it changes and at the next
-- instant one of their time-relative conditions can flip for it; this column holds that instant, so the
-- due-only job reads just the rows whose time has come.

ALTER TABLE prospect ADD COLUMN condition_check_at timestamptz;
CREATE INDEX prospect_condition_check_idx ON prospect (condition_check_at) WHERE condition_check_at IS NOT NULL;
