-- A rule's claim on a prospect is keyed by (prospect_id, rule_id), and its index by prospect goes (issue 16,
-- docs/automation.md "Tables"): one index instead of two. Every claim was written into the primary key
-- (rule_id, prospect_id) and into (prospect_id). The claim and its probe name both columns (ON CONFLICT infers the
-- key by its columns as a set); the merge's move, the export and the cascade of a prospect's delete read a
-- prospect's claims, now by the key's first column. The readers by rule alone are the rules' counts (all rules at
-- once, a whole pass over the table as before; one rule's page, now also a pass) and the cascade of a rule's delete.
ALTER TABLE automation_rule_prospect DROP CONSTRAINT automation_rule_prospect_pkey;
ALTER TABLE automation_rule_prospect ADD CONSTRAINT automation_rule_prospect_pkey PRIMARY KEY (prospect_id, rule_id);
DROP INDEX automation_rule_prospect_prospect_idx;
