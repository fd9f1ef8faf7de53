-- Lifecycle: the editable policy joins the MQL thresholds in lifecycle_thresholds (created by grading,
-- owned by lifecycle); each prospect carries the instant its inactivity check is due, so the job reads
-- only due rows; a manual move keeps the user's reason beside its cause.

ALTER TABLE lifecycle_thresholds
    ADD COLUMN engaging_types      text[] NOT NULL
        DEFAULT '{EMAIL_CLICK,FORM_SUBMIT,WEBINAR_ATTENDED,EVENT_ATTENDED,FILE_DOWNLOAD,CHAT,DEMO_REQUEST}',
    ADD COLUMN hand_raise_types    text[] NOT NULL DEFAULT '{DEMO_REQUEST}',
    ADD COLUMN hand_raise_forms    text[] NOT NULL DEFAULT '{contact sales}',
    ADD COLUMN inactivity_days     integer NOT NULL DEFAULT 90 CHECK (inactivity_days BETWEEN 1 AND 3650),
    ADD COLUMN disqualify_free_mail boolean NOT NULL DEFAULT true,
    ADD COLUMN competitor_domains  text[] NOT NULL DEFAULT '{}',
    ADD COLUMN updated_at          timestamptz;

ALTER TABLE prospect ADD COLUMN lifecycle_check_at timestamptz;
CREATE INDEX prospect_lifecycle_check_idx ON prospect (lifecycle_check_at) WHERE lifecycle_check_at IS NOT NULL;

UPDATE prospect
   SET lifecycle_check_at = coalesce(last_activity_at, captured_at) + interval '90 days'
 WHERE stage IN ('CAPTURED', 'ENGAGED', 'MQL', 'SAL');

ALTER TABLE stage_transition ADD COLUMN reason text;
