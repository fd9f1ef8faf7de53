package dev.kindling.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The facts BENCHMARKS.md requires next to every figure: without them a figure from a shared
 * machine cannot be compared with anything.
 */
public record MachineFacts(
        int nproc,
        String cpuModel,
        String memory,
        String os,
        String java,
        String postgresVersion,
        String fsync,
        String synchronousCommit,
        String loadAverage) {

    /** Reads the facts of this machine and of the PostgreSQL server behind {@code connection}. */
    public static MachineFacts of(Connection connection) throws SQLException {
        return new MachineFacts(
                Runtime.getRuntime().availableProcessors(),
                procField("/proc/cpuinfo", "model name"),
                procField("/proc/meminfo", "MemTotal"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.name") + " " + Runtime.version(),
                query(connection, "SHOW server_version"),
                query(connection, "SHOW fsync"),
                query(connection, "SHOW synchronous_commit"),
                currentLoadAverage());
    }

    /** The facts as label and value, in reporting order. */
    public Map<String, String> asRows() {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("nproc", Integer.toString(nproc));
        rows.put("CPU model", cpuModel);
        rows.put("memory", memory);
        rows.put("OS", os);
        rows.put("Java", java);
        rows.put("PostgreSQL", postgresVersion);
        rows.put("fsync", fsync);
        rows.put("synchronous_commit", synchronousCommit);
        rows.put("load average (1, 5, 15 min, at the end)", loadAverage);
        return rows;
    }

    /** The machine's 1, 5 and 15 minute load averages ({@code /proc/loadavg}): how shared the cores were. */
    public static String currentLoadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String procField(String file, String field) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            return lines.stream()
                    .filter(line -> line.startsWith(field))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }
}
