-- The intake's per-row foreign key checks that its writers' locks already make (issue 16; docs/scaling.md, "The
-- references the intake writes"): as V710 did for the score ledger, these references are no longer foreign keys,
--   activity.prospect_id        → prospect   (the accept's insert, the processed mark, visitor links, merges)
--   activity.campaign_id        → campaign   (the accept's insert, immediate activities)
--   prospect_action.prospect_id → prospect   (the closed loop's summary, per processed activity)
--   score_cap.prospect_id       → prospect   (the score caps, per capped rule's points)
-- A foreign key checks every inserted row on its own: a query per row, an index probe of the parent and a row lock
-- (FOR KEY SHARE). Every writer of these columns holds the row it names locked before it writes — the accept locks its
-- prospects and campaigns FOR KEY SHARE (and refuses what is gone), intake's batch, immediate activities, visitor links
-- and rescoring lock their prospects FOR NO KEY UPDATE, a merge and an erasure FOR UPDATE — so the row exists when the
-- reference is written and cannot go before the writer commits: the insert side's check found nothing those locks do
-- not already guarantee.
--
-- The delete side stays as it was, NO ACTION (restrict) for all four: a prospect or campaign still named is not
-- deleted (foreign_key_violation, naming the table), checked by a trigger before each delete. A merge whose step
-- forgot to move a table's rows fails rather than leave them behind (docs/prospects.md); a campaign in use stays
-- (Campaigns.delete). Prospects are deleted only by merges and campaigns by hand, so this costs nothing on the event
-- path. Partitions made later (history_partition_for) take the foreign keys of the parent when attached: with none
-- there, none.

CREATE FUNCTION pg_temp.drop_references(child text, parent text, col text) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    c record;
BEGIN
    -- the table's own foreign key on the column (on a partitioned table, its partitions' copies go with it)
    FOR c IN SELECT k.conname FROM pg_constraint k
              WHERE k.conrelid = child::regclass AND k.contype = 'f' AND k.conparentid = 0
                AND k.confrelid = parent::regclass
                AND k.conkey = ARRAY[(SELECT attnum FROM pg_attribute
                                       WHERE attrelid = child::regclass AND attname = col)] LOOP
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', child, c.conname);
    END LOOP;
    -- and any a partition kept of its own (activity_legacy, attached by V600, had its own before it was a partition)
    FOR c IN SELECT k.conrelid::regclass AS partition, k.conname FROM pg_constraint k
               JOIN pg_inherits i ON i.inhrelid = k.conrelid
              WHERE i.inhparent = child::regclass AND k.contype = 'f' AND k.conparentid = 0
                AND k.confrelid = parent::regclass
                AND k.conkey = ARRAY[(SELECT attnum FROM pg_attribute
                                       WHERE attrelid = k.conrelid AND attname = col)] LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.partition, c.conname);
    END LOOP;
END
$$;

SELECT pg_temp.drop_references('activity', 'prospect', 'prospect_id');
SELECT pg_temp.drop_references('activity', 'campaign', 'campaign_id');
SELECT pg_temp.drop_references('prospect_action', 'prospect', 'prospect_id');
SELECT pg_temp.drop_references('score_cap', 'prospect', 'prospect_id');

DROP FUNCTION pg_temp.drop_references(text, text, text);

-- Refuses the delete of a row still named by the table TG_ARGV[0] through its column TG_ARGV[1], as a foreign key
-- (NO ACTION) refused it. The probe is an index scan (activity_prospect_idx, activity_campaign_idx,
-- prospect_action_key, score_cap's primary key).
CREATE FUNCTION still_named_restrict() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    named boolean;
BEGIN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I = $1)', TG_ARGV[0], TG_ARGV[1]) INTO named USING OLD.id;
    IF named THEN
        RAISE EXCEPTION '% % is still named by % rows', TG_TABLE_NAME, OLD.id, TG_ARGV[0]
            USING ERRCODE = 'foreign_key_violation', TABLE = TG_ARGV[0];
    END IF;
    RETURN OLD;
END
$$;

CREATE TRIGGER prospect_activity_restrict
    BEFORE DELETE ON prospect
    FOR EACH ROW EXECUTE FUNCTION still_named_restrict('activity', 'prospect_id');
CREATE TRIGGER prospect_prospect_action_restrict
    BEFORE DELETE ON prospect
    FOR EACH ROW EXECUTE FUNCTION still_named_restrict('prospect_action', 'prospect_id');
CREATE TRIGGER prospect_score_cap_restrict
    BEFORE DELETE ON prospect
    FOR EACH ROW EXECUTE FUNCTION still_named_restrict('score_cap', 'prospect_id');
CREATE TRIGGER campaign_activity_restrict
    BEFORE DELETE ON campaign
    FOR EACH ROW EXECUTE FUNCTION still_named_restrict('activity', 'campaign_id');
