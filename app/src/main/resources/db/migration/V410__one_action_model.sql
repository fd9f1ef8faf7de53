-- One action model for rules, completion actions and program steps (docs/automation.md, "Actions"): the program
-- steps' actions are rewritten to the rules' JSON form, which the one action codec reads everywhere.
--   notify {userId?, message}            -> notifyUser {userId | "owner", message} (no subject: titled after the program)
--   assign {to: USER|TEAM, id}           -> assign {userId | teamId, forced: false}
--   assign {to: TERRITORY_RULES}         -> assign {territoryRules: true, forced: false}
--   createTask {userId?}                 -> createTask {userId | "owner"}
--   setField {field, value: "text"}      -> the value as the codec keeps it (stripped; a country code in capitals;
--                                           an empty standard field null), since a program no longer re-reads it
-- Rules and completion actions are stored in this form already.

CREATE FUNCTION pg_temp.unified_action(a jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
SELECT CASE
    WHEN a->>'type' = 'notify' THEN
        jsonb_build_object(
            'type', 'notifyUser',
            'userId', COALESCE(NULLIF(a->'userId', 'null'::jsonb), '"owner"'::jsonb),
            'message', a->'message')
    WHEN a->>'type' = 'assign' AND a ? 'to' THEN
        CASE a->>'to'
            WHEN 'USER' THEN jsonb_build_object('type', 'assign', 'userId', a->'id', 'forced', false)
            WHEN 'TEAM' THEN jsonb_build_object('type', 'assign', 'teamId', a->'id', 'forced', false)
            ELSE jsonb_build_object('type', 'assign', 'territoryRules', true, 'forced', false)
        END
    WHEN a->>'type' = 'createTask' THEN
        a || jsonb_build_object('userId', COALESCE(NULLIF(a->'userId', 'null'::jsonb), '"owner"'::jsonb))
    WHEN a->>'type' = 'setField' AND jsonb_typeof(a->'value') = 'string' THEN
        CASE
            WHEN a->>'field' = 'country' THEN
                jsonb_set(a, '{value}', COALESCE(to_jsonb(NULLIF(upper(btrim(a->>'value')), '')), 'null'::jsonb))
            WHEN a->>'field' LIKE 'custom.%' THEN jsonb_set(a, '{value}', to_jsonb(btrim(a->>'value')))
            ELSE jsonb_set(a, '{value}', COALESCE(to_jsonb(NULLIF(btrim(a->>'value'), '')), 'null'::jsonb))
        END
    ELSE a
END
$$;

UPDATE program_version v
   SET definition = jsonb_set(v.definition, '{steps}', (
       SELECT jsonb_agg(
                  CASE WHEN jsonb_typeof(s->'action') = 'object'
                       THEN jsonb_set(s, '{action}', pg_temp.unified_action(s->'action'))
                       ELSE s END
                  ORDER BY i)
         FROM jsonb_array_elements(v.definition->'steps') WITH ORDINALITY AS e(s, i)))
 WHERE jsonb_typeof(v.definition->'steps') = 'array'
   AND jsonb_array_length(v.definition->'steps') > 0
   AND EXISTS (SELECT 1 FROM jsonb_array_elements(v.definition->'steps') s
                WHERE s->'action'->>'type' IN ('notify', 'assign', 'createTask', 'setField'));

DROP FUNCTION pg_temp.unified_action(jsonb);
