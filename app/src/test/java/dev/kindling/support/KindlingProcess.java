package dev.kindling.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Kindling as shipped — {@code java -jar target/kindling.jar} — in a child process with its own
 * durable embedded PostgreSQL in {@code dataDir}, configured only through the environment, as an
 * operator would run it. Integration tests run after packaging, so the jar is there.
 */
public final class KindlingProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "kindling.jar");
    private static final Path LOGS = Path.of("target", "kindling-processes");

    private final Process process;
    private final Path dataDir;
    private final Path log;
    private final int port;
    private final TestApi api;

    private KindlingProcess(Process process, Path dataDir, Path log, int port, String apiKey) {
        this.process = process;
        this.dataDir = dataDir;
        this.log = log;
        this.port = port;
        this.api = new TestApi(port, apiKey);
    }

    /**
     * Starts an instance and waits until it is healthy.
     *
     * @param name    names the log file under {@code target/kindling-processes/}
     * @param env     extra environment, e.g. {@code KINDLING_DEMO}
     * @param jvmArgs extra JVM arguments, e.g. {@code -Dkindling.intake.start-delay=10m}
     */
    public static KindlingProcess start(
            String name, Path dataDir, String apiKey, Map<String, String> env, List<String> jvmArgs)
            throws IOException, InterruptedException {
        assertThat(JAR).as("the packaged app").exists();
        Files.createDirectories(LOGS);
        Path log = LOGS.resolve(name + ".log");
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                // no bytecode verification of the jar's classes: a fifth of a start's CPU; the integration tests' JVM
                // loads the same classes with verification on (docs/testing.md)
                "-XX:+UnlockDiagnosticVMOptions",
                "-XX:-BytecodeVerificationRemote"));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.remove("KINDLING_DB_URL");
        environment.put("KINDLING_DATA_DIR", dataDir.toString());
        environment.put("SERVER_PORT", Integer.toString(port));
        environment.put("KINDLING_ADMIN_API_KEY", apiKey);
        environment.put("KINDLING_ADMIN_PASSWORD", "child-process-password");
        environment.put("KINDLING_DEMO", "false");
        environment.put("LANG", "C.UTF-8");
        environment.put("LC_ALL", "C.UTF-8");
        environment.putAll(env);
        KindlingProcess started = new KindlingProcess(builder.start(), dataDir, log, port, apiKey);
        try {
            started.awaitHealthy();
        } catch (RuntimeException | Error e) {
            try {
                started.close(); // nothing left running when the start fails
            } catch (Exception stopping) {
                e.addSuppressed(stopping);
            }
            throw e;
        }
        return started;
    }

    public TestApi api() {
        return api;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** SIGKILL: no shutdown hook runs, the embedded PostgreSQL is left running. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /** An orderly stop (SIGTERM), as an operator stops a service. */
    public void stop() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Stops the instance and any PostgreSQL it left behind. */
    @Override
    public void close() throws Exception {
        stop();
        Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        var postgres = ProcessHandle.of(Long.parseLong(lines.get(0).strip()));
        if (postgres.isPresent() && postgres.get().isAlive()) {
            new ProcessBuilder("kill", "-INT", lines.get(0).strip())
                    .inheritIO()
                    .start()
                    .waitFor();
            postgres.get().onExit().get(30, TimeUnit.SECONDS);
        }
    }

    private void awaitHealthy() {
        await("Kindling healthy; see " + log.toAbsolutePath())
                // generous: on a busy machine a first start (initdb, fsync on, every migration) can take minutes, and
                // three
                // instances of ClusterIT start at once
                .atMost(Duration.ofSeconds(300))
                .pollInterval(Duration.ofMillis(200))
                .ignoreException(UncheckedIOException.class) // not listening yet
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError(
                                "Kindling exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
                    }
                    var health = api.get("/actuator/health");
                    return health.status() == 200
                            && health.json().get("status").asString().equals("UP");
                });
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
