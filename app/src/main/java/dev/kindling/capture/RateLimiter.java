package dev.kindling.capture;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A token bucket per client key, in memory: {@code burst} requests at once, refilled at
 * {@code perMinute}. Time comes from the clock, so tests move it instead of sleeping. The number
 * of tracked clients is bounded: when full, the client seen least recently is forgotten. A client
 * that keeps knocking stays recent, so an attacker who floods the table with new keys (many
 * addresses) pushes out only idle clients, never the one being held back; and since one IPv6
 * network hands out addresses by the /64, {@link #clientOf} counts a /64 as one client.
 */
public final class RateLimiter {

    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+(%[0-9A-Za-z_.-]+)?");

    private final int burst;
    private final double tokensPerNano;
    private final Clock clock;
    private final Map<String, Bucket> buckets;

    public RateLimiter(int burst, int perMinute, Clock clock, int maxClients) {
        if (burst < 1 || perMinute < 1 || maxClients < 1) {
            throw new IllegalArgumentException("burst, perMinute and maxClients must be positive");
        }
        this.burst = burst;
        this.tokensPerNano = perMinute / 60e9;
        this.clock = clock;
        // access order: the eldest entry is the client seen least recently
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxClients;
            }
        };
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

    public synchronized Decision tryAcquire(String client) {
        long now = nanos();
        Bucket bucket = buckets.computeIfAbsent(client, k -> new Bucket(burst, now));
        bucket.refill(now, burst, tokensPerNano);
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return new Decision(true, 0);
        }
        double missingNanos = (1 - bucket.tokens) / tokensPerNano;
        return new Decision(false, Math.max(1, (long) Math.ceil(missingNanos / 1e9)));
    }

    /** Forgets every client (tests; an operator lifting a block). */
    public synchronized void reset() {
        buckets.clear();
    }

    synchronized int trackedClients() {
        return buckets.size();
    }

    private long nanos() {
        java.time.Instant i = clock.instant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(int tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        void refill(long now, int burst, double perNano) {
            if (now > at) {
                tokens = Math.min(burst, tokens + (now - at) * perNano);
                at = now;
            }
        }
    }
}
