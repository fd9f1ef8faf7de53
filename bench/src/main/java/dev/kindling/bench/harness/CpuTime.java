package dev.kindling.bench.harness;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * CPU time (user + system) spent by the app's process and by the database's processes (the postmaster and its live
 * children: the app's pooled connections, the bench's own), as the operating system counts it. Unlike wall-clock
 * time it hardly moves with the machine's load, so two runs under different loads compare: the CPU a run's work
 * costs. Short-lived processes that ended before a reading (autovacuum workers) are not counted. With several app
 * processes (W1's {@code --instances}) each is read on its own; one that has ended (killed) counts with its last
 * reading, so read just before killing one.
 */
public final class CpuTime {

    private final List<Long> appPids;
    private final long postmasterPid;
    private final Map<Long, Duration> lastSeen = new ConcurrentHashMap<>();
    private final java.util.Set<Long> databasePids = new java.util.HashSet<>();

    private CpuTime(List<Long> appPids, long postmasterPid) {
        this.appPids = List.copyOf(appPids);
        this.postmasterPid = postmasterPid;
    }

    /** For the app process {@code appPid} and the database {@code connection} is connected to. */
    public static CpuTime of(long appPid, Connection connection) throws SQLException {
        return of(List.of(appPid), connection);
    }

    /** For several app processes on the database {@code connection} is connected to. */
    public static CpuTime of(List<Long> appPids, Connection connection) throws SQLException {
        long backend;
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            backend = rs.getLong(1);
        }
        long postmaster = ProcessHandle.of(backend)
                .flatMap(ProcessHandle::parent)
                .map(ProcessHandle::pid)
                .orElseThrow(() -> new IllegalStateException("no parent process for backend " + backend));
        return new CpuTime(appPids, postmaster);
    }

    /**
     * One reading: the app's (all its processes together) and the database's CPU time so far, and each app process's
     * in the order given.
     */
    public record Reading(Duration app, Duration database, List<Duration> apps) {

        /** The CPU time spent between {@code earlier} and this reading. */
        public Reading since(Reading earlier) {
            List<Duration> each = new java.util.ArrayList<>();
            for (int i = 0; i < apps.size(); i++) {
                each.add(apps.get(i).minus(earlier.apps.get(i)));
            }
            return new Reading(app.minus(earlier.app), database.minus(earlier.database), List.copyOf(each));
        }
    }

    public Reading read() {
        List<Duration> apps = appPids.stream().map(this::lastCpu).toList();
        return new Reading(apps.stream().reduce(Duration.ZERO, Duration::plus), databaseCpu(), apps);
    }

    /**
     * The database's processes, each that was ever read counting with its last reading: the backends of a killed app
     * instance end with it, and would otherwise take the CPU they had spent before out of the next difference.
     */
    private synchronized Duration databaseCpu() {
        postgresProcesses().forEach(databasePids::add);
        return databasePids.stream().map(this::lastCpu).reduce(Duration.ZERO, Duration::plus);
    }

    private Duration lastCpu(long pid) {
        Duration now =
                ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).orElse(null);
        if (now == null) {
            return lastSeen.getOrDefault(pid, Duration.ZERO);
        }
        lastSeen.put(pid, now);
        return now;
    }

    private Stream<Long> postgresProcesses() {
        return ProcessHandle.of(postmasterPid)
                .map(p -> Stream.concat(Stream.of(p), p.descendants()).map(ProcessHandle::pid))
                .orElse(Stream.empty());
    }
}
