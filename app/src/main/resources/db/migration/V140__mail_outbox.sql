-- The mail transport: every email the app sends is first a row here, written in the transaction that decided to
-- send it (so a mail goes out exactly for what committed). The dedupe key makes enqueueing idempotent: the same key
-- twice is one mail. A worker sends PENDING rows over SMTP after commit; with no SMTP server configured a mail is
-- LOCAL (kept here and shown on the Outbox page, never sent).
CREATE TABLE mail_outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dedupe_key      text NOT NULL UNIQUE,
    kind            text NOT NULL CHECK (kind IN ('NOTIFICATION', 'MARKETING')),
    to_address      text NOT NULL,
    subject         text NOT NULL,
    text_body       text NOT NULL,
    html_body       text,
    headers         jsonb NOT NULL DEFAULT '{}',
    prospect_id     bigint REFERENCES prospect(id) ON DELETE SET NULL,
    status          text NOT NULL CHECK (status IN ('PENDING', 'SENT', 'FAILED', 'LOCAL')),
    created_at      timestamptz NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    sent_at         timestamptz,
    message_id      text,
    last_error      text
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX mail_outbox_recent_idx ON mail_outbox (created_at DESC, id DESC);
CREATE INDEX mail_outbox_prospect_idx ON mail_outbox (prospect_id) WHERE prospect_id IS NOT NULL;
