-- A campaign may belong to a parent campaign (a programme of events, a quarter's ads); the campaign page counts what a
-- campaign touched by its activities and the prospects it acquired.
ALTER TABLE campaign ADD COLUMN parent_id bigint REFERENCES campaign(id);
CREATE INDEX campaign_parent_idx ON campaign (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX activity_campaign_idx ON activity (campaign_id) WHERE campaign_id IS NOT NULL;
CREATE INDEX prospect_campaign_idx ON prospect (campaign_id) WHERE campaign_id IS NOT NULL;
