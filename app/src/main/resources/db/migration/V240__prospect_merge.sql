-- Prospect merge (SPEC §2, docs/prospects.md): the survivor keeps its id; each merged (deleted) prospect leaves a row
-- here so its id still answers (308 to the survivor in the API, a redirect in the UI) and its email still finds the
-- survivor. Chains collapse: when a survivor is itself merged later, its losers point at the new survivor.
CREATE TABLE prospect_merged (
    loser_id     bigint PRIMARY KEY,
    survivor_id  bigint NOT NULL REFERENCES prospect(id) ON DELETE CASCADE,
    loser_email  text NOT NULL,
    merged_at    timestamptz NOT NULL,
    automatic    boolean NOT NULL
);
CREATE INDEX prospect_merged_survivor_idx ON prospect_merged (survivor_id);
CREATE INDEX prospect_merged_email_idx ON prospect_merged (loser_email);
