package dev.kindling.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * When each integration test class started and ended, and on which thread: one line per event in the file the system
 * property {@code kindling.test.lane-log} names (set for Failsafe in app/pom.xml; without it nothing is written). The
 * console's "Running …" and "Tests run: … in …" lines of classes that run side by side come out when Failsafe gets to
 * them, often long after the fact, so they cannot tell where the lanes met or whether they ended together; this file
 * can ({@code docs/testing.md}). Registered as a JUnit test execution listener.
 */
public final class LaneLog implements org.junit.platform.launcher.TestExecutionListener {

    private final Path file;

    public LaneLog() {
        String name = System.getProperty("kindling.test.lane-log", "");
        this.file = name.isBlank() ? null : Path.of(name);
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        if (file != null) {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, "");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void executionStarted(TestIdentifier identifier) {
        write("start", identifier, "");
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        write("end", identifier, " " + result.getStatus());
    }

    private synchronized void write(String event, TestIdentifier identifier, String outcome) {
        if (file == null || !(identifier.getSource().orElse(null) instanceof ClassSource source)) {
            return;
        }
        String line = Instant.now() + " " + event + " " + source.getJavaClass().getSimpleName() + " "
                + Thread.currentThread().getName() + outcome + "\n";
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
