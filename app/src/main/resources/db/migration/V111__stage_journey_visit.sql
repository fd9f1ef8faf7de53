-- The prospect's earliest non-bot visitor's first visit, stored on its journey (docs/reports.md, "Stored journeys"):
-- the report's Visitors → Prospects velocity no longer aggregates every visitor per request.
ALTER TABLE stage_journey ADD COLUMN t_visit timestamptz;

-- Index lookups per prospect, whatever the statistics say: planned while a table looks empty (a fresh install, a bulk
-- load not yet analysed), a lookup can become a sequential scan per prospect, and a hash join instead would scan all
-- visitors for every small stage batch of intake.
CREATE OR REPLACE FUNCTION stage_journey_refresh(ids bigint[]) RETURNS void LANGUAGE sql
SET enable_seqscan = off AS $$
    INSERT INTO stage_journey AS j (prospect_id, captured_at, t_captured, t_engaged, t_mql, t_sal, t_sql, t_customer,
                                    t_recycled, t_disqualified, t_visit)
    SELECT p.id, p.captured_at,
           coalesce(min(r.first_entered_at) FILTER (WHERE r.stage = 'CAPTURED'), p.captured_at),
           min(r.first_entered_at) FILTER (WHERE r.stage = 'ENGAGED'),
           min(r.first_entered_at) FILTER (WHERE r.stage = 'MQL'),
           min(r.first_entered_at) FILTER (WHERE r.stage = 'SAL'),
           min(r.first_entered_at) FILTER (WHERE r.stage = 'SQL'),
           min(r.first_entered_at) FILTER (WHERE r.stage = 'CUSTOMER'),
           min(r.first_entered_at) FILTER (WHERE r.stage = 'RECYCLED'),
           min(r.first_entered_at) FILTER (WHERE r.stage = 'DISQUALIFIED'),
           -- GROUP BY keeps PostgreSQL from turning min() into "first by visitor_first_seen_idx whose prospect is
           -- p": a walk of every visitor seen earlier, per prospect
           (SELECT min(v.first_seen_at) FROM visitor v WHERE v.prospect_id = p.id AND NOT v.bot GROUP BY v.prospect_id)
      FROM (SELECT DISTINCT unnest(ids) AS id) u
      JOIN prospect p ON p.id = u.id
      LEFT JOIN stage_reached r ON r.prospect_id = p.id
     GROUP BY p.id
     ORDER BY p.id
    ON CONFLICT (prospect_id) DO UPDATE
       SET captured_at = EXCLUDED.captured_at, t_captured = EXCLUDED.t_captured, t_engaged = EXCLUDED.t_engaged,
           t_mql = EXCLUDED.t_mql, t_sal = EXCLUDED.t_sal, t_sql = EXCLUDED.t_sql, t_customer = EXCLUDED.t_customer,
           t_recycled = EXCLUDED.t_recycled, t_disqualified = EXCLUDED.t_disqualified, t_visit = EXCLUDED.t_visit
     WHERE (j.captured_at, j.t_captured, j.t_engaged, j.t_mql, j.t_sal, j.t_sql, j.t_customer, j.t_recycled,
            j.t_disqualified, j.t_visit)
           IS DISTINCT FROM
           (EXCLUDED.captured_at, EXCLUDED.t_captured, EXCLUDED.t_engaged, EXCLUDED.t_mql, EXCLUDED.t_sal,
            EXCLUDED.t_sql, EXCLUDED.t_customer, EXCLUDED.t_recycled, EXCLUDED.t_disqualified, EXCLUDED.t_visit)
$$;

CREATE FUNCTION stage_journey_from_visitors() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM stage_journey_refresh(ARRAY(SELECT prospect_id FROM changed WHERE prospect_id IS NOT NULL));
    RETURN NULL;
END $$;

CREATE FUNCTION stage_journey_from_visitor_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM stage_journey_refresh(ARRAY[OLD.prospect_id, NEW.prospect_id]);
    RETURN NULL;
END $$;

-- New visitors: one statement-level refresh of the linked ones (intake's visitor upsert inserts few new rows).
CREATE TRIGGER stage_journey_visitor_insert AFTER INSERT ON visitor
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION stage_journey_from_visitors();
-- Updates: every intake batch and page view touches visitors (last seen, user agent), so a row trigger limited to
-- the three columns that matter, firing only when one of them changes for a linked visitor (a link, a lowered first
-- visit, a bot flag), instead of a transition table of every visitor updated.
CREATE TRIGGER stage_journey_visitor_update AFTER UPDATE OF prospect_id, first_seen_at, bot ON visitor
    FOR EACH ROW
    WHEN ((OLD.prospect_id IS NOT NULL OR NEW.prospect_id IS NOT NULL)
          AND (OLD.prospect_id, OLD.first_seen_at, OLD.bot) IS DISTINCT FROM (NEW.prospect_id, NEW.first_seen_at, NEW.bot))
    EXECUTE FUNCTION stage_journey_from_visitor_row();
CREATE TRIGGER stage_journey_visitor_delete AFTER DELETE ON visitor
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION stage_journey_from_visitors();

-- Backfill.
UPDATE stage_journey j SET t_visit = v.t_visit
  FROM (SELECT prospect_id, min(first_seen_at) AS t_visit FROM visitor WHERE NOT bot AND prospect_id IS NOT NULL
         GROUP BY prospect_id) v
 WHERE v.prospect_id = j.prospect_id;
