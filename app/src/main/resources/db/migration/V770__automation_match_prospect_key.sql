-- The rule match history's primary key becomes its index by prospect (issue 16, docs/automation.md "Tables"): one
-- index instead of two. Every match was written into the primary key (id) and into (prospect_id, id), and no reader
-- looks a match up by its id alone: a rule's runs page reads its matches through (rule_id, id), the merge's move, the
-- export and the cascade of a prospect's delete a prospect's through (prospect_id, id), which the key now is.
ALTER TABLE automation_match DROP CONSTRAINT automation_match_pkey;
ALTER TABLE automation_match ADD CONSTRAINT automation_match_pkey PRIMARY KEY (prospect_id, id);
DROP INDEX automation_match_prospect_idx;
