-- Saved views (issue 15): a user's named filters and sort of a list page, kept as the page's query string
-- (only the page's known parameters). Owned by the prospects module, which owns the prospects list pages.

CREATE TABLE saved_view (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    page        text NOT NULL CHECK (page IN ('prospects')),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    query       text NOT NULL CHECK (length(query) <= 2000),
    created_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX saved_view_name_idx ON saved_view (user_id, page, lower(name));
