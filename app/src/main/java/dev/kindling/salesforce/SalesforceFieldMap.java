package dev.kindling.salesforce;

import dev.kindling.engine.crm.FieldDirection;
import dev.kindling.engine.crm.FieldRule;
import dev.kindling.engine.crm.FieldSync;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.ProspectField;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The prospect field mapping ({@code salesforce_field_map}): per Kindling field, the Lead and Contact fields it maps
 * to, its {@link FieldRule} and whether a blank may overwrite a filled value. Score, grade, stage and last activity
 * flow to Salesforce only (Kindling computes them) and are mapped by the admin to fields of their choice (Pardot's
 * {@code pi__score__c} …); Salesforce's own system fields cannot be written, so they cannot be mapped.
 */
@Component
public class SalesforceFieldMap {

    /** The Kindling side of a mapping: a standard prospect field, or one Kindling computes. */
    public enum Field {
        EMAIL("email", ProspectField.EMAIL),
        FIRST_NAME("firstName", ProspectField.FIRST_NAME),
        LAST_NAME("lastName", ProspectField.LAST_NAME),
        COMPANY("company", ProspectField.COMPANY),
        JOB_TITLE("jobTitle", ProspectField.JOB_TITLE),
        DEPARTMENT("department", ProspectField.DEPARTMENT),
        INDUSTRY("industry", ProspectField.INDUSTRY),
        EMPLOYEES("employees", ProspectField.EMPLOYEES),
        COUNTRY("country", ProspectField.COUNTRY),
        PHONE("phone", ProspectField.PHONE),
        WEBSITE("website", ProspectField.WEBSITE),
        SOURCE("source", ProspectField.SOURCE),
        SCORE("score", null),
        GRADE("grade", null),
        STAGE("stage", null),
        LAST_ACTIVITY("lastActivity", null);

        private static final Map<String, Field> BY_NAME =
                Arrays.stream(values()).collect(Collectors.toMap(Field::key, Function.identity()));

        private final String key;
        private final ProspectField prospectField;

        Field(String key, ProspectField prospectField) {
            this.key = key;
            this.prospectField = prospectField;
        }

        /** The name in the API and in {@code salesforce_record.fields}. */
        @com.fasterxml.jackson.annotation.JsonValue
        public String key() {
            return key;
        }

        /** The prospect field Salesforce may write, or {@code null} for the fields Kindling computes. */
        public ProspectField prospectField() {
            return prospectField;
        }

        /** Score, grade, stage and last activity go to Salesforce only; every other field both ways. */
        public FieldDirection direction() {
            return prospectField == null ? FieldDirection.TO_SALESFORCE : FieldDirection.BOTH;
        }

        static Field of(String key) {
            return key == null ? null : BY_NAME.get(key);
        }
    }

    /** One mapped field. */
    public record Mapping(
            Field field, String leadField, String contactField, FieldRule rule, boolean blankMayOverwrite) {

        public FieldSync.Setting setting() {
            return new FieldSync.Setting(rule, field.direction(), blankMayOverwrite);
        }

        /** The Salesforce field on {@code object} ({@code Lead} or {@code Contact}), or {@code null}. */
        public String on(String object) {
            return object.equals("Lead") ? leadField : contactField;
        }
    }

    /** Salesforce's own fields: set by Salesforce alone, so never a target of Kindling's values. */
    static final Set<String> SYSTEM_FIELDS = Set.of(
            "id",
            "ownerid",
            "isdeleted",
            "createddate",
            "createdbyid",
            "lastmodifieddate",
            "lastmodifiedbyid",
            "systemmodstamp",
            "lastactivitydate",
            "isconverted",
            "converteddate",
            "convertedcontactid",
            "convertedaccountid",
            "convertedopportunityid",
            "masterrecordid",
            "accountid");

    private static final String NAME = "[A-Za-z][A-Za-z0-9_]{0,79}";

    private final JdbcClient jdbc;
    private volatile List<Mapping> cached;

    SalesforceFieldMap(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The mapping in force (read once, then after each {@link #save}). */
    public List<Mapping> current() {
        List<Mapping> c = cached;
        if (c == null) {
            c = jdbc
                    .sql("SELECT field, lead_field, contact_field, rule, blank_may_overwrite FROM salesforce_field_map")
                    .query((rs, n) -> {
                        Field f = Field.of(rs.getString(1));
                        return f == null
                                ? null
                                : new Mapping(
                                        f,
                                        rs.getString(2),
                                        rs.getString(3),
                                        FieldRule.valueOf(rs.getString(4)),
                                        rs.getBoolean(5));
                    })
                    .list()
                    .stream()
                    .filter(m -> m != null)
                    .sorted(java.util.Comparator.comparing(Mapping::field))
                    .toList();
            cached = c;
        }
        return c;
    }

    /** The mappings that sync on {@code object}: mapped there and not "don't sync". */
    List<Mapping> on(String object) {
        return current().stream()
                .filter(m -> m.on(object) != null && m.rule() != FieldRule.DONT_SYNC)
                .toList();
    }

    /** The field of {@code object} holding the email (mapped, or Salesforce's standard {@code Email}). */
    String emailField(String object) {
        return on(object).stream()
                .filter(m -> m.field() == Field.EMAIL)
                .map(m -> m.on(object))
                .findFirst()
                .orElse("Email");
    }

    /** A field's settings as a client gives them. */
    public record Input(String field, String leadField, String contactField, String rule, Boolean blankMayOverwrite) {}

    /**
     * Replaces the settings of the given fields (others keep theirs), after checking all of them: known fields, field
     * names Salesforce accepts, no system field, a rule; fields that flow one way take the rule of their direction.
     */
    @Transactional
    public List<Mapping> save(List<Input> inputs, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        List<Mapping> mappings = new ArrayList<>();
        Set<Field> seen = new HashSet<>();
        if (inputs == null || inputs.isEmpty()) {
            throw InvalidInputException.of("fields", "must list at least one field");
        }
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            String at = "fields[" + i + "]";
            if (in == null) {
                errors.add(new FieldError(at, "must be an object"));
                continue;
            }
            Field field = Field.of(in.field());
            if (field == null) {
                errors.add(new FieldError(
                        at + ".field",
                        "must be one of "
                                + Arrays.stream(Field.values()).map(Field::key).toList()));
                continue;
            }
            if (!seen.add(field)) {
                errors.add(new FieldError(at + ".field", "is given twice"));
            }
            String lead = salesforceField(in.leadField(), at + ".leadField", errors);
            String contact = salesforceField(in.contactField(), at + ".contactField", errors);
            FieldRule rule = null;
            try {
                rule = in.rule() == null
                        ? null
                        : FieldRule.valueOf(in.rule().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // reported below
            }
            if (rule == null) {
                errors.add(new FieldError(at + ".rule", "must be one of " + Arrays.toString(FieldRule.values())));
                continue;
            }
            if (field.direction() == FieldDirection.TO_SALESFORCE && rule != FieldRule.DONT_SYNC) {
                // Kindling computes these: they are written to Salesforce, whatever was asked
                rule = FieldRule.KINDLING_WINS;
            }
            mappings.add(
                    new Mapping(field, lead, contact, rule, in.blankMayOverwrite() != null && in.blankMayOverwrite()));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        for (Mapping m : mappings) {
            jdbc.sql("""
                    INSERT INTO salesforce_field_map (field, lead_field, contact_field, rule, blank_may_overwrite, updated_at)
                    VALUES (:field, :lead, :contact, :rule, :blank, :now)
                    ON CONFLICT (field) DO UPDATE SET lead_field = EXCLUDED.lead_field,
                           contact_field = EXCLUDED.contact_field, rule = EXCLUDED.rule,
                           blank_may_overwrite = EXCLUDED.blank_may_overwrite, updated_at = EXCLUDED.updated_at""")
                    .param("field", m.field().key())
                    .param("lead", m.leadField())
                    .param("contact", m.contactField())
                    .param("rule", m.rule().name())
                    .param("blank", m.blankMayOverwrite())
                    .param("now", Timestamp.from(now))
                    .update();
        }
        cached = null;
        return current();
    }

    private static String salesforceField(String name, String at, List<FieldError> errors) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String n = name.strip();
        if (!n.matches(NAME)) {
            errors.add(new FieldError(at, "must be a Salesforce field's API name (letters, digits, _)"));
            return null;
        }
        if (SYSTEM_FIELDS.contains(n.toLowerCase(Locale.ROOT))) {
            errors.add(new FieldError(at, "is a Salesforce system field, which only Salesforce sets"));
            return null;
        }
        return n;
    }
}
