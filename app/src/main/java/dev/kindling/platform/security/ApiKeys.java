package dev.kindling.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
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
     * narrowed to the user's role of this moment.
     */
    Optional<KeyHolder> find(String key) {
        return jdbc.sql("""
                        SELECT k.id, k.user_id, u.email, k.role, u.role
                          FROM api_key k JOIN app_user u ON u.id = k.user_id
                         WHERE k.key_hash = :hash AND k.revoked_at IS NULL AND u.active""")
                .param("hash", hash(key))
                .query((rs, n) -> new KeyHolder(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getString(3),
                        Role.valueOf(rs.getString(4)).narrowedTo(Role.valueOf(rs.getString(5)))))
                .optional();
    }

    public void revoke(long keyId) {
        jdbc.sql("UPDATE api_key SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                .param("at", java.sql.Timestamp.from(Instant.now(clock)))
                .param("id", keyId)
                .update();
    }

    record KeyHolder(long keyId, long userId, String email, Role role) {}
}
