-- As the other links (V450): a digest of the account as last read, so a change within the second of the last read
-- (SystemModstamp has whole seconds) is told from a re-read of the same values.
ALTER TABLE salesforce_account ADD COLUMN digest text;
