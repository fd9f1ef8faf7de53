package dev.kindling.platform.database;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code KINDLING_DB_URL/USER/PASSWORD}; an empty URL means the embedded PostgreSQL. */
@ConfigurationProperties("kindling.db")
public record DatabaseProperties(String url, String user, String password) {

    public boolean external() {
        return url != null && !url.isBlank();
    }
}
