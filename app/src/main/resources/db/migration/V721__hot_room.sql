-- Room on the page for updated rows of the two small per-prospect tables the event path rewrites (issue 16,
-- docs/benchmarks.md "eighth pass"): score_cap (a cap's points, upserted as activities score) and
-- automation_rule_prospect (a rule's matches and last match, bumped on every repeat). Neither update changes an
-- indexed column, so each can be a HOT update — its new version on the same page, no index entry — but only where the
-- page has room for it: at the default fillfactor of 100 the pages filled by inserts have none, and every update went
-- into all of the table's indexes. Pages written from now on keep 20 % free.
ALTER TABLE score_cap SET (fillfactor = 80);
ALTER TABLE automation_rule_prospect SET (fillfactor = 80);
