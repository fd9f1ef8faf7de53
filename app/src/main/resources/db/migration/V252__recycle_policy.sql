-- What recycling does to the score (docs/lifecycle.md, "Recycling"): RESET to 0 by default, or SUBTRACT N points, or
-- REQUIRE_NEW_POINTS (lower the score to N below the MQL score). The lifecycle settings validate the same rules.
ALTER TABLE lifecycle_thresholds
    ADD COLUMN recycle_mode text NOT NULL DEFAULT 'RESET'
        CHECK (recycle_mode IN ('RESET', 'SUBTRACT', 'REQUIRE_NEW_POINTS')),
    ADD COLUMN recycle_points integer NOT NULL DEFAULT 0
        CHECK (recycle_points BETWEEN 0 AND 100000),
    ADD CONSTRAINT lifecycle_recycle_points CHECK ((recycle_mode = 'RESET') = (recycle_points = 0));
