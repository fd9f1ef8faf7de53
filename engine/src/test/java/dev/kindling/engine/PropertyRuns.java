package dev.kindling.engine;

/**
 * How many seeded random cases a property test tries: the quick number in an ordinary build, the deep one when the
 * system property {@code kindling.test.deep} is {@code true} ({@code ./mvnw -Pdeep verify}). The seeds stay fixed, so
 * the quick run tries the first cases of the deep one.
 */
public final class PropertyRuns {

    private PropertyRuns() {}

    public static int cases(int quick, int deep) {
        return deep() ? deep : quick;
    }

    /** Whether this is the deep run ({@code -Pdeep}). */
    public static boolean deep() {
        return Boolean.getBoolean("kindling.test.deep");
    }
}
