-- The time of a prospect's last stage transition, kept on the prospect (docs/lifecycle.md, "Stage history"). The
-- intake's and the lifecycle's loads of prospect states read it with the row, instead of max(at) over the prospect's
-- transitions, which since V630 probes stage_transition's (prospect_id, at) index once per month partition for every
-- prospect loaded (docs/benchmarks.md, "W1 before and after partitioned history").
--
-- stage_changed_at: the latest transition of the prospect dated after its capture, null when none is; so
-- greatest(captured_at, stage_changed_at) = greatest(captured_at, max(stage_transition.at)), the time before which no
-- new transition is dated (lifecycle.StageHistory.STAGE_CHANGED_AT). A transition dated at the capture (every
-- prospect's first, CAPTURED) leaves the row alone. Kept by the trigger below for every writer of transitions (the
-- app, the demo, the benchmark loaders); the merge, which lowers captured_at and hands the loser's transitions to the
-- survivor, sets the survivor's from its transitions (lifecycle.LifecycleMergeStep). Dropping old partitions
-- (retention) does not change it: the stage still changed then.
ALTER TABLE prospect ADD COLUMN stage_changed_at timestamptz;

UPDATE prospect p SET stage_changed_at = t.at
  FROM (SELECT prospect_id, max(at) AS at FROM stage_transition GROUP BY prospect_id) t
 WHERE t.prospect_id = p.id AND t.at > p.captured_at;

-- Once per INSERT statement, with the statement's rows (of every partition): the prospects whose new latest
-- transition is later than what their row says.
CREATE FUNCTION prospect_stage_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE prospect p SET stage_changed_at = t.at
      FROM (SELECT prospect_id, max(at) AS at FROM new_transitions GROUP BY prospect_id) t
     WHERE p.id = t.prospect_id AND t.at > greatest(p.captured_at, p.stage_changed_at);
    RETURN NULL;
END
$$;

CREATE TRIGGER prospect_stage_changed AFTER INSERT ON stage_transition
    REFERENCING NEW TABLE AS new_transitions
    FOR EACH STATEMENT EXECUTE FUNCTION prospect_stage_changed();
