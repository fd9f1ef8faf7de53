package dev.kindling.salesforce;

import dev.kindling.engine.crm.FieldDirection;
import dev.kindling.engine.crm.FieldRule;
import dev.kindling.engine.crm.FieldSync;
import dev.kindling.platform.cluster.ConfigurationChanged;
import dev.kindling.platform.cluster.ConfigurationChanges;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.CustomField;
import dev.kindling.prospects.ProspectField;
import dev.kindling.prospects.Prospects;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The prospect field mapping ({@code salesforce_field_map}): per Kindling field, the Lead and Contact fields it maps
 * to, its {@link FieldRule} and whether a blank may overwrite a filled value. Score, grade, stage, last activity and
 * the score's explanation flow to Salesforce only (Kindling computes them) and are mapped by the admin to fields of their choice (Pardot's
 * {@code pi__score__c} …); Salesforce's own system fields cannot be written, so they cannot be mapped.
 */
@Component
public class SalesforceFieldMap {

    /**
     * The Kindling side of a mapping: a standard prospect field, one Kindling computes (score, grade, stage, last
     * activity, score explanation), a custom field ({@code custom.<name>}), or the owner (fixed to {@code OwnerId}, Salesforce → Kindling).
     * Equal by key.
     */
    public static final class Field implements Comparable<Field> {

        private static final List<Field> STANDARD = new ArrayList<>();
        public static final Field EMAIL = standard("email", ProspectField.EMAIL);
        public static final Field FIRST_NAME = standard("firstName", ProspectField.FIRST_NAME);
        public static final Field LAST_NAME = standard("lastName", ProspectField.LAST_NAME);
        public static final Field COMPANY = standard("company", ProspectField.COMPANY);
        public static final Field JOB_TITLE = standard("jobTitle", ProspectField.JOB_TITLE);
        public static final Field DEPARTMENT = standard("department", ProspectField.DEPARTMENT);
        public static final Field INDUSTRY = standard("industry", ProspectField.INDUSTRY);
        public static final Field EMPLOYEES = standard("employees", ProspectField.EMPLOYEES);
        public static final Field COUNTRY = standard("country", ProspectField.COUNTRY);
        public static final Field PHONE = standard("phone", ProspectField.PHONE);
        public static final Field WEBSITE = standard("website", ProspectField.WEBSITE);
        public static final Field SOURCE = standard("source", ProspectField.SOURCE);
        public static final Field SCORE = standard("score", null);
        public static final Field GRADE = standard("grade", null);
        public static final Field STAGE = standard("stage", null);
        public static final Field LAST_ACTIVITY = standard("lastActivity", null);
        /** The score explained in one line ({@code ProspectScores.explanations}): points per rule, decay … */
        public static final Field SCORE_EXPLANATION = standard("scoreExplanation", null);
        /** The owner: Salesforce's {@code OwnerId} (kept as the Salesforce user id), fixed to Salesforce. */
        public static final Field OWNER = new Field("owner", null, null, FieldDirection.TO_KINDLING, STANDARD.size());

        static final String CUSTOM = "custom.";

        private final String key;
        private final ProspectField prospectField;
        private final CustomField custom;
        private final FieldDirection direction;
        private final int order;

        private Field(
                String key, ProspectField prospectField, CustomField custom, FieldDirection direction, int order) {
            this.key = key;
            this.prospectField = prospectField;
            this.custom = custom;
            this.direction = direction;
            this.order = order;
        }

        private static Field standard(String key, ProspectField prospectField) {
            Field f = new Field(
                    key,
                    prospectField,
                    null,
                    prospectField == null ? FieldDirection.TO_SALESFORCE : FieldDirection.BOTH,
                    STANDARD.size());
            STANDARD.add(f);
            return f;
        }

        /** A custom prospect field, both ways under its rule. */
        static Field custom(CustomField field) {
            return new Field(CUSTOM + field.name(), null, field, FieldDirection.BOTH, Integer.MAX_VALUE);
        }

        /** The name in the API and in {@code salesforce_record.fields}. */
        @com.fasterxml.jackson.annotation.JsonValue
        public String key() {
            return key;
        }

        /** The standard prospect field Salesforce may write, or {@code null} (computed, custom or the owner). */
        public ProspectField prospectField() {
            return prospectField;
        }

        /** The custom field's definition, or {@code null} for the others. */
        public CustomField customField() {
            return custom;
        }

        /** Score, grade, stage, last activity and explanation go to Salesforce only, the owner to Kindling only; others both ways. */
        public FieldDirection direction() {
            return direction;
        }

        /** The standard and computed fields' keys (custom fields are {@code custom.<name>}). */
        static List<String> standardKeys() {
            return STANDARD.stream().map(Field::key).toList();
        }

        /** A standard field by key, a custom field by {@code custom.<name>} among {@code customFields}; else null. */
        static Field of(String key, Map<String, CustomField> customFields) {
            if (key == null) {
                return null;
            }
            if (key.startsWith(CUSTOM)) {
                CustomField c = customFields.get(key.substring(CUSTOM.length()));
                return c == null ? null : custom(c);
            }
            return STANDARD.stream().filter(f -> f.key.equals(key)).findFirst().orElse(null);
        }

        @Override
        public int compareTo(Field o) {
            return order != o.order ? Integer.compare(order, o.order) : key.compareTo(o.key);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Field f && f.key.equals(key);
        }

        @Override
        public int hashCode() {
            return key.hashCode();
        }

        @Override
        public String toString() {
            return key;
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
    private final ConfigurationChanges changes;
    private volatile List<Mapping> cached;

    private final Prospects prospects;

    SalesforceFieldMap(JdbcClient jdbc, Prospects prospects, ConfigurationChanges changes) {
        this.jdbc = jdbc;
        this.prospects = prospects;
        this.changes = changes;
    }

    @org.springframework.context.event.EventListener
    void forget(ConfigurationChanged changed) {
        if (changed.concerns(SalesforceSettings.TOPIC)) {
            cached = null;
        }
    }

    /** The owner's mapping: {@code OwnerId} on both objects, fixed to Salesforce (Kindling's edits are put back). */
    static final Mapping OWNER = new Mapping(Field.OWNER, "OwnerId", "OwnerId", FieldRule.SALESFORCE_WINS, false);

    /**
     * The mapping in force, the owner's last (read once, then after each {@link #save} and at the start of each cycle,
     * {@link #refresh}: custom field definitions may have changed; a mapped custom field since deleted is left out).
     */
    public List<Mapping> current() {
        List<Mapping> c = cached;
        if (c == null) {
            Map<String, CustomField> custom = prospects.customFields();
            List<Mapping> read = new ArrayList<>(jdbc
                    .sql("SELECT field, lead_field, contact_field, rule, blank_may_overwrite FROM salesforce_field_map")
                    .query((rs, n) -> {
                        Field f = Field.of(rs.getString(1), custom);
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
                    .toList());
            read.add(OWNER);
            c = List.copyOf(read);
            cached = c;
        }
        return c;
    }

    /** Read the mapping (and the custom fields' definitions) again on next use. */
    void refresh() {
        cached = null;
    }

    /** The mappings that sync on {@code object}: mapped there and not "don't sync". */
    List<Mapping> on(String object) {
        return current().stream()
                .filter(m -> m.on(object) != null && m.rule() != FieldRule.DONT_SYNC)
                .toList();
    }

    /**
     * The Kindling name of a Salesforce field of {@code object}, for a person to read through {@code @fieldNames}: the
     * Kindling field it is mapped to ({@code Title} → {@code jobTitle}, a custom field by its name), else the
     * Salesforce field itself.
     */
    public String kindlingName(String object, String salesforceField) {
        if (!"Lead".equals(object) && !"Contact".equals(object) || salesforceField == null) {
            return salesforceField;
        }
        return current().stream()
                .filter(m -> salesforceField.equalsIgnoreCase(m.on(object)))
                .map(m -> m.field().customField() != null
                        ? m.field().customField().name()
                        : m.field().key())
                .findFirst()
                .orElse(salesforceField);
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
        Map<String, CustomField> custom = prospects.customFields();
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            String at = "fields[" + i + "]";
            if (in == null) {
                errors.add(new FieldError(at, "must be an object"));
                continue;
            }
            if (Field.OWNER.key().equals(in.field())) {
                errors.add(
                        new FieldError(at + ".field", "is fixed to Salesforce's OwnerId (owners follow Salesforce)"));
                continue;
            }
            Field field = Field.of(in.field(), custom);
            if (field == null) {
                errors.add(new FieldError(
                        at + ".field",
                        in.field() != null && in.field().startsWith(Field.CUSTOM)
                                ? "names no custom field"
                                : "must be one of " + Field.standardKeys() + " or custom.<name> of a custom field"));
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
                errors.add(new FieldError(
                        at + ".rule", "must be one of " + java.util.Arrays.toString(FieldRule.values())));
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
        changes.announce(SalesforceSettings.TOPIC);
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
