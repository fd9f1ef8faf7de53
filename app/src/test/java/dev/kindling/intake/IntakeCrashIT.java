package dev.kindling.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.TestApi;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The real application in a child JVM with its own durable embedded PostgreSQL: a batch accepted
 * (202) right before {@code kill -9} is processed exactly once after a restart. The first run
 * delays processing ({@code kindling.intake.start-delay}) so the batch is certainly pending
 * when the process dies.
 */
class IntakeCrashIT {

    private static final String KEY = "kdl_crash_test_key_0123456789abcdef";
    private static final Path LOGS = Path.of("target", "intake-crash-it");

    @TempDir
    Path dataDir;

    private Process child;

    @Test
    void aBatchAcceptedRightBeforeAKillIsProcessedExactlyOnceAfterRestart() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> emails = List.of("first-" + run + "@crash.example", "second-" + run + "@crash.example",
                "third-" + run + "@crash.example");
        List<String> items = new ArrayList<>();
        Map<String, Instant> latest = new java.util.HashMap<>();
        for (int i = 0; i < 30; i++) {
            String email = emails.get(i % emails.size());
            Instant at = Instant.parse("2025-06-01T00:00:00Z").plus(Duration.ofMinutes(37L * ((i * 7) % 30)));
            latest.merge(email, at, (a, b) -> a.isAfter(b) ? a : b);
            items.add(ActivityIngestIT.byEmail(run + "-" + i, email, "PAGE_VIEW", at.toString()));
        }
        String batch = ActivityIngestIT.batch(items.toArray(String[]::new));

        TestApi first = start("first", "10m");
        var accepted = first.post("/api/v1/activities", batch);
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(first.get("/api/v1/system/intake").json().get("pending").asLong()).isEqualTo(30);
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(accepted.json().get("accepted").asInt()).isEqualTo(30);

        TestApi second = start("second", "0s");
        IntakeProgress.awaitDrained(second, Duration.ofSeconds(30));

        Set<String> seen = new HashSet<>();
        for (String email : emails) {
            JsonNode found = second.get("/api/v1/prospects?email=" + email).json().get("items");
            assertThat(found.size()).isEqualTo(1);
            JsonNode prospect = found.get(0);
            assertThat(Instant.parse(prospect.get("lastActivityAt").asString())).isEqualTo(latest.get(email));
            JsonNode timeline = second.get("/api/v1/prospects/" + prospect.get("id").asLong() + "/activities?limit=500")
                    .json().get("items");
            assertThat(timeline.size()).isEqualTo(10);
            for (JsonNode activity : timeline) {
                assertThat(activity.get("processedAt").isNull()).isFalse();
                assertThat(activity.get("failedReason").isNull()).isTrue();
                assertThat(seen.add(activity.get("externalId").asString())).isTrue();
            }
        }
        assertThat(seen).hasSize(30);
        var resent = second.post("/api/v1/activities", batch);
        assertThat(resent.json().get("duplicates").asInt()).isEqualTo(30);
    }

    @AfterEach
    void stopChild() throws Exception {
        if (child != null && child.isAlive()) {
            child.destroy();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        stopOrphanedPostgres();
    }

    private TestApi start(String name, String intakeStartDelay) throws IOException, InterruptedException {
        int port = freePort();
        Files.createDirectories(LOGS);
        Path log = LOGS.resolve(name + ".log");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dkindling.intake.start-delay=" + intakeStartDelay,
                "-cp", applicationClasspath(),
                "dev.kindling.KindlingApplication");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.remove("KINDLING_DB_URL");
        env.put("KINDLING_DATA_DIR", dataDir.toString());
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("KINDLING_ADMIN_API_KEY", KEY);
        env.put("KINDLING_ADMIN_PASSWORD", "crash-test-password");
        env.put("KINDLING_DEMO", "false");
        env.put("LANG", "C.UTF-8");
        env.put("LC_ALL", "C.UTF-8");
        child = builder.start();
        TestApi api = new TestApi(port, KEY);
        awaitHealthy(api, log);
        return api;
    }

    private void awaitHealthy(TestApi api, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new AssertionError("Kindling exited with " + child.exitValue() + "; see " + log.toAbsolutePath());
            }
            try {
                var health = api.get("/actuator/health");
                if (health.status() == 200 && health.json().get("status").asString().equals("UP")) {
                    return;
                }
            } catch (UncheckedIOException notListeningYet) {
                // keep waiting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Kindling did not become healthy; see " + log.toAbsolutePath());
    }

    /**
     * This JVM's class path without the test classes (the child runs the application as shipped),
     * with a launcher's manifest-only jar expanded into the entries it names.
     */
    static String applicationClasspath() throws IOException {
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            expand(Path.of(entry), entries);
        }
        entries.removeIf(e -> Path.of(e).endsWith("test-classes"));
        assertThat(entries).anyMatch(e -> Files.exists(Path.of(e, "dev", "kindling", "KindlingApplication.class")));
        return String.join(File.pathSeparator, entries);
    }

    private static void expand(Path entry, Set<String> entries) throws IOException {
        if (Files.isRegularFile(entry) && entry.toString().endsWith(".jar")) {
            try (JarFile jar = new JarFile(entry.toFile())) {
                Manifest manifest = jar.getManifest();
                String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
                if (classPath != null && jar.stream().noneMatch(e -> e.getName().endsWith(".class"))) {
                    for (String ref : classPath.trim().split("\\s+")) {
                        URI uri = entry.toUri().resolve(ref);
                        expand(Path.of(uri), entries);
                    }
                    return;
                }
            }
        }
        entries.add(entry.toAbsolutePath().toString());
    }

    /** A PostgreSQL whose JVM was killed keeps running; stop the one in our data directory. */
    private void stopOrphanedPostgres() throws Exception {
        Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        var process = ProcessHandle.of(Long.parseLong(lines.get(0).strip()));
        if (process.isPresent() && process.get().isAlive()) {
            new ProcessBuilder("kill", "-INT", lines.get(0).strip()).inheritIO().start().waitFor();
            process.get().onExit().get(30, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
