-- Fills the action summary (V550) from the activities processed so far, set-based; the benchmarks run the same file
-- after their bulk load. The facet values and URL normalisation are those of the engine's Action.of and Action.path
-- (strip Java whitespace, cut at ? or #, drop scheme://host, lower case, drop trailing slashes, "/" when empty), each
-- distinct URL normalised once; a band's first time is the earliest time the Nth activity of the type fell in one
-- 30-day window (epoch / 2,592,000), as Action.of counts them. Intake keeps the table from here on (ON CONFLICT: rows
-- it wrote meanwhile stay).
INSERT INTO prospect_action (prospect_id, type, value, at_least, first_at)
WITH raws AS (
    SELECT a.prospect_id, a.type,
           CASE WHEN a.type = 'PAGE_VIEW' THEN a.properties ->> 'url'
                WHEN a.type = 'TRACKED_LINK_CLICK' THEN a.properties ->> 'linkUrl'
                WHEN a.type IN ('FORM_SUBMIT', 'FORM_ERROR') THEN a.properties ->> 'formName'
                WHEN a.type = 'FILE_DOWNLOAD' THEN a.properties ->> 'assetName'
                WHEN a.type IN ('EMAIL_OPEN', 'EMAIL_CLICK') THEN a.properties ->> 'emailId'
                WHEN a.type IN ('WEBINAR_REGISTERED', 'WEBINAR_ATTENDED', 'EVENT_ATTENDED') THEN a.campaign_id::text
                WHEN a.type = 'CUSTOM' THEN a.custom_name
           END AS raw,
           min(a.occurred_at) AS first_at
      FROM activity a
     WHERE a.prospect_id IS NOT NULL AND NOT a.bot AND a.processed_at IS NOT NULL AND a.failed_reason IS NULL
       AND a.type NOT IN ('EMAIL_SENT', 'EMAIL_BOUNCE_SOFT', 'EMAIL_BOUNCE_HARD', 'LIST_IMPORT',
                          'OPPORTUNITY_CREATED', 'OPPORTUNITY_WON', 'OPPORTUNITY_LOST')
     GROUP BY 1, 2, 3),
paths AS (
    SELECT u.raw,
           CASE WHEN x1.s IS NOT NULL THEN coalesce(nullif(regexp_replace(lower(x3.s), '/+$', ''), ''), '/') END AS path
      FROM (SELECT DISTINCT raw FROM raws WHERE type IN ('PAGE_VIEW', 'TRACKED_LINK_CLICK') AND raw IS NOT NULL) u
     CROSS JOIN LATERAL (
            SELECT nullif(regexp_replace(u.raw,
                       '^[\t\n\u000b\f\r\u001c-\u001f \u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]+|[\t\n\u000b\f\r\u001c-\u001f \u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]+$',
                       '', 'g'), '') AS s) x1
     CROSS JOIN LATERAL (SELECT substring(x1.s FROM '^[^?#]*') AS s) x2
     CROSS JOIN LATERAL (
            SELECT CASE WHEN position('://' IN x2.s) = 0 THEN x2.s
                        ELSE coalesce(substring(substr(x2.s, position('://' IN x2.s) + 3) FROM '/.*$'), '')
                   END AS s) x3)
SELECT r.prospect_id, r.type,
       CASE WHEN r.type IN ('PAGE_VIEW', 'TRACKED_LINK_CLICK') THEN p.path ELSE r.raw END,
       NULL::integer,
       min(r.first_at)
  FROM raws r
  LEFT JOIN paths p ON r.type IN ('PAGE_VIEW', 'TRACKED_LINK_CLICK') AND p.raw = r.raw
 GROUP BY 1, 2, 3, 4
ON CONFLICT DO NOTHING;

INSERT INTO prospect_action (prospect_id, type, value, at_least, first_at)
SELECT x.prospect_id, x.type, NULL, b.n, min(x.occurred_at)
  FROM (SELECT a.prospect_id, a.type, a.occurred_at,
               row_number() OVER (PARTITION BY a.prospect_id, a.type, floor(extract(epoch FROM a.occurred_at) / 2592000)
                                  ORDER BY a.occurred_at) AS rn
          FROM activity a
         WHERE a.prospect_id IS NOT NULL AND NOT a.bot AND a.processed_at IS NOT NULL AND a.failed_reason IS NULL
           AND a.type IN ('PAGE_VIEW', 'FILE_DOWNLOAD', 'EMAIL_OPEN', 'EMAIL_CLICK')) x
  JOIN (VALUES ('PAGE_VIEW', 5), ('PAGE_VIEW', 15), ('FILE_DOWNLOAD', 3), ('FILE_DOWNLOAD', 10), ('EMAIL_OPEN', 5),
               ('EMAIL_CLICK', 3)) b(type, n) ON b.type = x.type AND b.n = x.rn
 GROUP BY 1, 2, 3, 4
ON CONFLICT DO NOTHING;
