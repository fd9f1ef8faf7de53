package dev.kindling.support;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The order the integration test classes are handed to JUnit's parallel execution (Failsafe's configuration in
 * app/pom.xml): first the classes that run beside the others one at a time ({@link IntegrationTest#BESIDE}: the
 * packaged app, the demo), then the moving-clock classes (one at a time, {@link MovingClockTest#CONTEXT}), then the
 * rest, each group by name. Those one-at-a-time chains are the longest, so they start at once instead of being left
 * for the end of the run while the other lanes are idle (docs/testing.md).
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
        return descriptor.isAnnotated(MovingClockTest.class) ? 1 : 2;
    }
}
