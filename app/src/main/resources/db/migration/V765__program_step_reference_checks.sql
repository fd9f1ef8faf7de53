-- The program step records' per-row foreign key checks that their writers' locks already make, and an index only the
-- cascade read (issue 16, W5; docs/programs.md "Tables"): as V745 and V751 did for the intake's and the automation
-- tables, these references are no longer foreign keys,
--   program_step_run.enrollment_id   → program_enrollment   (one row per executed step)
--   program_step_entry.enrollment_id → program_enrollment   (one row per step entered)
-- A foreign key checks every inserted row on its own: a query per row, an index probe of the enrollment's primary key
-- and a row lock (FOR KEY SHARE), four a transition of W5's burst (two steps executed, two entered). Every writer of
-- these rows holds its enrollments locked before it writes: the sweep (FOR UPDATE SKIP LOCKED), the program watcher
-- (it stores only the rows its FOR UPDATE SKIP LOCKED took), a program's pause and resume and a removal (FOR UPDATE),
-- and an enrollment (the enrollment rows inserted by the same transaction). So the enrollment named exists when the
-- row is written and cannot go before the writer commits. Nothing moves these rows to another enrollment (a merge
-- moves enrollments by their prospect_id).
--
-- The delete side keeps ON DELETE CASCADE's meaning: a trigger before each delete of an enrollment (a prospect's
-- delete cascades to its enrollments, a program version's too) deletes its step runs and entries. It runs after the
-- enrollment's row is locked, so it waits for every writer holding the row and its queries see what they committed.
-- The entries are found by their primary key (enrollment_id, step_id, visit); the runs by their primary key, the
-- idempotency key enrollment:version:step:visit (engine Enrollment.key), one for each visit the enrollment's visits
-- count (every executed step was entered first, and visits only grow, in the transaction that records the run): so
-- program_step_run_enrollment_idx, which only the cascade read, is dropped — an index entry less per executed step.

CREATE FUNCTION pg_temp.drop_reference(child text) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT k.conname FROM pg_constraint k
              WHERE k.conrelid = child::regclass AND k.contype = 'f'
                AND k.confrelid = 'program_enrollment'::regclass LOOP
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', child, c.conname);
    END LOOP;
END
$$;

SELECT pg_temp.drop_reference('program_step_run');
SELECT pg_temp.drop_reference('program_step_entry');

DROP FUNCTION pg_temp.drop_reference(text);

DROP INDEX program_step_run_enrollment_idx;

-- The idempotency keys of every step an enrollment may have executed: enrollment:version:step:visit for each step of
-- its visits and each visit from 1 to the count (a superset of its runs' keys: an entered step may not have run yet).
CREATE FUNCTION program_step_keys(enrollment bigint, version integer, visits jsonb) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(enrollment || ':' || version || ':' || v.key || ':' || n), '{}')
      FROM jsonb_each_text(visits) AS v(key, value), generate_series(1, v.value::integer) AS n
$$;

-- Deletes the step runs and entries of the deleted enrollment, as ON DELETE CASCADE did.
CREATE FUNCTION program_step_rows_cascade() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM program_step_run WHERE key = ANY(program_step_keys(OLD.id, OLD.version, OLD.visits));
    DELETE FROM program_step_entry WHERE enrollment_id = OLD.id;
    RETURN OLD;
END
$$;

CREATE TRIGGER program_enrollment_step_cascade
    BEFORE DELETE ON program_enrollment
    FOR EACH ROW EXECUTE FUNCTION program_step_rows_cascade();
