-- A step entered and executed in the same advance (an ACTION, a RULE, an END: they run at once) is recorded by its run
-- alone (issue 16, W5; docs/programs.md "Tables"): the run's entered says it was entered too, and no program_step_entry
-- row is written for it. It was two rows, each a heap tuple and two index entries, for one event: in W5's burst one of
-- the four rows a transition wrote. The report's "entered" counts the entry rows and the runs marked entered; a merge's
-- "further along" likewise. Rows written before keep their entry rows (entered is false on their runs), so nothing
-- is counted twice.
--
-- Exactly once still: an advance starts from the enrollment's latest committed state, held locked, so a step's visit
-- is entered by one advance only; that advance writes either the entry row or the marked run. A run key recorded
-- before (a replay) means the step was executed, so its entry was counted then, and the replay writes neither.

ALTER TABLE program_step_run ADD COLUMN entered boolean NOT NULL DEFAULT false;
