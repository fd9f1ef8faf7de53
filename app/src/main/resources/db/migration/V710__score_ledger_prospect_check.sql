-- The score ledger's reference to its prospect is no longer a foreign key (issue 16, docs/scoring.md "The ledger").
-- A foreign key checks every inserted row on its own — an index probe of prospect and a row lock, through a query of
-- its own per entry — and the ledger append is the intake's largest statement (~3,800 entries a batch of 2,000
-- activities at W1's realistic configuration; docs/benchmarks.md). Every writer of the ledger appends entries only
-- for prospects whose rows it holds locked (intake's lock, the score actions', the decay sweep's claim, rescoring's
-- chunks, the recycle policy, the merge), so the row exists when the entry is written and cannot go before the
-- writer commits: the insert side's check found nothing those locks do not already guarantee.
--
-- The other side stays: a prospect deleted while entries still name it is refused, as the foreign key (NO ACTION)
-- refused it — a merge whose step forgot to move them fails rather than leave them behind (docs/prospects.md).
-- Prospects are deleted only by merges, so this costs nothing on the event path.

DO $$
DECLARE
    c record;
BEGIN
    -- the partitioned table's own foreign key (its partitions' copies go with it)
    FOR c IN SELECT conname FROM pg_constraint
              WHERE conrelid = 'score_ledger'::regclass AND contype = 'f' AND conparentid = 0
                AND confrelid = 'prospect'::regclass LOOP
        EXECUTE format('ALTER TABLE score_ledger DROP CONSTRAINT %I', c.conname);
    END LOOP;
    -- and any a partition kept of its own (the legacy table attached by V630 had one before it was partitioned)
    FOR c IN SELECT k.conrelid::regclass AS partition, k.conname FROM pg_constraint k
               JOIN pg_inherits i ON i.inhrelid = k.conrelid
              WHERE i.inhparent = 'score_ledger'::regclass AND k.contype = 'f' AND k.conparentid = 0
                AND k.confrelid = 'prospect'::regclass LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.partition, c.conname);
    END LOOP;
END
$$;

CREATE FUNCTION prospect_score_ledger_restrict() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM score_ledger WHERE prospect_id = OLD.id) THEN
        RAISE EXCEPTION 'prospect % is still named by score_ledger entries', OLD.id
            USING ERRCODE = 'foreign_key_violation', TABLE = 'score_ledger';
    END IF;
    RETURN OLD;
END
$$;

CREATE TRIGGER prospect_score_ledger_restrict
    BEFORE DELETE ON prospect
    FOR EACH ROW EXECUTE FUNCTION prospect_score_ledger_restrict();
