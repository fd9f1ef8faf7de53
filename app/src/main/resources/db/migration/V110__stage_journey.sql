-- One row per prospect with the first time it entered each stage: the lifecycle report's input, a pure function of
-- prospect.captured_at and stage_reached, kept current by statement-level triggers in the same transaction as every
-- write of those (docs/reports.md, "Stored journeys").
--   captured_at       the prospect's capture time (copy of prospect.captured_at: the cohort's period test)
--   t_captured …      min(stage_reached.first_entered_at) of that stage; t_captured falls back to captured_at when
--                     no CAPTURED row exists, as the report always did
CREATE TABLE stage_journey (
    prospect_id    bigint PRIMARY KEY REFERENCES prospect(id) ON DELETE CASCADE,
    captured_at    timestamptz NOT NULL,
    t_captured     timestamptz NOT NULL,
    t_engaged      timestamptz,
    t_mql          timestamptz,
    t_sal          timestamptz,
    t_sql          timestamptz,
    t_customer     timestamptz,
    t_recycled     timestamptz,
    t_disqualified timestamptz
);

-- Recomputes the journeys of these prospects from the base tables (never incrementally: the row is by construction
-- what the report used to aggregate), writing only rows that change.
CREATE FUNCTION stage_journey_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO stage_journey AS j (prospect_id, captured_at, t_captured, t_engaged, t_mql, t_sal, t_sql, t_customer,
                                    t_recycled, t_disqualified)
    SELECT p.id, p.captured_at,
           coalesce(min(r.first_entered_at) FILTER (WHERE r.stage = 'CAPTURED'), p.captured_at),
           min(r.first_entered_at) FILTER (WHERE r.stage = 'ENGAGED'),
           min(r.first_entered_at) FILTER (WHERE r.stage = 'MQL'),
           min(r.first_entered_at) FILTER (WHERE r.stage = 'SAL'),
           min(r.first_entered_at) FILTER (WHERE r.stage = 'SQL'),
           min(r.first_entered_at) FILTER (WHERE r.stage = 'CUSTOMER'),
           min(r.first_entered_at) FILTER (WHERE r.stage = 'RECYCLED'),
           min(r.first_entered_at) FILTER (WHERE r.stage = 'DISQUALIFIED')
      FROM (SELECT DISTINCT unnest(ids) AS id) u
      JOIN prospect p ON p.id = u.id
      LEFT JOIN stage_reached r ON r.prospect_id = p.id
     GROUP BY p.id
     ORDER BY p.id
    ON CONFLICT (prospect_id) DO UPDATE
       SET captured_at = EXCLUDED.captured_at, t_captured = EXCLUDED.t_captured, t_engaged = EXCLUDED.t_engaged,
           t_mql = EXCLUDED.t_mql, t_sal = EXCLUDED.t_sal, t_sql = EXCLUDED.t_sql, t_customer = EXCLUDED.t_customer,
           t_recycled = EXCLUDED.t_recycled, t_disqualified = EXCLUDED.t_disqualified
     WHERE (j.captured_at, j.t_captured, j.t_engaged, j.t_mql, j.t_sal, j.t_sql, j.t_customer, j.t_recycled,
            j.t_disqualified)
           IS DISTINCT FROM
           (EXCLUDED.captured_at, EXCLUDED.t_captured, EXCLUDED.t_engaged, EXCLUDED.t_mql, EXCLUDED.t_sal,
            EXCLUDED.t_sql, EXCLUDED.t_customer, EXCLUDED.t_recycled, EXCLUDED.t_disqualified)
$$;

CREATE FUNCTION stage_journey_from_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM stage_journey_refresh(ARRAY(SELECT prospect_id FROM changed));
    RETURN NULL;
END $$;

CREATE FUNCTION stage_journey_from_prospects() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM stage_journey_refresh(ARRAY(SELECT id FROM changed));
    RETURN NULL;
END $$;

CREATE FUNCTION stage_journey_from_prospect_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM stage_journey_refresh(ARRAY[NEW.id]);
    RETURN NULL;
END $$;

-- Transition tables allow one event per trigger: insert, update and delete of stage_reached each have their own.
CREATE TRIGGER stage_journey_reached_insert AFTER INSERT ON stage_reached
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION stage_journey_from_new();
CREATE TRIGGER stage_journey_reached_update AFTER UPDATE ON stage_reached
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION stage_journey_from_new();
CREATE TRIGGER stage_journey_reached_delete AFTER DELETE ON stage_reached
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION stage_journey_from_new();
-- A new prospect has a journey at once (its capture time), whichever path created it.
CREATE TRIGGER stage_journey_prospect_insert AFTER INSERT ON prospect
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION stage_journey_from_prospects();
-- Nothing in the app moves a capture time; if anything does, its journey follows. Row-level with a WHEN, so the
-- frequent prospect updates that do not set captured_at cost nothing.
CREATE TRIGGER stage_journey_prospect_captured AFTER UPDATE OF captured_at ON prospect
    FOR EACH ROW WHEN (OLD.captured_at IS DISTINCT FROM NEW.captured_at)
    EXECUTE FUNCTION stage_journey_from_prospect_row();

-- Backfill.
INSERT INTO stage_journey (prospect_id, captured_at, t_captured, t_engaged, t_mql, t_sal, t_sql, t_customer,
                           t_recycled, t_disqualified)
SELECT p.id, p.captured_at,
       coalesce(min(r.first_entered_at) FILTER (WHERE r.stage = 'CAPTURED'), p.captured_at),
       min(r.first_entered_at) FILTER (WHERE r.stage = 'ENGAGED'),
       min(r.first_entered_at) FILTER (WHERE r.stage = 'MQL'),
       min(r.first_entered_at) FILTER (WHERE r.stage = 'SAL'),
       min(r.first_entered_at) FILTER (WHERE r.stage = 'SQL'),
       min(r.first_entered_at) FILTER (WHERE r.stage = 'CUSTOMER'),
       min(r.first_entered_at) FILTER (WHERE r.stage = 'RECYCLED'),
       min(r.first_entered_at) FILTER (WHERE r.stage = 'DISQUALIFIED')
  FROM prospect p
  LEFT JOIN stage_reached r ON r.prospect_id = p.id
 GROUP BY p.id;

CREATE INDEX stage_journey_captured_idx ON stage_journey (captured_at);
