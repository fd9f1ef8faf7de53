-- Grading (fit): profiles of weighted criteria, rules that assign a profile to a prospect, and
-- on each prospect the profile that graded it and the explanation of its grade. The grade itself
-- is stored as its display string ("C+") in prospect.grade.

CREATE TABLE grading_profile (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    is_default  boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
-- at most one default profile; the app installs it on first start
CREATE UNIQUE INDEX grading_profile_one_default ON grading_profile (is_default) WHERE is_default;

-- A criterion: field operator values, weight in thirds of a letter grade. An empty value list
-- means "inactive until filled in". Field and operator names are validated by the app.
CREATE TABLE grading_criterion (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    profile_id        bigint NOT NULL REFERENCES grading_profile(id) ON DELETE CASCADE,
    position          integer NOT NULL,
    label             text NOT NULL,
    field             text NOT NULL,
    operator          text NOT NULL,
    condition_values  jsonb NOT NULL DEFAULT '[]',
    weight            integer NOT NULL CHECK (weight BETWEEN 1 AND 3)
);
CREATE INDEX grading_criterion_profile_idx ON grading_criterion (profile_id, position);

-- Ordered rules: the first whose condition matches assigns its profile; else the default profile.
CREATE TABLE grading_assignment_rule (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    position          integer NOT NULL,
    field             text NOT NULL,
    operator          text NOT NULL,
    condition_values  jsonb NOT NULL DEFAULT '[]',
    profile_id        bigint NOT NULL REFERENCES grading_profile(id)
);

ALTER TABLE prospect
    ADD COLUMN grading_profile_id bigint REFERENCES grading_profile(id) ON DELETE SET NULL,
    ADD COLUMN grade_explanation jsonb;
-- keyset pages of one profile's prospects when the profile is edited; also finds the ungraded (NULL)
CREATE INDEX prospect_grading_profile_idx ON prospect (grading_profile_id, id);

-- The lifecycle thresholds the derived signals read (stars, flames, quadrant). One row. Created
-- here because grading needs them first; the lifecycle capability owns this table and extends it
-- (its own columns, its API) in its migrations.
CREATE TABLE lifecycle_thresholds (
    id            boolean PRIMARY KEY DEFAULT true CHECK (id),
    mql_score     integer NOT NULL DEFAULT 50,
    mql_grade     text NOT NULL DEFAULT 'C'
                  CHECK (mql_grade IN ('F','D-','D','D+','C-','C','C+','B-','B','B+','A-','A','A+')),
    one_flame     integer NOT NULL DEFAULT 10,
    two_flames    integer NOT NULL DEFAULT 30,
    three_flames  integer NOT NULL DEFAULT 60,
    CHECK (one_flame <= two_flames AND two_flames <= three_flames)
);
INSERT INTO lifecycle_thresholds DEFAULT VALUES;

-- The position of a grade from F (1) to A+ (13); NULL for no grade. Mirrors engine Grade.
CREATE FUNCTION grade_rank(grade text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN array_position(ARRAY['F','D-','D','D+','C-','C','C+','B-','B','B+','A-','A','A+'], grade);

-- The fit × interest quadrant of a score and grade under the current thresholds, for set-based
-- filters and reports. Mirrors engine Thresholds.quadrant (an ungraded prospect is low fit).
CREATE FUNCTION prospect_quadrant(score integer, grade text) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (SELECT CASE
                WHEN coalesce(grade_rank(grade) >= grade_rank(t.mql_grade), false)
                    THEN CASE WHEN score >= t.mql_score THEN 'HOT' ELSE 'NURTURE' END
                ELSE CASE WHEN score >= t.mql_score THEN 'SCREEN' ELSE 'DISCARD' END
            END
            FROM lifecycle_thresholds t);
