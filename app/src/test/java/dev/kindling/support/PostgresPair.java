package dev.kindling.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * A primary and a streaming standby of Debian's PostgreSQL (the server packages' binaries in
 * {@code /usr/lib/postgresql/<version>/bin}; {@code .ci/run} installs them): {@code initdb} of the primary,
 * {@code pg_basebackup -R} of the standby, both started on free loopback ports in one temporary directory, fsync off.
 * {@link #close()} stops both ({@code pg_ctl stop -m immediate}) and removes the directory; a JVM shutdown hook does
 * the same if the owner never closes it. As root (PostgreSQL refuses to run as root) the commands run in a user
 * namespace of their own ({@code unshare -U}), as the embedded PostgreSQL does.
 */
public final class PostgresPair implements AutoCloseable {

    private static final String USER = "postgres";

    private final Path bin;
    private final Path dir;
    private final int primaryPort;
    private final int replicaPort;
    private final Thread hook = new Thread(this::stopAndRemove);
    private boolean closed;

    private PostgresPair(Path bin, Path dir, int primaryPort, int replicaPort) {
        this.bin = bin;
        this.dir = dir;
        this.primaryPort = primaryPort;
        this.replicaPort = replicaPort;
    }

    /** Makes and starts the primary, then its standby; a failure leaves nothing running. */
    public static PostgresPair start() {
        Path bin = binaries();
        try {
            PostgresPair pair =
                    new PostgresPair(bin, Files.createTempDirectory("kindling-pg-pair"), freePort(), freePort());
            Runtime.getRuntime().addShutdownHook(pair.hook);
            try {
                pair.startBoth();
            } catch (RuntimeException e) {
                pair.close();
                throw e;
            }
            return pair;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String primaryUrl() {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + "/postgres";
    }

    public String replicaUrl() {
        return "jdbc:postgresql://127.0.0.1:" + replicaPort + "/postgres";
    }

    public String user() {
        return USER;
    }

    /** The standby keeps receiving WAL but applies none of it until {@link #resumeReplay()}. */
    public void pauseReplay() {
        onReplica("SELECT pg_wal_replay_pause()");
    }

    public void resumeReplay() {
        onReplica("SELECT pg_wal_replay_resume()");
    }

    /** Waits until the standby has applied everything the primary had written when this was called. */
    public void awaitReplayed() {
        String flushed = single(primaryUrl(), "SELECT pg_current_wal_insert_lsn()::text");
        Awaitility.await("the standby replays up to " + flushed)
                .atMost(Duration.ofSeconds(30))
                .until(() -> "t"
                        .equals(single(
                                replicaUrl(),
                                "SELECT (pg_last_wal_replay_lsn() >= '" + flushed + "'::pg_lsn)::text::char")));
    }

    /** Stops the standby at once (as a crash or a network cut would leave it, from the app's side). */
    public void stopReplica() {
        run("pg_ctl", "-D", dir.resolve("replica").toString(), "-m", "immediate", "-w", "stop");
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopAndRemove();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to
        }
    }

    private void startBoth() {
        Path primary = dir.resolve("primary");
        Path replica = dir.resolve("replica");
        run("initdb", "-D", primary.toString(), "-U", USER, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "-N");
        startServer(primary, primaryPort);
        run(
                "pg_basebackup",
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(primaryPort),
                "-U",
                USER,
                "-D",
                replica.toString(),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
                "-N");
        startServer(replica, replicaPort);
    }

    private void startServer(Path data, int port) {
        run(
                "pg_ctl",
                "-D",
                data.toString(),
                "-l",
                data.resolveSibling(data.getFileName() + ".log").toString(),
                "-w",
                "-t",
                "60",
                "-o",
                "-c port=" + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir
                        + " -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
                        + " -c shared_buffers=32MB -c max_connections=60",
                "start");
    }

    private synchronized void stopAndRemove() {
        for (String server : List.of("replica", "primary")) {
            Path data = dir.resolve(server);
            if (Files.exists(data.resolve("postmaster.pid"))) {
                try {
                    run("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
                } catch (RuntimeException e) {
                    // already gone: nothing to stop
                }
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a temporary directory: the system cleans it up eventually
        }
    }

    private void onReplica(String sql) {
        single(replicaUrl(), sql);
    }

    private static String single(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url, USER, "");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " on " + url, e);
        }
    }

    private void run(String program, String... args) {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        try {
            Path log = Files.createTempFile(dir, program, ".out");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish in 120 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        command + " failed (" + process.exitValue() + "):\n" + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The newest PostgreSQL of Debian's server packages that has every program the pair needs. */
    private static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Stream.of("initdb", "pg_ctl", "pg_basebackup", "postgres")
                            .allMatch(p -> Files.isExecutable(b.resolve(p))))
                    .max(Comparator.comparingInt(b -> major(b.getParent())))
                    .orElseThrow(() -> new IllegalStateException("No PostgreSQL server binaries in " + root
                            + "/<version>/bin: install Debian's postgresql package (.ci/run does)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int major(Path versionDir) {
        try {
            return Integer.parseInt(versionDir.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
