-- The conditions' read of counted activities (ProspectFactsLoader, docs/conditions.md "The counted activities' read",
-- issue 16) is split at the longest window of the types that make most of a history (page views, emails sent, opened
-- and clicked: about 93 % of the dataset's activities): the months after it are read through activity_prospect_idx,
-- the older ones only for the other, sparse, types some leaf counts further back ("ever unsubscribed", "a form in 365
-- days") through this index, which holds the non-bot activities of the sparse types alone, by prospect and type: the
-- read fetches a prospect's activities of those types in each old month, not its every activity there to test its
-- type. Its upkeep on an insert is one entry for one activity in about fourteen. A type missing here (a later one) is
-- still read right, through activity_prospect_idx.
CREATE INDEX activity_sparse_type_idx ON activity (prospect_id, type, occurred_at)
    WHERE NOT bot AND type IN ('FORM_SUBMIT', 'FORM_ERROR', 'FILE_DOWNLOAD', 'TRACKED_LINK_CLICK', 'EMAIL_BOUNCE_SOFT',
                               'EMAIL_BOUNCE_HARD', 'UNSUBSCRIBE', 'WEBINAR_REGISTERED', 'WEBINAR_ATTENDED',
                               'EVENT_ATTENDED', 'CHAT', 'DEMO_REQUEST', 'LIST_IMPORT', 'OPPORTUNITY_CREATED',
                               'OPPORTUNITY_WON', 'OPPORTUNITY_LOST', 'CUSTOM');
