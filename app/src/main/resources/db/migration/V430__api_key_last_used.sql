-- When each API key was last used (to the minute: a key's requests write it at most once a minute), shown on the
-- API keys page so an unused key can be found and revoked.
ALTER TABLE api_key ADD COLUMN last_used_at timestamptz;
