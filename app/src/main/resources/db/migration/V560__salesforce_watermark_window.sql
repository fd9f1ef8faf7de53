-- The change poll's window (docs/salesforce.md, "Change polls and the overlap window"): when the highest stamp read was
-- first seen (Kindling's clock), and the lower bound a complete poll established for the next one.
ALTER TABLE salesforce_watermark
    ADD COLUMN seen_at   timestamptz,
    ADD COLUMN poll_from timestamptz;

UPDATE salesforce_watermark SET seen_at = updated_at;

ALTER TABLE salesforce_watermark ALTER COLUMN seen_at SET NOT NULL;
