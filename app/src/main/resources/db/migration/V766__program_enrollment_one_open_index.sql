-- One index of the open enrollments instead of two (issue 16, W5; docs/programs.md "Tables"). The unique open index
-- (program_id, prospect_id) kept one active or paused enrollment per prospect per program, and V761's
-- program_enrollment_open_prospect_idx (prospect_id) served the program watcher's read of a prospect's open
-- enrollments (EnrollmentRows.openOf), which the unique index, with the prospect second, could only scan whole. Both
-- hold the same rows, and every advance moves an enrollment to another step and due time, an update that cannot be
-- HOT (due_at is indexed): a new entry in each of the table's indexes, two of them for the open rows. The unique
-- index with the prospect first serves both: uniqueness is of the pair whatever its order (the enrollers' insert names
-- it as ON CONFLICT (program_id, prospect_id) WHERE …, which infers the index by its columns as a set), and the
-- watcher's read is a probe of its prospect's range. The reads by program (a program's pause and resume, its report,
-- its enrollments) go by program_enrollment_program_idx (program_id, status, step_id), as they did.

CREATE UNIQUE INDEX program_enrollment_open_prospect_program_idx ON program_enrollment (prospect_id, program_id)
    WHERE status IN ('ACTIVE', 'PAUSED');
DROP INDEX program_enrollment_open_idx;
DROP INDEX program_enrollment_open_prospect_idx;
