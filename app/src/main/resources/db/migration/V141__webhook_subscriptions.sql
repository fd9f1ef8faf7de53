-- Webhook subscriptions: an endpoint, the events it wants ('*' for all) and the secret its deliveries are signed
-- with (HMAC-SHA256 over the raw body). Deleting one keeps its delivery log (deleted_at) and cancels what is pending.
CREATE TABLE webhook_subscription (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url         text NOT NULL,
    events      text[] NOT NULL,
    secret      text NOT NULL,
    description text,
    created_at  timestamptz NOT NULL,
    deleted_at  timestamptz
);

-- The secret the rule action callWebhook signs with (one for the instance, like an app secret); made at startup.
CREATE TABLE webhook_signing_secret (
    id         integer PRIMARY KEY CHECK (id = 1),
    secret     text NOT NULL,
    created_at timestamptz NOT NULL
);

-- The one webhook outbox carries both rule calls (subscription_id NULL) and subscription deliveries; each row is a
-- delivery with a stable id (X-Kindling-Delivery, the same on every retry) and is its own log line.
ALTER TABLE webhook_outbox
    ADD COLUMN delivery_id     uuid NOT NULL DEFAULT gen_random_uuid(),
    ADD COLUMN event           text NOT NULL DEFAULT 'rule.webhook',
    ADD COLUMN subscription_id bigint REFERENCES webhook_subscription(id),
    ADD COLUMN dedupe_key      text,
    ADD COLUMN last_status     integer;
CREATE UNIQUE INDEX webhook_outbox_delivery_idx ON webhook_outbox (delivery_id);
CREATE UNIQUE INDEX webhook_outbox_dedupe_idx ON webhook_outbox (subscription_id, dedupe_key)
    WHERE dedupe_key IS NOT NULL;
CREATE INDEX webhook_outbox_subscription_idx ON webhook_outbox (subscription_id, id DESC);
CREATE INDEX webhook_outbox_recent_idx ON webhook_outbox (created_at DESC, id DESC);
