-- How a form is shown when Kindling renders it (the embed script and the form-handler snippet): its fields in order
-- with label, input type and the message shown when the field is missing or invalid, and whether the hidden honeypot
-- field is included. What a field maps to and whether it is required stay in field_mapping and required_fields.
ALTER TABLE form ADD COLUMN layout jsonb NOT NULL DEFAULT '[]';
ALTER TABLE form ADD COLUMN honeypot boolean NOT NULL DEFAULT true;
-- the form and link pages count their submissions, errors and clicks by form key and link id
CREATE INDEX activity_form_key_idx ON activity ((properties ->> 'formKey'), occurred_at)
    WHERE type IN ('FORM_SUBMIT', 'FORM_ERROR');
-- the prospects a form (or an import) captured: the first transition names its cause
CREATE INDEX stage_transition_capture_cause_idx ON stage_transition (cause) WHERE from_stage IS NULL;
CREATE INDEX activity_link_id_idx ON activity ((properties ->> 'linkId'), occurred_at)
    WHERE type IN ('TRACKED_LINK_CLICK', 'FILE_DOWNLOAD');
