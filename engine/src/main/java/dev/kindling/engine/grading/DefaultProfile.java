package dev.kindling.engine.grading;

import java.math.BigDecimal;
import java.util.List;

/**
 * The profile installed on first start, fit for most B2B sellers (SPEC §4): a senior job title
 * ⅔, a company of at least 100 employees ⅔, and industry and country criteria that stay inactive
 * (no values) until the organisation fills them in. A director at a 500-person company grades C+.
 */
public final class DefaultProfile {

    public static final String NAME = "Default";

    /** Words that show seniority in a job title, English and Japanese. */
    public static final List<Object> SENIOR_TITLES = List.of(
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

    /** The default criteria, not stored yet (id 0). */
    public static List<Criterion> criteria() {
        return List.of(
                new Criterion(
                        0,
                        "Senior job title",
                        new Condition(FitField.JOB_TITLE, Operator.MATCHES_ANY, SENIOR_TITLES),
                        2),
                new Criterion(
                        0,
                        "Company of 100 employees or more",
                        new Condition(FitField.EMPLOYEES, Operator.GTE, List.of(BigDecimal.valueOf(100))),
                        2),
                new Criterion(0, "Target industry", new Condition(FitField.INDUSTRY, Operator.IN, List.of()), 2),
                new Criterion(0, "Target country", new Condition(FitField.COUNTRY, Operator.IN, List.of()), 1));
    }
}
