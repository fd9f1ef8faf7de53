-- The owner follows Salesforce (docs/salesforce.md): a Salesforce user matched later gives the records it owns their
-- owner, found by the owner kept in each link's field state.
CREATE INDEX salesforce_record_owner_idx ON salesforce_record ((fields->'owner'->>'sf')) WHERE state = 'ACTIVE';

-- Kindling adds members to the Salesforce campaigns its own touches belong to: one row per prospect and campaign,
-- queued in the transaction that recorded the touch (or linked the prospect), pushed by the cycle, kept once done so a
-- membership is created once. next_attempt_at is null once done or parked in the error queue.
CREATE TABLE salesforce_member_push (
    prospect_id     bigint NOT NULL REFERENCES prospect (id) ON DELETE CASCADE,
    campaign_sf_id  text NOT NULL CHECK (length(campaign_sf_id) = 18),
    member_sf_id    text CHECK (length(member_sf_id) = 18),
    queued_at       timestamptz NOT NULL,
    next_attempt_at timestamptz,
    attempts        integer NOT NULL DEFAULT 0,
    done_at         timestamptz,
    PRIMARY KEY (prospect_id, campaign_sf_id)
);
CREATE INDEX salesforce_member_push_due_idx ON salesforce_member_push (next_attempt_at)
    WHERE next_attempt_at IS NOT NULL;
CREATE INDEX salesforce_member_push_member_idx ON salesforce_member_push (member_sf_id)
    WHERE member_sf_id IS NOT NULL;
