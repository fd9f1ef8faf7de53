package dev.kindling.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The demo as a newcomer starts it — the packaged jar with {@code KINDLING_DEMO=true}, the embedded PostgreSQL in a
 * data directory of its own, no admin password given (one is generated and printed) — started once per run for the
 * classes that look at it, and thrown away when the run ends: the year of demo data is loaded and processed once a run.
 * {@code DefaultRunIT} runs it beside another instance and signs in with the printed password; {@code DemoFunnelIT}
 * checks what the demo gives the reports and pages, over the API and on its database. Register it as a static
 * extension; the classes that use it hold {@link IntegrationTest#BESIDE}, so its start runs beside no other packaged
 * app.
 */
public final class PackagedDemo implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PackagedDemo.class);
    private static final Pattern READY =
            Pattern.compile("Kindling is ready at http://localhost:\\d+ — sign in as admin@kindling.local"
                    + " with password (\\S+)\\n");
    private static final Pattern DATABASE = Pattern.compile("Embedded PostgreSQL started on port (\\d+) ");
    private static final Pattern FINISHED = Pattern.compile("Demo data: (finished loading)");

    private Running running;

    @Override
    public void beforeAll(ExtensionContext context) {
        // the root context's store: one instance for the run, closed when the run ends
        running = context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(Running.class, key -> Running.start(), Running.class);
    }

    public KindlingProcess process() {
        return running().process;
    }

    public int port() {
        return process().port();
    }

    /** The API as the admin, with {@link TestApi#ADMIN_KEY}. */
    public TestApi api() {
        return process().api();
    }

    /** The admin's password, generated at the first start and printed in the start log's closing block. */
    public String password() {
        return awaitInLog(READY);
    }

    /** The JDBC URL of the instance's embedded PostgreSQL (user and password {@code postgres}). */
    public String databaseUrl() {
        return "jdbc:postgresql://localhost:" + awaitInLog(DATABASE) + "/postgres";
    }

    /**
     * Waits (up to 4 minutes) for the start log's line that says the demo is in every page, "Demo data: finished
     * loading" (the README's): read from the log file, so the wait asks the demo nothing while it loads and processes.
     */
    public void awaitFinishedLoading() {
        awaitInLog(FINISHED, Duration.ofMinutes(4));
    }

    private String awaitInLog(Pattern pattern) {
        return awaitInLog(pattern, Duration.ofSeconds(60));
    }

    private String awaitInLog(Pattern pattern, Duration atMost) {
        return await("the demo's start log: " + pattern)
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            Matcher found =
                                    pattern.matcher(Files.readString(process().log()));
                            return found.find() ? found.group(1) : null;
                        },
                        value -> value != null);
    }

    private Running running() {
        if (running == null) {
            throw new IllegalStateException("register PackagedDemo as a static extension");
        }
        return running;
    }

    private static final class Running implements ExtensionContext.Store.CloseableResource {

        private final Path dataDir;
        private final KindlingProcess process;

        private Running(Path dataDir, KindlingProcess process) {
            this.dataDir = dataDir;
            this.process = process;
        }

        static Running start() {
            try {
                Path dataDir = Files.createTempDirectory("kindling-demo");
                return new Running(
                        dataDir,
                        KindlingProcess.start(
                                "demo",
                                dataDir,
                                TestApi.ADMIN_KEY,
                                Map.of("KINDLING_DEMO", "true", "KINDLING_ADMIN_PASSWORD", ""),
                                List.of()));
            } catch (IOException e) {
                throw new IllegalStateException("the packaged demo did not start", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the packaged demo started", e);
            }
        }

        /** At the run's end nothing looks at the demo any more: thrown away, not stopped in order. */
        @Override
        public void close() throws Exception {
            process.discard(dataDir);
        }
    }
}
