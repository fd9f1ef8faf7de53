package dev.kindling.support;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Awaitility's defaults for every test of the app (registered as a JUnit launcher session listener): a condition is
 * checked at once and then every 20 ms, instead of after 100 ms and then every 100 ms — the background work the tests
 * wait for (intake, outboxes, jobs) is mostly done within milliseconds, and hundreds of waits each paid the interval.
 * The deadlines ({@code atMost}) are unchanged; a wait with its own {@code pollInterval} keeps it.
 */
public final class QuickPolling implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        Awaitility.setDefaultPollInterval(Duration.ofMillis(20));
        Awaitility.setDefaultPollDelay(Duration.ZERO);
    }
}
