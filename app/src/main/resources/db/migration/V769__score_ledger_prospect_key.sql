-- The score ledger's primary key becomes its index by prospect (issue 16, docs/scoring.md "The ledger"): one index
-- instead of two. Every entry was written into the primary key (id, at) and into (prospect_id, id), and no reader
-- looks an entry up by its id alone: every one reads a prospect's entries (the panel, the ledger's pages, the sums,
-- the explanation, resets and their undos, rescoring, grading's recent points, the closed loop's score at a cut, the
-- merge's move, the export and the restrict trigger), in id order, which (prospect_id, id, at) serves as
-- (prospect_id, id) did. The key stays unique (the id is an identity) and keeps the partition key `at`, as a
-- partitioned table's unique index must; each partition's copies of both indexes go with the parent's.
ALTER TABLE score_ledger DROP CONSTRAINT score_ledger_pkey;
ALTER TABLE score_ledger ADD CONSTRAINT score_ledger_pkey PRIMARY KEY (prospect_id, id, at);
DROP INDEX score_ledger_prospect_idx;
