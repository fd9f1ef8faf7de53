package dev.kindling.platform.database;

import java.time.Duration;
import java.time.Instant;

/**
 * Which database a report read and how current its data is: {@code asOf} is the moment up to which every transaction
 * committed on the primary is in the report (the report's start less the replica's measured lag), {@code bound} the
 * configured greatest lag ({@code KINDLING_DB_READ_MAX_LAG}).
 */
public record ReportFreshness(Source source, Instant asOf, Duration lag, Duration bound) {

    /** Where the report's data came from. */
    public enum Source {
        /** No read replica is configured: reports read the primary, as everything else does. */
        PRIMARY,
        /** The read replica, no further behind than the bound. */
        REPLICA,
        /** The primary, because the replica was further behind than the bound. */
        PRIMARY_REPLICA_BEHIND,
        /** The primary, because the replica did not answer (down, unreachable, not a standby). */
        PRIMARY_REPLICA_UNAVAILABLE
    }

    static ReportFreshness primary(Instant now) {
        return new ReportFreshness(Source.PRIMARY, now, Duration.ZERO, null);
    }

    /** True when a read replica is configured: the report pages then say where their data came from. */
    public boolean replicaConfigured() {
        return source != Source.PRIMARY;
    }

    public boolean fromReplica() {
        return source == Source.REPLICA;
    }

    /** The lag in whole seconds, rounded up: the report is at most this far behind the primary. */
    public long lagSeconds() {
        long seconds = lag.toSeconds();
        return lag.toNanosPart() > 0 ? seconds + 1 : seconds;
    }

    public long boundSeconds() {
        return bound == null ? 0 : bound.toSeconds();
    }
}
