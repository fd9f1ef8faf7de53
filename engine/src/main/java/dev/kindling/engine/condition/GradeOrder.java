package dev.kindling.engine.condition;

import java.util.List;

/**
 * The grade scale from worst to best (SPEC §4), as conditions compare grades. Kept here as plain
 * strings until the grading model's own grade type is shared.
 */
public final class GradeOrder {

    public static final List<String> GRADES =
            List.of("F", "D-", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+");

    private GradeOrder() {
    }

    /** The position of {@code grade} on the scale (F is 0), or -1 when it is no grade. */
    public static int rank(String grade) {
        return grade == null ? -1 : GRADES.indexOf(grade);
    }

    public static boolean isGrade(String grade) {
        return rank(grade) >= 0;
    }
}
