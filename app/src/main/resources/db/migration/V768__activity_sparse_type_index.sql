-- The conditions' read of counted activities (ProspectFactsLoader, docs/conditions.md "The counted activities' read",
-- issue 16) is split at the longest window of the dense types, those that make most of a history (page views, emails
-- sent, opened and clicked: about 93 % of the dataset's activities): the months after it are read through
-- activity_prospect_idx, the older ones only for the sparse types (every other) some leaf counts further back ("ever
-- unsubscribed", "a form in 365 days") through this index, which holds the non-bot activities of the sparse types
-- alone, by prospect and type: the read fetches a prospect's activities of those types in each old month, not its
-- every activity there to test its type. Its upkeep on an insert is one entry for one activity in about fourteen.
--
-- The predicate is a function, not the types' list: the read names it as it is (activity_sparse_type(x.type)), so
-- the planner proves the index usable by equality; with a list of types it proved each month partition's index
-- against the read's own list type by type, each comparison an evaluation of its own — 6 ms more planning a call, as
-- much as the read's execution saved. plpgsql, so it is never inlined into an expression the planner would compare
-- piece by piece. A type added later is sparse here and in ProspectFactsLoader.SPARSE alike (both "not dense").
CREATE FUNCTION activity_sparse_type(type text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
    RETURN type NOT IN ('PAGE_VIEW', 'EMAIL_SENT', 'EMAIL_OPEN', 'EMAIL_CLICK');
END
$$;

CREATE INDEX activity_sparse_type_idx ON activity (prospect_id, type, occurred_at)
    WHERE NOT bot AND activity_sparse_type(type);
