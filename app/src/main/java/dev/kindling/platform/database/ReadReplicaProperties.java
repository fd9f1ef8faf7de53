package dev.kindling.platform.database;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code KINDLING_DB_READ_URL/USER/PASSWORD/MAX_LAG}: a streaming replica of the primary that reports and their exports
 * read. An empty URL means none (reports read the primary); an empty user or password means the primary's. The
 * replica is read only while it is at most {@code maxLag} behind the primary.
 */
@ConfigurationProperties("kindling.db.read")
public record ReadReplicaProperties(
        String url,
        String user,
        String password,
        @DefaultValue("30s") Duration maxLag) {

    public boolean configured() {
        return url != null && !url.isBlank();
    }
}
