-- Lists (SPEC §8): static (members added by hand, import or action) and dynamic (members are the prospects
-- meeting a condition). list_member is the current membership; list_membership_event keeps every join and
-- leave with its reason.

CREATE TABLE list (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('STATIC', 'DYNAMIC')),
    condition   jsonb,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    CHECK ((kind = 'DYNAMIC') = (condition IS NOT NULL))
);
CREATE UNIQUE INDEX list_name_idx ON list (lower(name));

CREATE TABLE list_member (
    list_id     bigint NOT NULL REFERENCES list(id) ON DELETE CASCADE,
    prospect_id bigint NOT NULL REFERENCES prospect(id) ON DELETE CASCADE,
    since       timestamptz NOT NULL,
    PRIMARY KEY (list_id, prospect_id)
);
CREATE INDEX list_member_prospect_idx ON list_member (prospect_id);

CREATE TABLE list_membership_event (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    list_id     bigint NOT NULL REFERENCES list(id) ON DELETE CASCADE,
    prospect_id bigint NOT NULL REFERENCES prospect(id) ON DELETE CASCADE,
    at          timestamptz NOT NULL,
    change      text NOT NULL CHECK (change IN ('JOINED', 'LEFT')),
    reason      text NOT NULL CHECK (reason IN ('condition', 'manual', 'import', 'action', 'rebuild'))
);
CREATE INDEX list_membership_event_list_idx ON list_membership_event (list_id, id);
CREATE INDEX list_membership_event_prospect_idx ON list_membership_event (prospect_id, id);
