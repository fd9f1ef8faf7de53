-- A Kindling campaign an admin links to a Salesforce Campaign (docs/salesforce.md, "Campaigns and members").
-- origin: SALESFORCE for a campaign the Campaign sync read (it stays linked), KINDLING for a campaign born in Kindling
-- and linked by an admin (who may unlink it); linked_at: when the admin linked it. A link to a Campaign not read yet
-- has the epoch as its stamp: the Campaign sync writes it into the linked campaign when it reads it.
ALTER TABLE salesforce_campaign
    ADD COLUMN origin text NOT NULL DEFAULT 'SALESFORCE' CHECK (origin IN ('SALESFORCE', 'KINDLING')),
    ADD COLUMN linked_at timestamptz;

-- A Campaign to create in Salesforce for a Kindling campaign (the link step's "create"): queued with the request,
-- created by the next cycle, which then links it and queues the campaign's earlier touches as members; the row goes
-- with the creation. next_attempt_at is null while the creation is parked in the error queue.
CREATE TABLE salesforce_campaign_push (
    campaign_id     bigint PRIMARY KEY REFERENCES campaign (id) ON DELETE CASCADE,
    queued_at       timestamptz NOT NULL,
    next_attempt_at timestamptz,
    attempts        integer NOT NULL DEFAULT 0
);
CREATE INDEX salesforce_campaign_push_due_idx ON salesforce_campaign_push (next_attempt_at)
    WHERE next_attempt_at IS NOT NULL;
