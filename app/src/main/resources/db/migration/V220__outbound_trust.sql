-- Marketing mail that may not leave yet (no public URL for its links) is kept as HELD with the reason, never sent.
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_status_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_status_check
    CHECK (status IN ('PENDING', 'SENT', 'FAILED', 'LOCAL', 'HELD'));

ALTER TABLE email_message DROP CONSTRAINT email_message_suppressed_reason_check;
ALTER TABLE email_message ADD CONSTRAINT email_message_suppressed_reason_check
    CHECK (suppressed_reason IN ('OPTED_OUT', 'HARD_BOUNCED', 'DO_NOT_EMAIL', 'SUPPRESSION_LIST', 'FREQUENCY_CAP',
                                 'NO_PUBLIC_URL'));

-- Webhook secret rotation (Standard Webhooks): after a new secret is made the previous one keeps signing, next to
-- it, until previous_secret_until.
ALTER TABLE webhook_subscription
    ADD COLUMN previous_secret       text,
    ADD COLUMN previous_secret_until timestamptz;
ALTER TABLE webhook_signing_secret
    ADD COLUMN previous_secret       text,
    ADD COLUMN previous_secret_until timestamptz;
