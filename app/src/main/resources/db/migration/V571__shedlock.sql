-- Locks of the jobs that run on one instance at a time (ShedLock's JDBC provider; docs/cluster.md).
CREATE TABLE shedlock (
    name       VARCHAR(64) NOT NULL PRIMARY KEY,
    lock_until TIMESTAMPTZ NOT NULL,
    locked_at  TIMESTAMPTZ NOT NULL,
    locked_by  VARCHAR(255) NOT NULL
);

-- The row of each lock exists from the start and is never deleted: ShedLock remembers which rows it has inserted and
-- afterwards only updates them, so a deleted row would never be taken again (until a restart).
INSERT INTO shedlock (name, lock_until, locked_at, locked_by) VALUES ('salesforce-cycle', '-infinity', '-infinity', '');
