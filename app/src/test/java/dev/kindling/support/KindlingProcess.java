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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Kindling as shipped — {@code java -jar target/kindling.jar} — in a child process with its own
 * durable embedded PostgreSQL in {@code dataDir}, configured only through the environment, as an
 * operator would run it. Integration tests run after packaging, so the jar is there. A test whose claim is not the
 * shipped command may run the same jar extracted ({@link Launch#EXTRACTED}), which starts on less CPU.
 */
public final class KindlingProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "kindling.jar");
    private static final Path LOGS = Path.of("target", "kindling-processes");
    private static final Path EXTRACTED = Path.of("target", "kindling-extracted");

    /** How the child JVM runs the packaged app. */
    public enum Launch {
        /** {@code java -jar kindling.jar}, the command the README gives. */
        JAR,
        /**
         * The same jar extracted once a run with Spring Boot's tools ({@code java -Djarmode=tools -jar kindling.jar
         * extract}), then {@code java -jar} of the extracted application jar: the same classes, its libraries plain
         * jars on the class path instead of jars nested in the jar — a start takes about a quarter less CPU
         * (docs/testing.md). For tests whose claim is not the shipped command itself.
         */
        EXTRACTED
    }

    private static Path extractedJar;

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
        return start(name, dataDir, apiKey, env, jvmArgs, Launch.JAR);
    }

    /** Starts an instance launched as {@code launch} says and waits until it is healthy. */
    public static KindlingProcess start(
            String name, Path dataDir, String apiKey, Map<String, String> env, List<String> jvmArgs, Launch launch)
            throws IOException, InterruptedException {
        assertThat(JAR).as("the packaged app").exists();
        Path jar = launch == Launch.EXTRACTED ? extracted() : JAR;
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
        command.addAll(List.of("-jar", jar.toString()));
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

    /**
     * Throws the instance away with its data, for an instance nothing looks at any more (the demo at the end of the
     * run): the JVM killed, then — in a process that outlives the test JVM, its output discarded, so the build does not
     * wait for it — an immediate stop of its PostgreSQL (no checkpoint) and {@code directory} removed. The orderly
     * stop and its checkpoint (fsync on, the demo's whole year of data) and the removal file by file in the test JVM
     * had held the end of a whole run about 1.7 s (docs/testing.md). An orderly stop is what {@link #stop} is for.
     */
    public void discard(Path directory) throws InterruptedException {
        kill();
        String postmaster = "";
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"));
            postmaster = lines.isEmpty() ? "" : lines.getFirst().strip();
        } catch (IOException e) {
            // no PostgreSQL started, or it is gone: only the directory to remove
        }
        try {
            new ProcessBuilder(
                            "sh",
                            "-c",
                            // the wait is bounded: a stopped server its parent no longer reaps stays a zombie
                            "if [ -n \"$1\" ]; then kill -QUIT \"$1\"; i=0;"
                                    + " while kill -0 \"$1\" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1));"
                                    + " done; fi; rm -rf \"$2\"",
                            "discard",
                            postmaster,
                            directory.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    /** The packaged jar extracted once for the test JVM, from the jar this build packaged. */
    private static synchronized Path extracted() throws IOException, InterruptedException {
        if (extractedJar == null) {
            if (Files.exists(EXTRACTED)) {
                try (Stream<Path> files = Files.walk(EXTRACTED)) {
                    files.sorted(Comparator.reverseOrder())
                            .forEach(path -> path.toFile().delete());
                }
            }
            Files.createDirectories(LOGS);
            Path log = LOGS.resolve("extract.log");
            Process extract = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            // a short run: C1 only and the serial collector, as the instances, take about 0.7 s of
                            // CPU off the JVM's defaults (docs/testing.md)
                            "-XX:TieredStopAtLevel=1",
                            "-XX:+UseSerialGC",
                            "-Djarmode=tools",
                            "-jar",
                            JAR.toString(),
                            "extract",
                            "--destination",
                            EXTRACTED.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            assertThat(extract.waitFor(120, TimeUnit.SECONDS))
                    .as("the jar extracted; see " + log.toAbsolutePath())
                    .isTrue();
            assertThat(extract.exitValue())
                    .as("the jar extracted; see " + log.toAbsolutePath())
                    .isZero();
            extractedJar = EXTRACTED.resolve(JAR.getFileName());
            assertThat(extractedJar).as("the extracted application jar").exists();
        }
        return extractedJar;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
