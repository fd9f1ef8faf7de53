-- A rule may score only the Nth matching activity within a window of D days (closed-loop frequency bands).
ALTER TABLE scoring_rule
    ADD COLUMN occurrence  integer CHECK (occurrence BETWEEN 1 AND 1000),
    ADD COLUMN within_days integer CHECK (within_days BETWEEN 1 AND 366),
    ADD CHECK ((occurrence IS NULL) = (within_days IS NULL));
