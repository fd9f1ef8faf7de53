-- The optional third MQL condition (SPEC 5): "and did a key action within N days". Activities of these types are
-- key actions; the empty set (the default) leaves the condition off, and the days are then ignored.
ALTER TABLE lifecycle_thresholds
    ADD COLUMN mql_key_action_types text[]  NOT NULL DEFAULT '{}',
    ADD COLUMN mql_key_action_days  integer NOT NULL DEFAULT 0
        CHECK (mql_key_action_days BETWEEN 0 AND 3650),
    ADD CONSTRAINT lifecycle_key_action_days_set
        CHECK (cardinality(mql_key_action_types) = 0 OR mql_key_action_days >= 1);
