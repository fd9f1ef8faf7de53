-- Each user's language for the UI ('en' or 'ja') and time zone (an IANA zone id) for showing times; exports stay UTC.
ALTER TABLE app_user ADD COLUMN language text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'ja'));
ALTER TABLE app_user ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC';
