package dev.kindling.platform.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sign-in throttling per account and per client address, counted in {@code sign_in_throttle} so every node agrees.
 * {@value #ACCOUNT_LIMIT} failures for one account, or {@value #ADDRESS_LIMIT} from one address, within
 * {@link #WINDOW} lock that account or address: 15 minutes the first time, twice as long each time it is locked
 * again within a day of the last lock, at most a day. While locked, no password is even checked. A successful
 * sign-in clears the account's count (not the address's). Unknown accounts are counted like known ones, so the
 * lock tells nothing about which emails exist. IPv6 addresses count by their /64, which one client usually holds
 * whole.
 */
@Component
public class SignInThrottle {

    static final int ACCOUNT_LIMIT = 5;
    static final int ADDRESS_LIMIT = 20;
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final Duration FIRST_LOCK = Duration.ofMinutes(15);
    static final Duration LONGEST_LOCK = Duration.ofDays(1);
    /** A subject whose last failure and lock are this old starts afresh (and its row is deleted). */
    static final Duration MEMORY = Duration.ofDays(1);

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    SignInThrottle(JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    /** How long this account or address stays locked (the longer of the two), if either is locked now. */
    public Optional<Duration> locked(String account, String address) {
        Instant now = clock.instant();
        return jdbc.sql("""
                        SELECT locked_until FROM sign_in_throttle
                         WHERE subject IN (:subjects) AND locked_until > :now
                         ORDER BY locked_until DESC LIMIT 1""")
                .param("subjects", List.of(accountSubject(account), addressSubject(address)))
                .param("now", Timestamp.from(now))
                .query((rs, n) -> Duration.between(now, rs.getTimestamp(1).toInstant()))
                .optional();
    }

    /** Counts a failed sign-in; returns the lock it caused, if it caused one. */
    public Optional<Duration> failed(String account, String address) {
        Instant now = clock.instant();
        return tx.execute(status -> {
            jdbc.sql("""
                            DELETE FROM sign_in_throttle WHERE subject IN (
                                SELECT subject FROM sign_in_throttle
                                 WHERE last_failure_at < :cutoff AND (locked_until IS NULL OR locked_until < :cutoff)
                                 LIMIT 100)""").param("cutoff", Timestamp.from(now.minus(MEMORY))).update();
            Optional<Duration> byAccount = count(accountSubject(account), ACCOUNT_LIMIT, now);
            Optional<Duration> byAddress = count(addressSubject(address), ADDRESS_LIMIT, now);
            return byAccount.isPresent() ? byAccount : byAddress;
        });
    }

    /** A successful sign-in: the account starts afresh. */
    public void succeeded(String account) {
        jdbc.sql("DELETE FROM sign_in_throttle WHERE subject = :subject")
                .param("subject", accountSubject(account))
                .update();
    }

    private Optional<Duration> count(String subject, int limit, Instant now) {
        Timestamp at = Timestamp.from(now);
        Counted counted = jdbc.sql("""
                        INSERT INTO sign_in_throttle (subject, failures, window_started_at, last_failure_at)
                        VALUES (:subject, 1, :now, :now)
                        ON CONFLICT (subject) DO UPDATE SET
                            failures = CASE WHEN sign_in_throttle.window_started_at > :windowStart
                                            THEN sign_in_throttle.failures + 1 ELSE 1 END,
                            window_started_at = CASE WHEN sign_in_throttle.window_started_at > :windowStart
                                                     THEN sign_in_throttle.window_started_at ELSE :now END,
                            last_failure_at = :now
                        RETURNING failures, locks, locked_until""")
                .param("subject", subject)
                .param("now", at)
                .param("windowStart", Timestamp.from(now.minus(WINDOW)))
                .query((rs, n) -> new Counted(
                        rs.getInt(1),
                        rs.getInt(2),
                        rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant()))
                .single();
        if (counted.failures() < limit) {
            return Optional.empty();
        }
        boolean recent = counted.lockedUntil() != null && counted.lockedUntil().isAfter(now.minus(MEMORY));
        int locks = recent ? counted.locks() : 0;
        Duration lock = lockFor(locks);
        jdbc.sql("""
                        UPDATE sign_in_throttle SET failures = 0, window_started_at = :now, locks = :locks,
                               locked_until = :until
                         WHERE subject = :subject""")
                .param("subject", subject)
                .param("now", at)
                .param("locks", locks + 1)
                .param("until", Timestamp.from(now.plus(lock)))
                .update();
        return Optional.of(lock);
    }

    /** The lock after {@code earlier} locks within a day: 15 minutes, doubling, at most a day. */
    static Duration lockFor(int earlier) {
        Duration lock = FIRST_LOCK;
        for (int i = 0; i < earlier && lock.compareTo(LONGEST_LOCK) < 0; i++) {
            lock = lock.multipliedBy(2);
        }
        return lock.compareTo(LONGEST_LOCK) > 0 ? LONGEST_LOCK : lock;
    }

    static String accountSubject(String account) {
        String email = account == null ? "" : account.strip().toLowerCase(Locale.ROOT);
        return "account:" + (email.length() > 320 ? email.substring(0, 320) : email);
    }

    static String addressSubject(String address) {
        if (address == null || address.isBlank()) {
            return "address:unknown";
        }
        if (address.indexOf(':') >= 0) {
            try {
                byte[] bytes = InetAddress.getByName(address).getAddress();
                if (bytes.length == 16) {
                    return "address:"
                            + InetAddress.getByAddress(Arrays.copyOf(Arrays.copyOf(bytes, 8), 16))
                                    .getHostAddress() + "/64";
                }
            } catch (UnknownHostException e) {
                // not an address literal: counted by its text, like any other
            }
        }
        return "address:" + (address.length() > 64 ? address.substring(0, 64) : address);
    }

    private record Counted(int failures, int locks, Instant lockedUntil) {}
}
