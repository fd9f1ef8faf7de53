package dev.kindling.support;

import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Set;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The order the integration test classes are handed to JUnit's parallel execution (Failsafe's configuration in
 * app/pom.xml). With two lanes, JUnit's fork-join executor runs the classes from both ends of this order: one lane from
 * the first class on, the other from the last one backwards. So the order is built from both ends (docs/testing.md):
 *
 * <ol>
 *   <li>first, for the lane that runs from the front: the classes that run beside the others one at a time
 *       ({@link IntegrationTest#BESIDE}: the packaged app, the demo) — the longest chain, about a third of the phase's
 *       class time;
 *   <li>then the rest of the shared context's classes without a browser, then the browser classes — the two lanes meet
 *       among these, most of them short;
 *   <li>then, for the lane that runs from the end (so in the reverse of this order): the longest classes without a
 *       browser ({@link #LONG}), the moving-clock classes (the other one-at-a-time chain, {@link MovingClockTest#CONTEXT})
 *       and, last of all so run first, the classes that hold the shared context's data alone. Those can only run when no
 *       other class of the shared context runs, which is the case at the start, while the other lane runs the beside
 *       chain; left among the others, they waited until the end of the run and the lanes with them.
 * </ol>
 *
 * Each group by name. Before, both one-at-a-time chains were at the front, in the same lane one after the other (beside
 * and moving-clock together as long as the rest of the phase), and the long classes and the classes that hold the data
 * alone came last: {@code HostileInputSweepIT} ran alone for about 25 s at the end of a quiet run while the other lane
 * waited to hold the data alone.
 */
public final class SlowClassesFirst implements ClassOrderer {

    /** The classes without a browser that take longest (seconds of work, not waits), by simple name. */
    static final Set<String> LONG =
            Set.of("HostileInputSweepIT", "ConditionEquivalenceIT", "DemoDataIT", "HistoryPartitionsIT");

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors()
                .sort(Comparator.comparingInt(SlowClassesFirst::group)
                        .thenComparing(d -> d.getTestClass().getName()));
    }

    private static int group(ClassDescriptor descriptor) {
        if (holds(descriptor, IntegrationTest.BESIDE)) {
            return 0;
        }
        if (holds(descriptor, IntegrationTest.SHARED_DATA)) {
            return 5;
        }
        if (descriptor.isAnnotated(MovingClockTest.class)) {
            return 4;
        }
        if (LONG.contains(descriptor.getTestClass().getSimpleName())) {
            return 3;
        }
        return usesBrowser(descriptor.getTestClass()) ? 2 : 1;
    }

    /** Whether the class holds the lock alone (read and write), not only for reading as every shared-context class. */
    private static boolean holds(ClassDescriptor descriptor, String lock) {
        return descriptor.findRepeatableAnnotations(ResourceLock.class).stream()
                .anyMatch(found -> found.value().equals(lock) && found.mode() == ResourceAccessMode.READ_WRITE);
    }

    /** Whether the class registers a {@link Browser} (a static field of that type). */
    private static boolean usesBrowser(Class<?> testClass) {
        return Arrays.stream(testClass.getDeclaredFields())
                .anyMatch(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == Browser.class);
    }
}
