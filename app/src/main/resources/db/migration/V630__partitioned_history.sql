-- Partitioned history, continued (docs/scaling.md, "Partitioned history"): the append-only tables that grow with the
-- activities are partitioned by their time the way activity was (V600), one partition a UTC month plus a default
-- partition, kept by the same job and the same retention setting:
--   score_ledger           by at (when the entry was written)
--   stage_transition       by at (when the move happened)
--   list_membership_event  by at (when the prospect joined or left)
-- The partition functions become generic (history_partition_for(parent, at) and the rest, the key read from the
-- table's partition key); activity's own functions and view stay, as calls of the generic ones, for the loaders.

-- The partition key column of a table partitioned by range on one column.
CREATE FUNCTION history_partition_key(parent_table text) RETURNS text
    LANGUAGE sql STABLE AS $$
    SELECT (regexp_match(pg_get_partkeydef(parent_table::regclass), '^RANGE \((\w+)\)$'))[1]
$$;

-- The range partitions of every partitioned table of the schema, with their bounds (-infinity, infinity: MINVALUE,
-- MAXVALUE; default partitions are not listed), read by the partition maintenance and the retention.
CREATE VIEW history_partitions AS
SELECT p.relname::text AS parent,
       c.relname::text AS name,
       activity_partition_bound(pg_get_expr(c.relpartbound, c.oid), 'FROM') AS lower,
       activity_partition_bound(pg_get_expr(c.relpartbound, c.oid), 'TO') AS upper
  FROM pg_inherits i
  JOIN pg_class c ON c.oid = i.inhrelid
  JOIN pg_class p ON p.oid = i.inhparent AND p.relkind = 'p'
 WHERE pg_table_is_visible(p.oid) AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT';

CREATE OR REPLACE VIEW activity_partitions AS
SELECT name, lower, upper FROM history_partitions WHERE parent = 'activity';

-- Makes the monthly partition (UTC months) of the instant `at` of the table `parent_table`, named
-- <parent_table>_pYYYYMM, unless a partition covers that month already; its rows still in the default partition
-- (<parent_table>_default) move into it. Returns the partition made, or null. As activity_partition_for in V600: the
-- new table is made on its own, with the parent's check constraints, and attached.
CREATE FUNCTION history_partition_for(parent_table text, at timestamptz) RETURNS text
    LANGUAGE plpgsql AS $$
DECLARE
    key text := history_partition_key(parent_table);
    lo timestamptz := date_trunc('month', at, 'UTC');
    hi timestamptz := date_trunc('month', at, 'UTC') + interval '1 month';
    made text := parent_table || '_p' || to_char(date_trunc('month', at, 'UTC') AT TIME ZONE 'UTC', 'YYYYMM');
BEGIN
    IF EXISTS (SELECT 1 FROM history_partitions p
                WHERE p.parent = parent_table AND p.lower < hi AND p.upper > lo) THEN
        RETURN NULL;
    END IF;
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', made, parent_table);
    -- the range as a constraint first, so that attaching does not scan the new table
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (%I >= %L AND %I < %L)',
                   made, made || '_range', key, lo, key, hi);
    EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *)'
                   ' INSERT INTO %I SELECT * FROM moved', parent_table || '_default', key, lo, key, hi, made);
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent_table, made, lo, hi);
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', made, made || '_range');
    RETURN made;
END
$$;

-- Makes the monthly partitions of `parent_table` of every month from `from_at` to `to_at` (both included) that none
-- covers yet; returns how many.
CREATE FUNCTION history_partitions_cover(parent_table text, from_at timestamptz, to_at timestamptz) RETURNS integer
    LANGUAGE plpgsql AS $$
DECLARE
    month timestamptz := date_trunc('month', from_at, 'UTC');
    made integer := 0;
BEGIN
    WHILE month <= to_at LOOP
        IF history_partition_for(parent_table, month) IS NOT NULL THEN
            made := made + 1;
        END IF;
        month := month + interval '1 month';
    END LOOP;
    RETURN made;
END
$$;

-- Moves every row of the default partition of `parent_table` into a monthly partition of its own month.
CREATE FUNCTION history_split_default(parent_table text) RETURNS integer
    LANGUAGE plpgsql AS $$
DECLARE
    month timestamptz;
    made integer := 0;
BEGIN
    FOR month IN EXECUTE format('SELECT DISTINCT date_trunc(''month'', %I, ''UTC'') FROM %I ORDER BY 1',
                                history_partition_key(parent_table), parent_table || '_default') LOOP
        IF history_partition_for(parent_table, month) IS NOT NULL THEN
            made := made + 1;
        END IF;
    END LOOP;
    RETURN made;
END
$$;

CREATE OR REPLACE FUNCTION activity_partition_for(at timestamptz) RETURNS text
    LANGUAGE sql AS $$ SELECT history_partition_for('activity', at) $$;
CREATE OR REPLACE FUNCTION activity_partitions_cover(from_at timestamptz, to_at timestamptz) RETURNS integer
    LANGUAGE sql AS $$ SELECT history_partitions_cover('activity', from_at, to_at) $$;
CREATE OR REPLACE FUNCTION activity_split_default() RETURNS integer
    LANGUAGE sql AS $$ SELECT history_split_default('activity') $$;

-- Turns the existing table `t` into a table partitioned by range of `key` without rewriting it, as V600 did for
-- activity, in two steps around the making of the default partition. partition_existing: the old table is renamed
-- <t>_legacy (its indexes too), its primary key becomes (id, key) (one index build) and its identity moves to the new
-- table, which has the old one's columns, defaults, check constraints and indexes, and `foreign_keys`.
CREATE FUNCTION pg_temp.partition_existing(t text, key text, foreign_keys text[]) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    legacy text := t || '_legacy';
    indexes text[] := ARRAY(SELECT pg_get_indexdef(x.indexrelid) FROM pg_index x
                             WHERE x.indrelid = t::regclass AND NOT x.indisprimary ORDER BY x.indexrelid);
    next_id bigint := coalesce(pg_sequence_last_value(pg_get_serial_sequence(t, 'id')), 0) + 1;
    i record;
    statement text;
BEGIN
    EXECUTE format('ALTER TABLE %I RENAME TO %I', t, legacy);
    FOR i IN SELECT c.relname FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
              WHERE x.indrelid = legacy::regclass LOOP
        EXECUTE format('ALTER INDEX %I RENAME TO %I', i.relname,
                       CASE WHEN starts_with(i.relname, t || '_') THEN legacy || substr(i.relname, length(t) + 1)
                            ELSE legacy || '_' || i.relname END);
    END LOOP;
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', legacy, legacy || '_pkey');
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (id, %I)', legacy, legacy || '_pkey', key);
    EXECUTE format('ALTER TABLE %I ALTER COLUMN id DROP IDENTITY', legacy);

    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS, PRIMARY KEY (id, %I))'
                   ' PARTITION BY RANGE (%I)', t, legacy, key, key);
    EXECUTE format('ALTER TABLE %I ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (START WITH %s)', t, next_id);
    FOREACH statement IN ARRAY foreign_keys LOOP
        EXECUTE format('ALTER TABLE %I ADD FOREIGN KEY %s', t, statement);
    END LOOP;
    FOREACH statement IN ARRAY indexes LOOP
        EXECUTE statement; -- the old table's definitions, naming the new table now
    END LOOP;
END
$$;

-- attach_existing: rows dated after the first of next month (a clock gone wrong) move to the new table; the old table
-- becomes the partition of everything before the first of the month after its latest row (at most next month).
-- Attaching finds the old table's indexes and foreign keys equal to the new table's and takes them as they are (no
-- index build, no foreign key check) and scans the old table once to check its range. An empty table is dropped.
CREATE FUNCTION pg_temp.attach_existing(t text, key text) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    legacy text := t || '_legacy';
    latest timestamptz;
    bound timestamptz;
BEGIN
    EXECUTE format('SELECT max(%I) FROM %I', key, legacy) INTO latest;
    IF latest IS NULL THEN
        EXECUTE format('DROP TABLE %I', legacy);
    ELSE
        bound := least(date_trunc('month', latest, 'UTC'), date_trunc('month', now(), 'UTC')) + interval '1 month';
        EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= %L RETURNING *)'
                       ' INSERT INTO %I OVERRIDING SYSTEM VALUE SELECT * FROM moved', legacy, key, bound, t);
        EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (MINVALUE) TO (%L)', t, legacy, bound);
    END IF;
END
$$;

SELECT pg_temp.partition_existing('score_ledger', 'at', ARRAY['(prospect_id) REFERENCES prospect(id)']);
SELECT pg_temp.partition_existing('stage_transition', 'at', ARRAY['(prospect_id) REFERENCES prospect(id)']);
SELECT pg_temp.partition_existing('list_membership_event', 'at',
                                  ARRAY['(list_id) REFERENCES list(id) ON DELETE CASCADE',
                                        '(prospect_id) REFERENCES prospect(id) ON DELETE CASCADE']);

CREATE TABLE score_ledger_default PARTITION OF score_ledger DEFAULT;
CREATE TABLE stage_transition_default PARTITION OF stage_transition DEFAULT;
CREATE TABLE list_membership_event_default PARTITION OF list_membership_event DEFAULT;

SELECT pg_temp.attach_existing('score_ledger', 'at');
SELECT pg_temp.attach_existing('stage_transition', 'at');
SELECT pg_temp.attach_existing('list_membership_event', 'at');

DROP FUNCTION pg_temp.partition_existing(text, text, text[]);
DROP FUNCTION pg_temp.attach_existing(text, text);

-- this month and the next three, as for activity (the partition job keeps three months ahead from now on); the rows
-- that moved to the default partition go to their months
SELECT history_partitions_cover(t, date_trunc('month', now(), 'UTC'),
                                date_trunc('month', now(), 'UTC') + interval '3 months'),
       history_split_default(t)
  FROM unnest(ARRAY['score_ledger', 'stage_transition', 'list_membership_event']) AS t;
