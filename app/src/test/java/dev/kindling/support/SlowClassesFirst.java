package dev.kindling.support;

import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Set;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The order the integration test classes are handed to JUnit's parallel execution (Failsafe's configuration in
 * app/pom.xml): first the classes that run beside the others one at a time ({@link IntegrationTest#BESIDE}: the
 * packaged app, the demo), then the moving-clock classes (one at a time, {@link MovingClockTest#CONTEXT}), then the
 * rest: the classes without a browser — the longest of them ({@link #LONG}) first — then the browser classes (each
 * group by name).
 *
 * <p>With two lanes, JUnit's fork-join executor runs the classes from both ends of this order: one lane from the first
 * class on (the beside chain, then the moving-clock classes), the other from the last one backwards. So the long
 * one-at-a-time chains start at once, the browser classes (the longest of the rest) run first in the other lane, and
 * the lanes meet among the short classes without a browser, where neither waits long for the other at the end
 * (docs/testing.md). A long class without a browser that sat where they met ran on alone at the end with the other lane
 * idle ({@code HostileInputSweepIT} did, for 21 s of a quiet run): those run first among the classes without a browser.
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
        boolean beside = descriptor.findRepeatableAnnotations(ResourceLock.class).stream()
                .anyMatch(lock -> lock.value().equals(IntegrationTest.BESIDE));
        if (beside) {
            return 0;
        }
        if (descriptor.isAnnotated(MovingClockTest.class)) {
            return 1;
        }
        if (usesBrowser(descriptor.getTestClass())) {
            return 4;
        }
        return LONG.contains(descriptor.getTestClass().getSimpleName()) ? 2 : 3;
    }

    /** Whether the class registers a {@link Browser} (a static field of that type). */
    private static boolean usesBrowser(Class<?> testClass) {
        return Arrays.stream(testClass.getDeclaredFields())
                .anyMatch(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == Browser.class);
    }
}
