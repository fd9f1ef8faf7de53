-- The automation tables' per-row foreign key checks that their writers' locks already make (issue 16;
-- docs/scaling.md, "The references the intake writes"): as V745 did for the intake's tables, these references are no
-- longer foreign keys,
--   automation_rule_prospect.rule_id     → automation_rule   (the claim: one row per match, inserted or bumped)
--   automation_rule_prospect.prospect_id → prospect
--   automation_match.rule_id             → automation_rule   (the history: one row per match)
--   automation_match.prospect_id         → prospect
-- A foreign key checks every inserted row on its own: a query per row, an index probe of the parent and a row lock
-- (FOR KEY SHARE), up to four per match on the event path. Every writer holds the rows it names locked before it
-- writes: the claim (RuleMatching.matchAll, both the event path and a retroactive page) locks its rules FOR KEY SHARE
-- and the prospects it is about to claim FOR KEY SHARE in id order, in the claim statement itself, leaving out what is
-- gone; the history is written later in the same transaction for claimed pairs only; a merge's step holds both
-- prospects FOR UPDATE and locks the rules of the rows it moves FOR KEY SHARE in the statement that moves them. So
-- the row named exists when the reference is written and cannot go before the writer commits.
--
-- The delete side keeps ON DELETE CASCADE's meaning: a trigger before each delete of a rule or a prospect deletes the
-- claims and the history naming it (by automation_rule_prospect's primary key and _prospect_idx, automation_match's
-- _rule_idx and _prospect_idx). The trigger runs after the row to delete is locked, so it waits for every writer
-- holding the row and its queries see what they committed.

CREATE FUNCTION pg_temp.drop_references(child text, parent text, col text) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT k.conname FROM pg_constraint k
              WHERE k.conrelid = child::regclass AND k.contype = 'f' AND k.conparentid = 0
                AND k.confrelid = parent::regclass
                AND k.conkey = ARRAY[(SELECT attnum FROM pg_attribute
                                       WHERE attrelid = child::regclass AND attname = col)] LOOP
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', child, c.conname);
    END LOOP;
END
$$;

SELECT pg_temp.drop_references('automation_rule_prospect', 'automation_rule', 'rule_id');
SELECT pg_temp.drop_references('automation_rule_prospect', 'prospect', 'prospect_id');
SELECT pg_temp.drop_references('automation_match', 'automation_rule', 'rule_id');
SELECT pg_temp.drop_references('automation_match', 'prospect', 'prospect_id');

DROP FUNCTION pg_temp.drop_references(text, text, text);

-- Deletes the claims and the match history naming the deleted rule or prospect, as ON DELETE CASCADE did.
CREATE FUNCTION automation_rows_cascade() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'automation_rule' THEN
        DELETE FROM automation_rule_prospect WHERE rule_id = OLD.id;
        DELETE FROM automation_match WHERE rule_id = OLD.id;
    ELSE
        DELETE FROM automation_rule_prospect WHERE prospect_id = OLD.id;
        DELETE FROM automation_match WHERE prospect_id = OLD.id;
    END IF;
    RETURN OLD;
END
$$;

CREATE TRIGGER automation_rule_automation_cascade
    BEFORE DELETE ON automation_rule
    FOR EACH ROW EXECUTE FUNCTION automation_rows_cascade();
CREATE TRIGGER prospect_automation_cascade
    BEFORE DELETE ON prospect
    FOR EACH ROW EXECUTE FUNCTION automation_rows_cascade();
