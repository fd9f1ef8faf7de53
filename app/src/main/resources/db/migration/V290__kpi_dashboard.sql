-- The KPI dashboard (docs/reports.md, "KPI dashboard") reads each KPI over fourteen spans by a range on its time
-- column; these indexes serve the ranges the earlier migrations left unindexed.
CREATE INDEX IF NOT EXISTS stage_journey_mql_idx ON stage_journey (t_mql) WHERE t_mql IS NOT NULL;
CREATE INDEX IF NOT EXISTS stage_journey_customer_idx ON stage_journey (t_customer) WHERE t_customer IS NOT NULL;
CREATE INDEX IF NOT EXISTS stage_journey_visit_idx ON stage_journey (t_visit) WHERE t_visit IS NOT NULL;
CREATE INDEX IF NOT EXISTS score_ledger_activity_at_idx ON score_ledger (at) WHERE kind = 'ACTIVITY';
CREATE INDEX IF NOT EXISTS opportunity_created_idx ON opportunity (created_at);
CREATE INDEX IF NOT EXISTS opportunity_won_idx ON opportunity (closed_at) WHERE status = 'WON';
CREATE INDEX IF NOT EXISTS email_message_sent_at_idx ON email_message (created_at) WHERE status = 'SENT';
