-- Concurrent writers of one prospect's base tables (intake's stage batch and a page view's visitor link, say) each
-- refreshed the journey from their own snapshot: the later one, after waiting for the earlier one's row lock, wrote
-- values computed without the earlier one's rows. The refresh now locks the journeys first and computes them in a
-- second statement, whose fresh snapshot (READ COMMITTED) includes whatever the lock waited for.
CREATE OR REPLACE FUNCTION stage_journey_refresh(ids bigint[]) RETURNS void LANGUAGE sql
SET enable_seqscan = off AS $$
    SELECT 1 FROM stage_journey WHERE prospect_id = ANY(ids) ORDER BY prospect_id FOR UPDATE;

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
$$;
