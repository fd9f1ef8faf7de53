-- Partitioned history (docs/scaling.md, "Partitioned history"): activity becomes a table partitioned by occurred_at,
-- one partition a month, plus a default partition for activities no monthly partition covers yet. The table that was
-- activity is kept as it is, without a rewrite, as the partition of everything before the month after the latest
-- activity it holds (activity_legacy); the months after it get monthly partitions.
--
-- A unique index on a partitioned table must contain the partition key, so the intake's idempotency by external id
-- moves to activity_key: one row per activity, written in the statement that stores the activity.

-- The idempotency key of every stored activity. occurred_at: the retention drops the keys of the partitions it drops.
CREATE TABLE activity_key (
    external_id  text PRIMARY KEY,
    occurred_at  timestamptz NOT NULL
);
INSERT INTO activity_key (external_id, occurred_at) SELECT external_id, occurred_at FROM activity;
-- inserted in time order by live traffic: a block range index finds the keys of a month at almost no cost per insert
CREATE INDEX activity_key_occurred_idx ON activity_key USING brin (occurred_at);

-- One bound ('FROM' or 'TO') of a range partition's bound expression (pg_get_expr of pg_class.relpartbound).
CREATE FUNCTION activity_partition_bound(bound text, side text) RETURNS timestamptz
    LANGUAGE sql STABLE AS $$
    SELECT CASE
               WHEN m[1] = 'MINVALUE' THEN '-infinity'::timestamptz
               WHEN m[1] = 'MAXVALUE' THEN 'infinity'::timestamptz
               ELSE trim(BOTH '''' FROM m[1])::timestamptz
           END
      FROM regexp_match(bound, side || ' \((MINVALUE|MAXVALUE|''[^'']*'')\)') AS m
$$;

-- The old table becomes the first partition: its indexes are renamed out of the way of the new table's, its primary
-- key gains occurred_at (a unique index on a partitioned table contains the partition key), its external id is no
-- longer unique by itself (activity_key is), and its identity moves to the new table.
ALTER TABLE activity RENAME TO activity_legacy;
DO $$
DECLARE
    i record;
BEGIN
    FOR i IN SELECT c.relname FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
              WHERE x.indrelid = 'activity_legacy'::regclass LOOP
        EXECUTE format('ALTER INDEX %I RENAME TO %I', i.relname, replace(i.relname, 'activity_', 'activity_legacy_'));
    END LOOP;
    FOR i IN SELECT conname FROM pg_constraint WHERE conrelid = 'activity_legacy'::regclass AND contype = 'f' LOOP
        EXECUTE format('ALTER TABLE activity_legacy RENAME CONSTRAINT %I TO %I',
                       i.conname, replace(i.conname, 'activity_', 'activity_legacy_'));
    END LOOP;
END
$$;
ALTER TABLE activity_legacy DROP CONSTRAINT activity_legacy_external_id_key;
ALTER TABLE activity_legacy DROP CONSTRAINT activity_legacy_pkey;
ALTER TABLE activity_legacy ADD CONSTRAINT activity_legacy_pkey PRIMARY KEY (id, occurred_at);
CREATE TEMPORARY TABLE activity_next_id ON COMMIT DROP AS
    SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence('activity_legacy', 'id')), 0) + 1 AS next;
ALTER TABLE activity_legacy ALTER COLUMN id DROP IDENTITY;

-- Every activity ever accepted. Rows with processed_at IS NULL are the durable intake queue: the processor claims
-- them in batches and marks them processed in the same transaction that applies their effects, so each is processed
-- exactly once. An activity that keeps failing is taken out of the queue with failed_reason.
CREATE TABLE activity (
    id            bigint GENERATED ALWAYS AS IDENTITY,
    external_id   text NOT NULL,
    type          text NOT NULL,
    custom_name   text,
    occurred_at   timestamptz NOT NULL,
    received_at   timestamptz NOT NULL,
    prospect_id   bigint REFERENCES prospect(id),
    visitor_id    text,
    email         text,
    campaign_id   bigint REFERENCES campaign(id),
    properties    jsonb NOT NULL DEFAULT '{}',
    bot           boolean NOT NULL DEFAULT false,
    processed_at  timestamptz,
    failed_reason text,
    PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);
-- the same indexes as before (V1, V121, V360, V361, V400, V540), now one per partition
CREATE INDEX activity_prospect_idx ON activity (prospect_id, occurred_at);
CREATE INDEX activity_visitor_idx ON activity (visitor_id, occurred_at) WHERE visitor_id IS NOT NULL;
CREATE INDEX activity_pending_idx ON activity (id) WHERE processed_at IS NULL;
CREATE INDEX activity_pending_email_idx ON activity (email) WHERE processed_at IS NULL AND prospect_id IS NULL;
CREATE INDEX activity_campaign_idx ON activity (campaign_id) WHERE campaign_id IS NOT NULL;
CREATE INDEX activity_form_key_idx ON activity ((properties ->> 'formKey'), occurred_at)
    WHERE type IN ('FORM_SUBMIT', 'FORM_ERROR');
CREATE INDEX activity_link_id_idx ON activity ((properties ->> 'linkId'), occurred_at)
    WHERE type IN ('TRACKED_LINK_CLICK', 'FILE_DOWNLOAD');
CREATE INDEX activity_campaign_touch_idx ON activity (prospect_id, occurred_at) INCLUDE (campaign_id)
    WHERE campaign_id IS NOT NULL AND NOT bot;
CREATE INDEX activity_pending_prospect_idx ON activity (prospect_id) WHERE processed_at IS NULL AND prospect_id IS NOT NULL;

CREATE TABLE activity_default PARTITION OF activity DEFAULT;

-- The range partitions of activity and their bounds (-infinity, infinity: MINVALUE, MAXVALUE; the default partition is
-- not listed), read by the partition maintenance and the retention (intake.HistoryPartitions).
CREATE VIEW activity_partitions AS
SELECT c.relname::text AS name,
       activity_partition_bound(pg_get_expr(c.relpartbound, c.oid), 'FROM') AS lower,
       activity_partition_bound(pg_get_expr(c.relpartbound, c.oid), 'TO') AS upper
  FROM pg_inherits i
  JOIN pg_class c ON c.oid = i.inhrelid
 WHERE i.inhparent = 'activity'::regclass AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT';

-- Makes the monthly partition (UTC months) of the instant `at`, named activity_pYYYYMM, unless a partition covers that
-- month already; its rows still in the default partition move into it. Returns the partition made, or null. The new
-- table is made on its own and attached (a lock that lets reads and writes of activity go on, unlike a CREATE TABLE
-- ... PARTITION OF); attaching scans the default partition, which is meant to stay small.
CREATE FUNCTION activity_partition_for(at timestamptz) RETURNS text
    LANGUAGE plpgsql AS $$
DECLARE
    lo timestamptz := date_trunc('month', at, 'UTC');
    hi timestamptz := date_trunc('month', at, 'UTC') + interval '1 month';
    name text := 'activity_p' || to_char(date_trunc('month', at, 'UTC') AT TIME ZONE 'UTC', 'YYYYMM');
BEGIN
    IF EXISTS (SELECT 1 FROM activity_partitions p WHERE p.lower < hi AND p.upper > lo) THEN
        RETURN NULL;
    END IF;
    EXECUTE format('CREATE TABLE %I (LIKE activity INCLUDING DEFAULTS)', name);
    -- the range as a constraint first, so that attaching does not scan the new table
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (occurred_at >= %L AND occurred_at < %L)',
                   name, name || '_range', lo, hi);
    EXECUTE format('WITH moved AS (DELETE FROM activity_default WHERE occurred_at >= %L AND occurred_at < %L RETURNING *)'
                   ' INSERT INTO %I SELECT * FROM moved', lo, hi, name);
    EXECUTE format('ALTER TABLE activity ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', name, lo, hi);
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', name, name || '_range');
    RETURN name;
END
$$;

-- Makes the monthly partitions of every month from `from` to `to` (both included) that none covers yet.
CREATE FUNCTION activity_partitions_cover(from_at timestamptz, to_at timestamptz) RETURNS integer
    LANGUAGE plpgsql AS $$
DECLARE
    month timestamptz := date_trunc('month', from_at, 'UTC');
    made integer := 0;
BEGIN
    WHILE month <= to_at LOOP
        IF activity_partition_for(month) IS NOT NULL THEN
            made := made + 1;
        END IF;
        month := month + interval '1 month';
    END LOOP;
    RETURN made;
END
$$;

-- Moves every row of the default partition into a monthly partition of its own month (made for it).
CREATE FUNCTION activity_split_default() RETURNS integer
    LANGUAGE plpgsql AS $$
DECLARE
    month timestamptz;
    made integer := 0;
BEGIN
    FOR month IN SELECT DISTINCT date_trunc('month', occurred_at, 'UTC') FROM activity_default ORDER BY 1 LOOP
        IF activity_partition_for(month) IS NOT NULL THEN
            made := made + 1;
        END IF;
    END LOOP;
    RETURN made;
END
$$;

DO $$
DECLARE
    latest timestamptz := (SELECT max(occurred_at) FROM activity_legacy);
    this_month timestamptz := date_trunc('month', now(), 'UTC');
    bound timestamptz;
BEGIN
    EXECUTE format('ALTER TABLE activity ALTER COLUMN id RESTART WITH %s', (SELECT next FROM activity_next_id));
    IF latest IS NULL THEN
        DROP TABLE activity_legacy;
    ELSE
        -- activities dated after next month (a clock gone wrong) are not kept in the old table: they move to the new
        bound := least(date_trunc('month', latest, 'UTC'), this_month) + interval '1 month';
        WITH moved AS (DELETE FROM activity_legacy WHERE occurred_at >= bound RETURNING *)
        INSERT INTO activity OVERRIDING SYSTEM VALUE SELECT * FROM moved;
        EXECUTE format('ALTER TABLE activity ATTACH PARTITION activity_legacy FOR VALUES FROM (MINVALUE) TO (%L)', bound);
    END IF;
    -- this month and the next three; the partition job keeps three months ahead from now on
    PERFORM activity_partitions_cover(this_month, this_month + interval '3 months');
    PERFORM activity_split_default();
END
$$;

-- the lock of the partition job (intake.HistoryPartitionJob), which runs on one instance at a time
INSERT INTO shedlock (name, lock_until, locked_at, locked_by) VALUES ('history-partitions', '-infinity', '-infinity', '');
