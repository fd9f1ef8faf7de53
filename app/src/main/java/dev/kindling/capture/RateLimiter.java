package dev.kindling.capture;

import dev.kindling.platform.database.TakenTogether;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A token bucket per client key, kept in PostgreSQL so every instance counts against the same bucket (N instances
 * do not allow N times the limit): {@code burst} requests at once, refilled at {@code perMinute}. One statement per
 * request — an upsert on {@code rate_limit_bucket} that refills the bucket for the time passed, takes a token when
 * there is one and says whether it did — so two instances never both take the last token; or one statement for a
 * batch of requests from many clients ({@link #takeAll}), in the transaction of the batch's own writes. Time comes from
 * the clock,
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

    /** Of the tokens a client wants ({@code EXCLUDED.granted}, at most a burst), as many whole ones as there are. */
    private static final String GRANTED = "CAST(LEAST(EXCLUDED.granted, FLOOR(REFILLED)) AS integer)";
    /** {@link #TAKE} for many clients at once, each taking up to so many tokens (one per request of a batch). */
    private static final String TAKE_ALL = """
            INSERT INTO rate_limit_bucket AS b (limiter, client, tokens, at, allowed, full_at, granted)
            SELECT :limiter, x.c, :burst - LEAST(x.n, :burst), CAST(:now AS timestamptz), true,
                   CAST(:now AS timestamptz) + make_interval(secs => LEAST(x.n, :burst) * 60 / :perMinute),
                   CAST(LEAST(x.n, :burst) AS integer)
              FROM unnest(CAST(:clients AS text[]), CAST(:wanted AS integer[])) AS x(c, n)
             ORDER BY x.c
            ON CONFLICT (limiter, client) DO UPDATE SET
                granted = GRANTED,
                allowed = REFILLED >= 1,
                tokens = REFILLED - GRANTED,
                at = GREATEST(b.at, CAST(:now AS timestamptz)),
                full_at = GREATEST(b.at, CAST(:now AS timestamptz))
                        + make_interval(secs => (:burst - (REFILLED - GRANTED)) * 60 / :perMinute)
            RETURNING client, granted, tokens""".replace("GRANTED", GRANTED).replace("REFILLED", REFILLED);

    /** The most requests one statement of {@link #tryAcquireTogether} takes tokens for. */
    static final int MAX_TOGETHER = 1000;

    private final String name;
    private final int burst;
    private final double perMinute;
    private final Clock clock;
    private final JdbcClient jdbc;
    private final TakenTogether<String, Decision> together = new TakenTogether<>(MAX_TOGETHER, this::decideAll);

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

    /**
     * {@link #tryAcquire}, the statement shared with the other requests of this limiter waiting at the same moment
     * (<b>group take</b>, {@link TakenTogether}, as form posts share their commit): one statement takes a token for
     * every request queued so far ({@link #takeAll}, on its own connection outside any transaction, so each answer is
     * final when given), a client's earliest requests first. The same decisions as one {@link #tryAcquire} after another, exact and shared by every instance;
     * under load one statement (and one commit) for many requests instead of one each. Inside a transaction it is
     * {@link #tryAcquire}: the caller's transaction must not carry other callers' tokens.
     */
    public Decision tryAcquireTogether(String client) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return tryAcquire(client);
        }
        return together.take(client == null ? "" : client);
    }

    /** The decisions for these requests' clients, in their order, with one {@link #takeAll}. */
    private List<Decision> decideAll(List<String> clients) {
        Map<String, Integer> wanted = new HashMap<>();
        clients.forEach(c -> wanted.merge(c, 1, Integer::sum));
        Map<String, Grant> grants = takeAll(wanted);
        Map<String, Integer> left = new HashMap<>();
        grants.forEach((c, grant) -> left.put(c, grant.granted()));
        List<Decision> decisions = new ArrayList<>(clients.size());
        for (String c : clients) { // in the order they came: a client's first requests pass
            int n = left.getOrDefault(c, 0);
            if (n > 0) {
                left.put(c, n - 1);
                decisions.add(new Decision(true, 0));
            } else {
                Grant grant = grants.get(c);
                decisions.add(new Decision(false, grant == null ? 1 : Math.max(1, grant.retryAfterSeconds())));
            }
        }
        return decisions;
    }

    public Decision tryAcquire(String client) {
        return jdbc.sql(TAKE)
                .param("limiter", name)
                .param("client", client == null ? "" : client)
                .param("burst", (double) burst)
                .param("perMinute", perMinute)
                .param("now", Timestamp.from(clock.instant()))
                .query((rs, n) ->
                        rs.getBoolean(1) ? new Decision(true, 0) : new Decision(false, retryAfter(rs.getDouble(2))))
                .single();
    }

    /** How many of a client's requests may pass ({@code granted}); when not all, the seconds until one more will. */
    public record Grant(int granted, long retryAfterSeconds) {}

    /**
     * {@link #tryAcquire} for a batch of requests from many clients, in one statement and in the caller's transaction:
     * each client takes as many tokens as it has requests in the batch ({@code wanted}), or as many as its bucket
     * holds. The buckets' rows stay locked until the caller's transaction ends (so a batch that fails takes nothing)
     * and are taken in the clients' order, so two batches never wait on each other in a cycle.
     */
    public Map<String, Grant> takeAll(Map<String, Integer> wanted) {
        if (wanted.isEmpty()) {
            return Map.of();
        }
        TreeMap<String, Integer> sorted = new TreeMap<>();
        wanted.forEach((client, n) -> sorted.merge(client == null ? "" : client, n, Integer::sum));
        Map<String, Grant> grants = new HashMap<>();
        jdbc.sql(TAKE_ALL)
                .param("limiter", name)
                .param("clients", sorted.keySet().toArray(String[]::new))
                .param("wanted", sorted.values().toArray(Integer[]::new))
                .param("burst", (double) burst)
                .param("perMinute", perMinute)
                .param("now", Timestamp.from(clock.instant()))
                .query((rs, n) -> {
                    String client = rs.getString(1);
                    int granted = rs.getInt(2);
                    long retryAfter = granted >= sorted.get(client) ? 0 : retryAfter(rs.getDouble(3));
                    return grants.put(client, new Grant(granted, retryAfter));
                })
                .list();
        return grants;
    }

    /** The seconds until a bucket holding {@code tokens} (less than one) holds one. */
    private long retryAfter(double tokens) {
        return Math.max(1, (long) Math.ceil((1 - tokens) * 60 / perMinute));
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
