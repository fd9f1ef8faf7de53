package dev.kindling.support;

import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The order the integration test classes are handed to JUnit's parallel execution (Failsafe's configuration in
 * app/pom.xml): first the classes that run beside the others one at a time ({@link IntegrationTest#BESIDE}: the
 * packaged app, the demo), then the moving-clock classes (one at a time, {@link MovingClockTest#CONTEXT}), then the
 * rest: the classes without a browser, then the browser classes (each group by name).
 *
 * <p>With two lanes, JUnit's fork-join executor runs the classes from both ends of this order: one lane from the first
 * class on (the beside chain, then the moving-clock classes), the other from the last one backwards. So the long
 * one-at-a-time chains start at once, the browser classes (the longest of the rest) run first in the other lane, and
 * the lanes meet among the short classes without a browser, where neither waits long for the other at the end
 * (docs/testing.md).
 */
public final class SlowClassesFirst implements ClassOrderer {

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
        return usesBrowser(descriptor.getTestClass()) ? 3 : 2;
    }

    /** Whether the class registers a {@link Browser} (a static field of that type). */
    private static boolean usesBrowser(Class<?> testClass) {
        return Arrays.stream(testClass.getDeclaredFields())
                .anyMatch(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == Browser.class);
    }
}
