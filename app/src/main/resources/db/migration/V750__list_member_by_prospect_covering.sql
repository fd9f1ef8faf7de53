-- A prospect's lists, read by index only: the event path reads the memberships of the prospects it evaluates
-- ("SELECT list_id, prospect_id FROM list_member WHERE prospect_id = ANY(...)": the dynamic lists' apply and the
-- conditions' facts), and the index by prospect alone left a heap fetch per membership, on pages scattered by the lists'
-- rebuilds. At M with the realistic configuration (ten lists of ~980,000 members) those fetches were about half of the
-- database's active time in W5's burst (docs/benchmarks.md, "W4 and W5 at M with the configuration").
CREATE INDEX list_member_prospect_list_idx ON list_member (prospect_id, list_id);
DROP INDEX list_member_prospect_idx;
