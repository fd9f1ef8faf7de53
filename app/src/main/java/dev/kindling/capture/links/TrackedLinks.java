package dev.kindling.capture.links;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.platform.web.NotFoundException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads and writes tracked links, and holds their token signer. The signing secret is
 * {@code kindling.secret} ({@code KINDLING_SECRET}); when unset, 32 random bytes generated once
 * and kept in {@code app_setting}, so tokens already sent out keep working after a restart.
 */
@Component
class TrackedLinks {

    private final AuditLog audit;

    static final String SECRET_SETTING = "capture.link-secret";
    private static final String COLUMNS =
            "id, kind, name, target_url, campaign_id, created_at, completion_actions::text AS completion_actions";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final String configuredSecret;
    private final LinkTokens tokens;
    private volatile byte[] secret;

    private final dev.kindling.platform.database.AppSettings settings;

    TrackedLinks(
            JdbcClient jdbc,
            Clock clock,
            @Value("${kindling.secret:}") String configuredSecret,
            AuditLog audit,
            dev.kindling.platform.database.AppSettings settings) {
        this.settings = settings;
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
        this.configuredSecret = configuredSecret;
        this.tokens = new LinkTokens(this::secret);
    }

    /** What a client may set on a link, validated. */
    record Values(
            TrackedLink.Kind kind,
            String name,
            String targetUrl,
            Long campaignId,
            java.util.List<Object> completionActions) {}

    LinkTokens tokens() {
        return tokens;
    }

    Optional<TrackedLink> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tracked_link WHERE id = :id")
                .param("id", id)
                .query(TrackedLinks::link)
                .optional();
    }

    TrackedLink get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("No link " + id));
    }

    List<TrackedLink> list() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tracked_link ORDER BY id DESC")
                .query(TrackedLinks::link)
                .list();
    }

    TrackedLink create(Values v) {
        long id = jdbc.sql("""
                        INSERT INTO tracked_link (kind, name, target_url, campaign_id, created_at, completion_actions)
                        VALUES (:kind, :name, :target, :campaign, :now, CAST(:actions AS jsonb)) RETURNING id""")
                .param("actions", ACTIONS_JSON.writeValueAsString(v.completionActions()))
                .param("kind", v.kind().name())
                .param("name", v.name())
                .param("target", v.targetUrl())
                .param("campaign", v.campaignId())
                .param("now", Timestamp.from(clock.instant()))
                .query(Long.class)
                .single();
        audit.record(AuditEntry.created("tracked_link", id, get(id)));
        return get(id);
    }

    TrackedLink update(long id, Values v) {
        TrackedLink before = get(id);
        jdbc.sql("""
                        UPDATE tracked_link SET kind = :kind, name = :name, target_url = :target, campaign_id = :campaign,
                               completion_actions = CAST(:actions AS jsonb)
                         WHERE id = :id""")
                .param("actions", ACTIONS_JSON.writeValueAsString(v.completionActions()))
                .param("kind", v.kind().name())
                .param("name", v.name())
                .param("target", v.targetUrl())
                .param("campaign", v.campaignId())
                .param("id", id)
                .update();
        audit.record(AuditEntry.updated("tracked_link", id, before, get(id)));
        return get(id);
    }

    void delete(long id) {
        TrackedLink before = get(id);
        if (jdbc.sql("DELETE FROM tracked_link WHERE id = :id").param("id", id).update() == 0) {
            throw new NotFoundException("No link " + id);
        }
        audit.record(AuditEntry.deleted("tracked_link", id, before));
    }

    private byte[] secret() {
        byte[] s = secret;
        if (s == null) {
            synchronized (this) {
                if (secret == null) {
                    secret = loadSecret();
                }
                s = secret;
            }
        }
        return s;
    }

    private byte[] loadSecret() {
        if (configuredSecret != null && !configuredSecret.isBlank()) {
            return configuredSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        return settings.generatedSecret(SECRET_SETTING);
    }

    private static TrackedLink link(ResultSet rs, int row) throws SQLException {
        return new TrackedLink(
                rs.getLong("id"),
                TrackedLink.Kind.valueOf(rs.getString("kind")),
                rs.getString("name"),
                rs.getString("target_url"),
                (Long) rs.getObject("campaign_id"),
                rs.getTimestamp("created_at").toInstant(),
                actions(rs.getString("completion_actions")));
    }

    private static final tools.jackson.databind.json.JsonMapper ACTIONS_JSON =
            tools.jackson.databind.json.JsonMapper.builder().build();

    @SuppressWarnings("unchecked")
    private static java.util.List<Object> actions(String json) {
        Object value = dev.kindling.platform.web.JsonValues.value(ACTIONS_JSON.readTree(json == null ? "[]" : json));
        return value instanceof java.util.List<?> l ? (java.util.List<Object>) l : java.util.List.of();
    }
}
