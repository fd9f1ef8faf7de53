-- The open enrollments of a prospect, by prospect: the program watcher's read per event batch
-- (dev.kindling.programs.EnrollmentRows.openOf, one index range per prospect). Without it the planner could pick the
-- unique open index (program_id, prospect_id), whose predicate matches, with the prospect as a non-leading column: a
-- scan of the whole index per prospect. The plans of W1 at S with the realistic configuration (auto_explain, issue 16)
-- showed it in 35 of 37 logged calls, about 1,540 buffers a prospect for 4 open rows, from the timed run's start
-- until autovacuum analyzed the table after the programs' 400,000 enrollments (then the index by prospect, 7 buffers):
-- a plan made on stale statistics. This index is the cheapest path under any statistics.
CREATE INDEX program_enrollment_open_prospect_idx ON program_enrollment (prospect_id)
    WHERE status IN ('ACTIVE', 'PAUSED');
