-- stage_journey_refresh (V110, V111, V390) in PL/pgSQL, the same two statements: a SQL function's statements are
-- parsed and planned again on every call (PostgreSQL 17), and the triggers call it once per statement that writes
-- stage rows, prospects or visitors — W10's profile put ~2.5 ms of planning on every page-view batch's visitor upsert
-- and 2–6 ms on each form batch's prospect and stage inserts (docs/benchmarks.md, W10). PL/pgSQL keeps each
-- statement's plan for the session. Each statement still takes its own snapshot (a volatile function), so the second
-- sees what the first one's lock waited for (V390). And no prospects, nothing to do: the visitor insert trigger fires
-- for every upsert of visitors, most of them anonymous, and its refresh had nothing to refresh.
CREATE OR REPLACE FUNCTION stage_journey_refresh(ids bigint[]) RETURNS void LANGUAGE plpgsql
SET enable_seqscan = off AS $$
BEGIN
    IF coalesce(cardinality(ids), 0) = 0 THEN
        RETURN;
    END IF;

    PERFORM 1 FROM stage_journey WHERE prospect_id = ANY(ids) ORDER BY prospect_id FOR UPDATE;

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
           -- p": a walk of every visitor seen earlier, per prospect (V111)
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
            EXCLUDED.t_sql, EXCLUDED.t_customer, EXCLUDED.t_recycled, EXCLUDED.t_disqualified, EXCLUDED.t_visit);
END
$$;
