package dev.kindling.engine.condition;

import dev.kindling.engine.grading.Grade;
import java.util.Arrays;
import java.util.List;

/** The grade scale from worst to best as conditions compare grades: the written forms of {@link Grade}. */
public final class GradeOrder {

    public static final List<String> GRADES =
            Arrays.stream(Grade.values()).map(Grade::display).toList();

    private GradeOrder() {}

    /** The position of {@code grade} on the scale (F is 0), or -1 when it is no grade. */
    public static int rank(String grade) {
        return grade == null ? -1 : GRADES.indexOf(grade);
    }

    public static boolean isGrade(String grade) {
        return rank(grade) >= 0;
    }
}
