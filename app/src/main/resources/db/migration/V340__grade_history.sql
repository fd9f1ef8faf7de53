-- Grading: each prospect's grade over time (docs/grading.md, "Grade history"), so a report can read the grade a
-- prospect had at an instant (the closed-loop report: at its first opportunity's creation). Owned by grading: the
-- grader appends a row whenever it changes a prospect's grade, in the same statement.
CREATE TABLE grade_history (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    prospect_id  bigint NOT NULL REFERENCES prospect(id) ON DELETE CASCADE,
    at           timestamptz NOT NULL,
    grade        text
);
CREATE INDEX grade_history_prospect_idx ON grade_history (prospect_id, at, id);

-- Older data has no history: each graded prospect's grade as of this migration is its first entry. A report asking
-- for an earlier instant falls back to it (and says how many prospects it did that for).
INSERT INTO grade_history (prospect_id, at, grade)
SELECT id, now(), grade FROM prospect WHERE grade IS NOT NULL;
