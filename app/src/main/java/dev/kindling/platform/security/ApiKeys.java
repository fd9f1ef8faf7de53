package dev.kindling.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * API keys: random 256-bit tokens shown once at creation; only their SHA-256 is stored, so a
 * database dump reveals no usable key. A key carries the role it was issued with, but acts with no more than its
 * user's current role ({@link Role#narrowedTo}), and only while the user is active: a demotion or deactivation
 * takes effect on the key's next request.
 */
@Component
public class ApiKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final Clock clock;

    ApiKeys(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "kdl_" + HexFormat.of().formatHex(bytes);
    }

    static String hash(String key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stores {@code key} for the user with the given role and returns its id. */
    public long register(long userId, String name, Role role, String key) {
        return jdbc.sql("""
                        INSERT INTO api_key (user_id, name, key_hash, role, created_at)
                        VALUES (:user, :name, :hash, :role, :at) RETURNING id""")
                .param("user", userId)
                .param("name", name)
                .param("hash", hash(key))
                .param("role", role.name())
                .param("at", java.sql.Timestamp.from(clock.instant()))
                .query(Long.class)
                .single();
    }

    /**
     * The key's holder, if the key exists, is not revoked and its user is active; its role is the key's role
     * narrowed to the user's role of this moment. Notes the use in the same statement: {@code last_used_at} is written
     * at most once a minute per key, so a busy integration costs no write per request (the condition is on the row
     * updated, so two requests at once write it once).
     */
    Optional<KeyHolder> find(String key) {
        Instant now = clock.instant();
        return jdbc.sql("""
                        WITH k AS (
                            SELECT k.id, k.user_id, u.email, k.role, u.role AS user_role
                              FROM api_key k JOIN app_user u ON u.id = k.user_id
                             WHERE k.key_hash = :hash AND k.revoked_at IS NULL AND u.active),
                        used AS (
                            UPDATE api_key a SET last_used_at = :now
                              FROM k
                             WHERE a.id = k.id AND (a.last_used_at IS NULL OR a.last_used_at <= :minuteAgo))
                        SELECT id, user_id, email, role, user_role FROM k""")
                .param("hash", hash(key))
                .param("now", java.sql.Timestamp.from(now))
                .param("minuteAgo", java.sql.Timestamp.from(now.minusSeconds(60)))
                .query((rs, n) -> new KeyHolder(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getString(3),
                        Role.valueOf(rs.getString(4)).narrowedTo(Role.valueOf(rs.getString(5)))))
                .optional();
    }

    /** An issued key as lists show it (never its secret). */
    public record Key(
            long id,
            long userId,
            String userEmail,
            String name,
            Role role,
            Instant createdAt,
            Instant lastUsedAt,
            Instant revokedAt) {}

    private static final String KEYS = """
            SELECT k.id, k.user_id, u.email, k.name, k.role, k.created_at, k.last_used_at, k.revoked_at
              FROM api_key k JOIN app_user u ON u.id = k.user_id
            """;

    /** Every key, or only those of {@code userId} when it is not null; newest first. */
    public List<Key> list(Long userId) {
        return jdbc.sql(KEYS + " WHERE CAST(:user AS bigint) IS NULL OR k.user_id = :user ORDER BY k.id DESC")
                .param("user", userId)
                .query(ApiKeys::key)
                .list();
    }

    /** The key with this id, if there is one. */
    public Optional<Key> get(long id) {
        return jdbc.sql(KEYS + " WHERE k.id = :id")
                .param("id", id)
                .query(ApiKeys::key)
                .optional();
    }

    private static Key key(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Key(
                rs.getLong(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getString(4),
                Role.valueOf(rs.getString(5)),
                rs.getTimestamp(6).toInstant(),
                instant(rs.getTimestamp(7)),
                instant(rs.getTimestamp(8)));
    }

    private static Instant instant(java.sql.Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    public void revoke(long keyId) {
        jdbc.sql("UPDATE api_key SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                .param("at", java.sql.Timestamp.from(Instant.now(clock)))
                .param("id", keyId)
                .update();
    }

    record KeyHolder(long keyId, long userId, String email, Role role) {}
}
