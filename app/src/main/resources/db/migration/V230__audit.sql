-- The audit log (docs/audit.md): one row per configuration change or manual change to a prospect, with who made it
-- (a user, an API key or the system), when, on what, and the object before and after as JSON. Append-only: the
-- trigger below refuses every UPDATE, DELETE and TRUNCATE, with one exception — erasing a prospect (docs/privacy.md)
-- may blank the before/after of the entries about that prospect (redacted), changing nothing else.
CREATE TABLE audit_entry (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             timestamptz NOT NULL,
    actor_type     text NOT NULL CHECK (actor_type IN ('USER', 'API_KEY', 'SYSTEM')),
    actor_user_id  bigint,
    actor_email    text,
    api_key_id     bigint,
    api_key_name   text,
    object_type    text NOT NULL,
    object_id      text,
    action         text NOT NULL,
    before         jsonb,
    after          jsonb,
    redacted       boolean NOT NULL DEFAULT false
);
CREATE INDEX audit_entry_at_idx ON audit_entry (at DESC, id DESC);
CREATE INDEX audit_entry_object_idx ON audit_entry (object_type, object_id, id DESC);
CREATE INDEX audit_entry_actor_idx ON audit_entry (lower(actor_email), id DESC);

CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NOT OLD.redacted AND NEW.redacted AND NEW.before IS NULL AND NEW.after IS NULL
       AND (NEW.id, NEW.at, NEW.actor_type, NEW.actor_user_id, NEW.actor_email, NEW.api_key_id, NEW.api_key_name,
            NEW.object_type, NEW.object_id, NEW.action)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.actor_type, OLD.actor_user_id, OLD.actor_email, OLD.api_key_id, OLD.api_key_name,
            OLD.object_type, OLD.object_id, OLD.action) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_entry_no_update BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only();
