-- The conditions' read of the types a leaf counts over all history ("ever unsubscribed", "attended a webinar, ever":
-- ProspectFactsLoader, docs/conditions.md "The counted activities' read"; issue 16). Its windowed types are read from
-- the months their longest window reaches; the all-history types in the older months through this index, which holds
-- the non-bot activities of every type but the four that make most of a history (page views, emails sent, opened and
-- clicked: about 93 % of the dataset's activities), so the read probes a prospect's few such activities in each old
-- month instead of fetching its every activity there to test its type; its upkeep on an insert is one entry for one
-- activity in about fifteen. A type missing here (a later one) is still read right, through activity_prospect_idx.
CREATE INDEX activity_sparse_type_idx ON activity (prospect_id, occurred_at)
    WHERE NOT bot AND type IN ('FORM_SUBMIT', 'FORM_ERROR', 'FILE_DOWNLOAD', 'TRACKED_LINK_CLICK', 'EMAIL_BOUNCE_SOFT',
                               'EMAIL_BOUNCE_HARD', 'UNSUBSCRIBE', 'WEBINAR_REGISTERED', 'WEBINAR_ATTENDED',
                               'EVENT_ATTENDED', 'CHAT', 'DEMO_REQUEST', 'LIST_IMPORT', 'OPPORTUNITY_CREATED',
                               'OPPORTUNITY_WON', 'OPPORTUNITY_LOST', 'CUSTOM');
