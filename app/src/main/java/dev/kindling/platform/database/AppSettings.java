package dev.kindling.platform.database;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The instance's generated settings, kept in the {@code app_setting} table the platform owns: capabilities read and
 * write them here, never with SQL of their own.
 */
@Component
public class AppSettings {

    private final JdbcClient jdbc;

    AppSettings(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A secret of 32 random bytes made the first time it is asked for and kept under {@code key}, so what was signed
     * with it keeps verifying after a restart. Concurrent first uses (or instances) may race: the first insert wins
     * and everyone reads it back.
     */
    public byte[] generatedSecret(String key) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        jdbc.sql("INSERT INTO app_setting (key, value) VALUES (:key, :value) ON CONFLICT (key) DO NOTHING")
                .param("key", key)
                .param("value", Base64.getEncoder().encodeToString(fresh))
                .update();
        return Base64.getDecoder()
                .decode(jdbc.sql("SELECT value FROM app_setting WHERE key = :key")
                        .param("key", key)
                        .query(String.class)
                        .single());
    }

    /** The value kept under {@code key}, if any. */
    public Optional<String> value(String key) {
        return jdbc.sql("SELECT value FROM app_setting WHERE key = :key")
                .param("key", key)
                .query(String.class)
                .optional();
    }

    /** Keeps {@code value} under {@code key}, replacing what was there. */
    public void put(String key, String value) {
        jdbc.sql("""
                        INSERT INTO app_setting (key, value) VALUES (:key, :value)
                        ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value""").param("key", key).param("value", value).update();
    }
}
