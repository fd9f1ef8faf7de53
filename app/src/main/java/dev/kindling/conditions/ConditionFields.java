package dev.kindling.conditions;

import dev.kindling.engine.condition.ConditionReads;
import dev.kindling.engine.condition.FieldType;
import dev.kindling.prospects.CustomField;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The allow-list of fields a condition may test: their names in conditions, types, and the SQL
 * expression (over {@code prospect p} and {@code account a}) each one reads. Custom fields are
 * {@code custom.<name>} for a defined custom field; their key is a bind parameter in SQL.
 */
public final class ConditionFields {

    public static final String CUSTOM_PREFIX = "custom.";
    static final Pattern CUSTOM_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");

    /** A standard field: its type and the SQL expression it reads (an empty string reads as NULL). */
    public record Standard(String name, FieldType type, String sql) {}

    private static final Map<String, Standard> STANDARD = new LinkedHashMap<>();

    static {
        for (String[] text : new String[][] {
            {"email", "email"},
            {"firstName", "first_name"},
            {"lastName", "last_name"},
            {"company", "company"},
            {"jobTitle", "job_title"},
            {"department", "department"},
            {"industry", "industry"},
            {"country", "country"},
            {"phone", "phone"},
            {"website", "website"},
            {"source", "source"}
        }) {
            add(text[0], FieldType.TEXT, "NULLIF(p." + text[1] + ", '')");
        }
        add("employees", FieldType.NUMBER, "p.employees");
        // the part of the email after the @; and, for grading (docs/grading.md), the prospect's own value unless empty
        // or blank, else its account's: a form rarely asks for company size, the account often knows it
        add("emailDomain", FieldType.TEXT, "NULLIF(split_part(p.email, '@', 2), '')");
        add("industryOrAccount", FieldType.TEXT, "COALESCE(NULLIF(btrim(p.industry), ''), NULLIF(a.industry, ''))");
        add("countryOrAccount", FieldType.TEXT, "COALESCE(NULLIF(btrim(p.country), ''), NULLIF(a.country, ''))");
        add("employeesOrAccount", FieldType.NUMBER, "COALESCE(p.employees, a.employees)");
        add("createdAt", FieldType.DATE, "p.created_at");
        add("capturedAt", FieldType.DATE, "p.captured_at");
        add("lastActivityAt", FieldType.DATE, "p.last_activity_at");
        add("optedOut", FieldType.BOOLEAN, "p.opted_out");
        add("hardBounced", FieldType.BOOLEAN, "p.hard_bounced");
        add("doNotEmail", FieldType.BOOLEAN, "p.do_not_email");
        for (String text : new String[] {"name", "domain", "industry", "country", "tier"}) {
            add("account." + text, FieldType.TEXT, "NULLIF(a." + text + ", '')");
        }
        add("account.employees", FieldType.NUMBER, "a.employees");
        // account-based marketing: the prospect's colleagues (prospects of the same account), e.g. "account has at
        // least 3 engaged contacts"; engaged = score at or above the MQL score threshold
        add("account.contacts", FieldType.NUMBER, "(SELECT count(*) FROM prospect c WHERE c.account_id = a.id)");
        add(
                "account.engagedContacts",
                FieldType.NUMBER,
                "(SELECT count(*) FROM prospect c WHERE c.account_id = a.id"
                        + " AND c.score >= (SELECT mql_score FROM lifecycle_thresholds))");
    }

    /**
     * Whether the field counts the prospects of the account (a correlated count per prospect row): the facts loader
     * computes these only when a condition reads one ({@link ConditionNeeds#accountCounts}).
     */
    public static boolean countsAccountProspects(String name) {
        return name.equals("account.contacts") || name.equals("account.engagedContacts");
    }

    /**
     * What a field's value is computed from besides the field itself, as {@link ConditionReads} names it: the
     * engaged colleagues count the prospect's own score; the last activity is the fact the days-since leaf reads.
     */
    public static ConditionReads derivedReads(String name) {
        return switch (name) {
            case "account.engagedContacts" -> ConditionReads.of(ConditionReads.Fact.SCORE);
            case "lastActivityAt" -> ConditionReads.of(ConditionReads.Fact.LAST_ACTIVITY);
            default -> ConditionReads.NONE;
        };
    }

    private static void add(String name, FieldType type, String sql) {
        STANDARD.put(name, new Standard(name, type, sql));
    }

    private ConditionFields() {}

    /** The standard fields, in display order. */
    public static Map<String, Standard> standard() {
        return java.util.Collections.unmodifiableMap(STANDARD);
    }

    /** The type of field {@code name}, or {@code null} when conditions may not test it. */
    public static FieldType typeOf(String name, Map<String, CustomField> customFields) {
        Standard standard = STANDARD.get(name);
        if (standard != null) {
            return standard.type();
        }
        if (name.startsWith(CUSTOM_PREFIX)) {
            CustomField custom = customFields.get(name.substring(CUSTOM_PREFIX.length()));
            if (custom != null) {
                return switch (custom.type()) {
                    case TEXT, PICKLIST -> FieldType.TEXT;
                    case NUMBER -> FieldType.NUMBER;
                    case DATE -> FieldType.DATE;
                    case BOOLEAN -> FieldType.BOOLEAN;
                };
            }
        }
        return null;
    }

    /** The custom field's own name when {@code name} is a well-formed {@code custom.<name>}, else null. */
    static String customKey(String name) {
        if (!name.startsWith(CUSTOM_PREFIX)) {
            return null;
        }
        String key = name.substring(CUSTOM_PREFIX.length());
        return CUSTOM_NAME.matcher(key).matches() ? key : null;
    }
}
