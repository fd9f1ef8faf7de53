package dev.kindling.platform.database;

import java.time.Instant;

/**
 * Instants bound in arrays as epoch microseconds ({@code bigint[]}), and the SQL that turns them back into
 * {@code timestamptz}. The driver writes a {@code java.sql.Timestamp[]} as text, each element through
 * {@code Timestamp.toString} (calendar fields in the JVM's zone), which the database then parses again: in W1 that was
 * most of the driver's work on the accept insert's and the ledger's arrays (docs/benchmarks.md, issue 16). A
 * {@code bigint[]} goes in binary, and the conversion is arithmetic. The answers are the instants the text gave: the
 * fraction rounded to microseconds as the database rounds a parsed fraction ({@code rint} of the nearest double to
 * it, times a million), and exact over the whole range of PostgreSQL's timestamps that fit a {@code bigint} of
 * microseconds ({@code EpochMicrosIT} compares them with the {@code Timestamp} binding).
 */
public final class EpochMicros {

    private EpochMicros() {}

    /** The epoch microseconds of {@code instant}, rounded as the database rounds a fraction; {@code null} for none. */
    public static Long of(Instant instant) {
        if (instant == null) {
            return null;
        }
        long fraction = (long) Math.rint(instant.getNano() / 1e9 * 1e6);
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), fraction);
    }

    /**
     * The {@code timestamptz} of {@code micros}, an SQL expression of epoch microseconds ({@code null} stays
     * {@code null}). Whole seconds and the microseconds left apart: an interval times a {@code bigint} multiplies as a
     * {@code double}, exact for whole seconds (multiples of a million microseconds) up to about the year 20,000.
     */
    public static String timestamp(String micros) {
        return "(TIMESTAMPTZ 'epoch' + (" + micros + ") / 1000000 * INTERVAL '1 second' + (" + micros
                + ") % 1000000 * INTERVAL '1 microsecond')";
    }
}
