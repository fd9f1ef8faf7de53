package dev.kindling.capture;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A token bucket per client key, kept in PostgreSQL so every instance counts against the same bucket (N instances
 * do not allow N times the limit): {@code burst} requests at once, refilled at {@code perMinute}. One statement per
 * request — an upsert on {@code rate_limit_bucket} that refills the bucket for the time passed, takes a token when
 * there is one and says whether it did — so two instances never both take the last token. Time comes from the clock,
 * so tests move it instead of sleeping. A bucket that has filled up again is the same as none: {@link #forgetFull}
 * deletes such rows. Since one IPv6 network hands out addresses by the /64, {@link #clientOf} counts a /64 as one
 * client.
 */
public final class RateLimiter {

    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+(%[0-9A-Za-z_.-]+)?");
    /** The bucket refilled for the time since its last request, at most full (SQL over the row before the update). */
    private static final String REFILLED =
            "LEAST(:burst, b.tokens + GREATEST(0, EXTRACT(EPOCH FROM (CAST(:now AS timestamptz) - b.at))) * :perMinute / 60)";

    private static final String TAKEN = "(REFILLED - CASE WHEN REFILLED >= 1 THEN 1 ELSE 0 END)";
    private static final String TAKE = """
            INSERT INTO rate_limit_bucket AS b (limiter, client, tokens, at, allowed, full_at)
            VALUES (:limiter, :client, :burst - 1, CAST(:now AS timestamptz), true,
                    CAST(:now AS timestamptz) + make_interval(secs => 60 / :perMinute))
            ON CONFLICT (limiter, client) DO UPDATE SET
                allowed = REFILLED >= 1,
                tokens = TAKEN,
                at = GREATEST(b.at, CAST(:now AS timestamptz)),
                full_at = GREATEST(b.at, CAST(:now AS timestamptz))
                        + make_interval(secs => (:burst - TAKEN) * 60 / :perMinute)
            RETURNING allowed, tokens""".replace("TAKEN", TAKEN).replace("REFILLED", REFILLED);

    private final String name;
    private final int burst;
    private final double perMinute;
    private final Clock clock;
    private final JdbcClient jdbc;

    /** A limiter whose buckets are stored under {@code name} (one name per limit). */
    public RateLimiter(String name, int burst, int perMinute, Clock clock, JdbcClient jdbc) {
        if (burst < 1 || perMinute < 1) {
            throw new IllegalArgumentException("burst and perMinute must be positive");
        }
        this.name = name;
        this.burst = burst;
        this.perMinute = perMinute;
        this.clock = clock;
        this.jdbc = jdbc;
    }

    /** Whether a request may pass now; when not, how many seconds until one will. */
    public record Decision(boolean allowed, long retryAfterSeconds) {}

    /**
     * The client key of a remote address: an IPv4 address as it is, an IPv6 address by its /64 network (an
     * IPv4-mapped IPv6 address counts as its IPv4 address). Anything that is not an address literal stays as given.
     */
    public static String clientOf(String address) {
        if (address == null
                || address.indexOf(':') < 0
                || !IPV6_LITERAL.matcher(address).matches()) {
            return address;
        }
        try {
            // hex digits and colons: an IPv6 literal, which is parsed, never looked up
            InetAddress parsed = InetAddress.getByName(address);
            if (parsed instanceof Inet6Address) {
                byte[] network = new byte[8];
                System.arraycopy(parsed.getAddress(), 0, network, 0, 8);
                return HexFormat.of().formatHex(network) + "::/64";
            }
            return parsed.getHostAddress();
        } catch (UnknownHostException e) {
            return address;
        }
    }

    public Decision tryAcquire(String client) {
        return jdbc.sql(TAKE)
                .param("limiter", name)
                .param("client", client == null ? "" : client)
                .param("burst", (double) burst)
                .param("perMinute", perMinute)
                .param("now", Timestamp.from(clock.instant()))
                .query((rs, n) -> rs.getBoolean(1)
                        ? new Decision(true, 0)
                        : new Decision(false, Math.max(1, (long) Math.ceil((1 - rs.getDouble(2)) * 60 / perMinute))))
                .single();
    }

    /** Forgets every client of this limiter (tests; an operator lifting a block). */
    public void reset() {
        jdbc.sql("DELETE FROM rate_limit_bucket WHERE limiter = :limiter")
                .param("limiter", name)
                .update();
    }

    /**
     * Deletes up to {@code batch} buckets of any limiter that are full again at {@code now} (the same as no bucket);
     * returns how many.
     */
    static int forgetFull(JdbcClient jdbc, Instant now, int batch) {
        return jdbc.sql("""
                        DELETE FROM rate_limit_bucket WHERE (limiter, client) IN (
                            SELECT limiter, client FROM rate_limit_bucket WHERE full_at <= :now LIMIT :batch)""")
                .param("now", Timestamp.from(now))
                .param("batch", batch)
                .update();
    }
}
