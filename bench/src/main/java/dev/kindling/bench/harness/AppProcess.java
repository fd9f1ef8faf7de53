package dev.kindling.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Kindling app as a child process on a free port, pointed at a given database with a
 * fresh admin API key. It runs on the same Java as the benchmark, and is stopped on close
 * (and when the benchmark's JVM exits), so a failed run leaves no server behind.
 */
public final class AppProcess implements AutoCloseable {

    /** A shared machine under load starts slowly; {@link #readyTimeout(Duration)} changes it for the run. */
    private static volatile Duration readyTimeout = Duration.ofMinutes(5);

    /**
     * The longest wait for a started app to be healthy, for the rest of the run (W7's {@code --ready-minutes}: an app
     * started on a kept M database first grades the million bulk-loaded prospects, before it reports healthy).
     */
    public static void readyTimeout(Duration timeout) {
        readyTimeout = timeout;
    }

    private final Process process;
    private final URI baseUri;
    private final String apiKey;
    private final Path log;
    private final ProcessBuilder builder;
    private final Thread stopOnExit;

    private AppProcess(Process process, URI baseUri, String apiKey, Path log, ProcessBuilder builder) {
        this.process = process;
        this.baseUri = baseUri;
        this.apiKey = apiKey;
        this.log = log;
        this.builder = builder;
        this.stopOnExit = new Thread(process::destroyForcibly, "stop-kindling-app");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Starts {@code java [jvmArgs] -jar jar} against the database and waits until
     * {@code /actuator/health} says UP.
     */
    /** What a workload measures against the app on its own database. */
    @FunctionalInterface
    public interface Measurement {
        String measure(AppProcess app, BenchDatabase database, java.sql.Connection connection) throws Exception;
    }

    /**
     * Starts a durable PostgreSQL and the app on it, runs {@code measurement} with a connection to the database, and
     * stops both; on failure the app's last log lines are printed under the workload's {@code name}.
     */
    public static String onFreshDatabase(
            String name, Path jar, List<String> jvmArgs, java.io.PrintStream log, Measurement measurement)
            throws Exception {
        return onFreshDatabase(name, jar, jvmArgs, Map.of(), log, measurement);
    }

    /** As above, with extra environment for the app (W11: the Salesforce connection). */
    public static String onFreshDatabase(
            String name,
            Path jar,
            List<String> jvmArgs,
            Map<String, String> env,
            java.io.PrintStream log,
            Measurement measurement)
            throws Exception {
        return onDatabase(name, BenchDatabase.startDurable(), jar, jvmArgs, env, log, measurement);
    }

    /** As above, on a database the caller started (W7's kept data directory); stopped at the end. */
    public static String onDatabase(
            String name,
            BenchDatabase started,
            Path jar,
            List<String> jvmArgs,
            Map<String, String> env,
            java.io.PrintStream log,
            Measurement measurement)
            throws Exception {
        try (BenchDatabase database = started) {
            try (AppProcess app =
                            start(jar, database.jdbcUrl(), BenchDatabase.USER, BenchDatabase.PASSWORD, jvmArgs, env);
                    java.sql.Connection connection = database.connect()) {
                log.println(name + ": app is up at " + app.baseUri() + " (log: " + app.log() + ")");
                try {
                    return measurement.measure(app, database, connection);
                } catch (Exception e) {
                    log.println(name + " failed; the app's last log lines:\n" + app.logTail(60));
                    throw e;
                }
            }
        }
    }

    public static AppProcess start(Path jar, String jdbcUrl, String user, String password, List<String> jvmArgs)
            throws IOException, InterruptedException {
        return start(jar, jdbcUrl, user, password, jvmArgs, Map.of());
    }

    public static AppProcess start(
            Path jar, String jdbcUrl, String user, String password, List<String> jvmArgs, Map<String, String> extraEnv)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "no app jar at " + jar.toAbsolutePath() + ": build it first with ./mvnw -B -DskipTests install");
        }
        int port = freePort();
        // several instances on one database share the admin key the first one registers (W1's --instances)
        String apiKey = extraEnv.getOrDefault("KINDLING_ADMIN_API_KEY", secret());
        Path log = Files.createTempFile("kindling-app-", ".log");
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("KINDLING_DB_URL", jdbcUrl);
        env.put("KINDLING_DB_USER", user);
        env.put("KINDLING_DB_PASSWORD", password);
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("KINDLING_ADMIN_API_KEY", apiKey);
        env.put("KINDLING_ADMIN_PASSWORD", secret());
        env.put("KINDLING_DEMO", "false");
        env.putAll(extraEnv);
        AppProcess app = new AppProcess(builder.start(), URI.create("http://localhost:" + port), apiKey, log, builder);
        return awaitStarted(app);
    }

    /**
     * Ends the app at once with SIGKILL ({@code kill -9}): no shutdown hook of its own runs, requests in flight
     * are cut off, nothing is flushed.
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException alreadyExiting) {
            // the hook runs anyway
        }
    }

    /**
     * Starts the app again, as it was started (same port, database, API key; the log is appended to), and waits
     * until it is healthy.
     */
    public AppProcess restart() throws IOException, InterruptedException {
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return awaitStarted(new AppProcess(builder.start(), baseUri, apiKey, log, builder));
    }

    private static AppProcess awaitStarted(AppProcess app) throws InterruptedException {
        try {
            app.awaitHealthy();
        } catch (RuntimeException | InterruptedException e) {
            app.close();
            throw e;
        }
        return app;
    }

    /** The app's process id (of the current process: {@link #restart} starts another). */
    public long pid() {
        return process.pid();
    }

    public URI baseUri() {
        return baseUri;
    }

    public String apiKey() {
        return apiKey;
    }

    public Path log() {
        return log;
    }

    /** The last lines of the app's log: what to show when a run fails. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private void awaitHealthy() throws InterruptedException {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(baseUri.resolve("/actuator/health"))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        Duration timeout = readyTimeout;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "the app exited with " + process.exitValue() + " while starting:\n" + logTail(40));
            }
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notYetListening) {
                // keep polling until the deadline
            }
            Thread.sleep(200); // W9 times the restart by this poll
        }
        throw new IllegalStateException("the app was not healthy within " + timeout + ":\n" + logTail(40));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException alreadyExiting) {
            // the hook runs anyway
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh random secret, shaped like an API key: for settings several instances must share. */
    public static String secret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return "kb_" + HexFormat.of().formatHex(bytes);
    }
}
