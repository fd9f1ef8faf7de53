package dev.kindling.salesforce;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The sync position per Salesforce object: the highest {@code SystemModstamp} read, stored after each page. */
@Component
class Watermarks {

    private final JdbcClient jdbc;

    Watermarks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Instant> of(String object) {
        return jdbc.sql("SELECT modstamp FROM salesforce_watermark WHERE object = :object")
                .param("object", object)
                .query(Timestamp.class)
                .optional()
                .map(Timestamp::toInstant);
    }

    /** Move the watermark forward (never back), in the caller's transaction. */
    void advance(String object, Instant modstamp, String lastId, Instant now) {
        jdbc.sql("""
                INSERT INTO salesforce_watermark (object, modstamp, last_id, updated_at)
                VALUES (:object, :modstamp, :lastId, :now)
                ON CONFLICT (object) DO UPDATE SET modstamp = EXCLUDED.modstamp, last_id = EXCLUDED.last_id,
                       updated_at = EXCLUDED.updated_at
                 WHERE salesforce_watermark.modstamp <= EXCLUDED.modstamp""")
                .param("object", object)
                .param("modstamp", Timestamp.from(modstamp))
                .param("lastId", lastId)
                .param("now", Timestamp.from(now))
                .update();
    }
}
