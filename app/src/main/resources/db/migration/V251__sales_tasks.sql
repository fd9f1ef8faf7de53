-- Sales tasks (SPEC §7 "create sales task", §9 the follow-up task of a handoff): real objects with an owner, a due
-- time and a status, listed on the lead page and in the owner's queue. created_by names what made the task:
-- handoff:<id>, rule:<id>, form:<key>, link:<id>, program:<id> or user:<email>.
CREATE TABLE sales_task (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    prospect_id  bigint NOT NULL REFERENCES prospect(id) ON DELETE CASCADE,
    owner_id     bigint REFERENCES app_user(id),
    subject      text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    due_at       timestamptz NOT NULL,
    status       text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'DONE')),
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL,
    handoff_id   bigint REFERENCES sales_handoff(id),
    done_at      timestamptz,
    done_by      bigint REFERENCES app_user(id),
    CHECK ((status = 'DONE') = (done_at IS NOT NULL))
);
CREATE INDEX sales_task_prospect_idx ON sales_task (prospect_id, due_at);
CREATE INDEX sales_task_open_owner_idx ON sales_task (owner_id, due_at) WHERE status = 'OPEN';
