package dev.kindling.engine.grading;

import dev.kindling.engine.condition.Condition;
import dev.kindling.engine.condition.Condition.Any;
import dev.kindling.engine.condition.Condition.FieldCondition;
import dev.kindling.engine.condition.FieldType;
import dev.kindling.engine.condition.Operator;
import java.math.BigDecimal;
import java.util.List;

/**
 * The profile installed on first start, fit for most B2B sellers (SPEC §4): a senior job title
 * ⅔, a company of at least 100 employees ⅔, and industry and country criteria that stay inactive
 * (no condition) until the organisation fills them in. A director at a 500-person company grades C+.
 */
public final class DefaultProfile {

    public static final String NAME = "Default";

    /** Words that show seniority in a job title, English and Japanese. */
    public static final List<String> SENIOR_TITLES = List.of(
            "manager",
            "head",
            "director",
            "VP",
            "chief",
            "founder",
            "owner",
            "部長",
            "課長",
            "本部長",
            "室長",
            "取締役",
            "役員",
            "社長");

    private DefaultProfile() {}

    /** The job title contains any of the {@link #SENIOR_TITLES}, ignoring case. */
    public static Condition seniorTitle() {
        return new Any(SENIOR_TITLES.stream()
                .map(w -> (Condition) new FieldCondition("jobTitle", FieldType.TEXT, Operator.CONTAINS, List.of(w)))
                .toList());
    }

    /** The default criteria, not stored yet (id 0). */
    public static List<Criterion> criteria() {
        return List.of(
                new Criterion(0, "Senior job title", seniorTitle(), 2),
                new Criterion(
                        0,
                        "Company of 100 employees or more",
                        new FieldCondition(
                                "employeesOrAccount", FieldType.NUMBER, Operator.GTE, List.of(BigDecimal.valueOf(100))),
                        2),
                new Criterion(0, "Target industry", null, 2),
                new Criterion(0, "Target country", null, 1));
    }
}
