package dev.kindling.platform.security;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Security settings an admin changes at run time ({@code security_setting}, one row). For now one: whether the
 * API documentation ({@code /v3/api-docs}, Swagger UI) is served to anyone, or only to signed-in users and API
 * keys (the default).
 */
@Component
public class SecuritySettings {

    private final JdbcClient jdbc;

    SecuritySettings(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public boolean apiDocsPublic() {
        return jdbc.sql("SELECT api_docs_public FROM security_setting")
                .query(Boolean.class)
                .single();
    }

    public void apiDocsPublic(boolean open) {
        jdbc.sql("UPDATE security_setting SET api_docs_public = :open")
                .param("open", open)
                .update();
    }
}
