-- Grading criteria and assignment rules hold a condition of the one condition language (docs/conditions.md) instead
-- of grading's own field/operator/values (docs/grading.md). A criterion or rule with no values was inactive: it gets no
-- condition (NULL). The fields that fell back to the account are renamed to the condition language's names for that
-- meaning; matchesAny becomes an "any" of "contains" leaves; every other operator keeps its name and values.
--
-- The conversion is kept as a function: GradingMigrationIT grades prospects with criteria converted by it and proves
-- the grades are those the old criteria gave.
CREATE FUNCTION grading_condition_from_v1(field text, operator text, condition_values jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN condition_values IS NULL OR jsonb_typeof(condition_values) <> 'array'
             OR jsonb_array_length(condition_values) = 0 THEN NULL
        WHEN operator = 'matchesAny' THEN jsonb_build_object('any', (
            SELECT jsonb_agg(jsonb_build_object('field', n.name, 'op', 'contains', 'value', v.value) ORDER BY v.at)
              FROM jsonb_array_elements(condition_values) WITH ORDINALITY AS v(value, at)))
        WHEN operator IN ('in', 'notIn', 'between') THEN
            jsonb_build_object('field', n.name, 'op', operator, 'value', condition_values)
        ELSE jsonb_build_object('field', n.name, 'op', operator, 'value', condition_values -> 0)
    END
    FROM (SELECT CASE field
                     WHEN 'industry' THEN 'industryOrAccount'
                     WHEN 'country' THEN 'countryOrAccount'
                     WHEN 'employees' THEN 'employeesOrAccount'
                     ELSE field
                 END AS name) AS n
$$;

ALTER TABLE grading_criterion ADD COLUMN condition jsonb;
UPDATE grading_criterion SET condition = grading_condition_from_v1(field, operator, condition_values);
ALTER TABLE grading_criterion DROP COLUMN field, DROP COLUMN operator, DROP COLUMN condition_values;

ALTER TABLE grading_assignment_rule ADD COLUMN condition jsonb;
UPDATE grading_assignment_rule SET condition = grading_condition_from_v1(field, operator, condition_values);
ALTER TABLE grading_assignment_rule DROP COLUMN field, DROP COLUMN operator, DROP COLUMN condition_values;
