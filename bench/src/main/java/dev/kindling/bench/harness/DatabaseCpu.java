package dev.kindling.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * CPU seconds spent by the embedded PostgreSQL (Linux {@code /proc}): its live processes' user and system time plus
 * what its exited children (parallel workers, ended backends) left in the postmaster's {@code cutime}/{@code cstime}.
 * The difference around a request is the database's work for it (and whatever else ran meanwhile), which unlike wall
 * time does not grow with the machine's load. {@code NaN} where {@code /proc} is not there.
 */
public final class DatabaseCpu {

    private final long postmaster;

    private DatabaseCpu(long postmaster) {
        this.postmaster = postmaster;
    }

    /** Finds the postmaster: the parent of this connection's backend. */
    public static DatabaseCpu of(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
            r.next();
            String[] stat = stat(r.getLong(1));
            return new DatabaseCpu(stat == null ? -1 : Long.parseLong(stat[1]));
        }
    }

    /** The database's CPU seconds so far. */
    public double seconds() {
        String[] own = stat(postmaster);
        if (own == null) {
            return Double.NaN;
        }
        // fields after the command: [0] state, [1] ppid, ... [11] utime, [12] stime, [13] cutime, [14] cstime
        long ticks = Long.parseLong(own[13]) + Long.parseLong(own[14]);
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path p : processes.toList()) {
                String name = p.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    String[] stat = stat(Long.parseLong(name));
                    if (stat != null && Long.parseLong(stat[1]) == postmaster) {
                        ticks += Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
                    }
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return ticks / 100.0; // USER_HZ
    }

    /** The fields of {@code /proc/<pid>/stat} after the command name, or null. */
    private static String[] stat(long pid) {
        try {
            String line = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return line.substring(line.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
