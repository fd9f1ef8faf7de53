-- A file uploaded to Kindling to be tracked: the tracked link (kind FILE) redirects to its public address
-- /l/files/{slug}/{filename}; the slug is random, so a file is found only through its link.
CREATE TABLE tracked_file (
    link_id       bigint PRIMARY KEY REFERENCES tracked_link(id) ON DELETE CASCADE,
    slug          text NOT NULL UNIQUE,
    filename      text NOT NULL,
    content_type  text NOT NULL,
    size          bigint NOT NULL,
    content       bytea NOT NULL,
    uploaded_at   timestamptz NOT NULL
);
