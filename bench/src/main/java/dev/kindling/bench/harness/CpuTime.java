package dev.kindling.bench.harness;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * CPU time (user + system) spent by the app's process and by the database's processes (the postmaster and its live
 * children: the app's pooled connections, the bench's own), as the operating system counts it. Unlike wall-clock
 * time it hardly moves with the machine's load, so two runs under different loads compare: the CPU a run's work
 * costs. Short-lived processes that ended before a reading (autovacuum workers) are not counted.
 */
public final class CpuTime {

    private final long appPid;
    private final long postmasterPid;

    private CpuTime(long appPid, long postmasterPid) {
        this.appPid = appPid;
        this.postmasterPid = postmasterPid;
    }

    /** For the app process {@code appPid} and the database {@code connection} is connected to. */
    public static CpuTime of(long appPid, Connection connection) throws SQLException {
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
        return new CpuTime(appPid, postmaster);
    }

    /** One reading: the app's and the database's CPU time so far. */
    public record Reading(Duration app, Duration database) {

        /** The CPU time spent between {@code earlier} and this reading. */
        public Reading since(Reading earlier) {
            return new Reading(app.minus(earlier.app), database.minus(earlier.database));
        }
    }

    public Reading read() {
        return new Reading(cpu(Stream.of(appPid)), cpu(postgresProcesses()));
    }

    private Stream<Long> postgresProcesses() {
        return ProcessHandle.of(postmasterPid)
                .map(p -> Stream.concat(Stream.of(p), p.descendants()).map(ProcessHandle::pid))
                .orElse(Stream.empty());
    }

    private static Duration cpu(Stream<Long> pids) {
        return pids.map(pid -> ProcessHandle.of(pid)
                        .flatMap(p -> p.info().totalCpuDuration())
                        .orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }
}
