package dev.kindling.engine.grading;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A fit grade, F (worst) to A+ (best), in thirds of a letter: one step is ⅓ of a letter grade.
 * Declaration order is the order of the grades, so {@link #compareTo} compares fit.
 */
public enum Grade {
    F("F"),
    D_MINUS("D-"),
    D("D"),
    D_PLUS("D+"),
    C_MINUS("C-"),
    C("C"),
    C_PLUS("C+"),
    B_MINUS("B-"),
    B("B"),
    B_PLUS("B+"),
    A_MINUS("A-"),
    A("A"),
    A_PLUS("A+");

    /** Where every prospect starts before its criteria are applied. */
    public static final Grade START = D;

    private static final Grade[] ALL = values();
    private static final Map<String, Grade> BY_DISPLAY =
            Arrays.stream(ALL).collect(Collectors.toMap(Grade::display, Function.identity()));

    private final String display;

    Grade(String display) {
        this.display = display;
    }

    /** As people write it: {@code "C+"}, {@code "D-"}. Also how it is stored. */
    public String display() {
        return display;
    }

    /** This grade moved up by {@code thirds} steps (down when negative), clamped to F..A+. */
    public Grade raise(int thirds) {
        long target = (long) ordinal() + thirds;
        return ALL[(int) Math.max(0, Math.min(ALL.length - 1, target))];
    }

    /** This grade moved down by {@code thirds} steps, clamped to F..A+. */
    public Grade lower(int thirds) {
        return raise(-thirds);
    }

    public boolean isAtLeast(Grade other) {
        return compareTo(other) >= 0;
    }

    /** The grade written {@code text} ("C+"), or its enum name ("C_PLUS"); empty if neither. */
    public static Optional<Grade> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Grade byDisplay = BY_DISPLAY.get(text.strip().toUpperCase(java.util.Locale.ROOT));
        if (byDisplay != null) {
            return Optional.of(byDisplay);
        }
        return Arrays.stream(ALL).filter(g -> g.name().equals(text.strip())).findFirst();
    }
}
