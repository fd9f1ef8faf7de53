package dev.kindling.capture.forms;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.platform.cluster.ConfigurationChanged;
import dev.kindling.platform.cluster.ConfigurationChanges;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.JsonValues;
import dev.kindling.platform.web.NotFoundException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes form configurations. Every change is announced to every instance ({@link ConfigurationChanges},
 * topic {@value #TOPIC}), on which their caches of forms ({@link FormDesigns}) forget what they hold; this instance's
 * forget at once when the change commits.
 */
@Component
class Forms {

    /** The topic of a change to a form. */
    static final String TOPIC = "forms";

    private final AuditLog audit;
    private final ConfigurationChanges changes;
    private final ApplicationEventPublisher events;

    private static final String COLUMNS = """
            id, key, name, field_mapping::text AS field_mapping, required_fields, success_url, error_url, campaign_id,
            completion_actions::text AS completion_actions, created_at""";
    private static final TypeReference<LinkedHashMap<String, String>> MAPPING = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    Forms(
            JdbcClient jdbc,
            JsonMapper json,
            Clock clock,
            AuditLog audit,
            ConfigurationChanges changes,
            ApplicationEventPublisher events) {
        this.changes = changes;
        this.events = events;
        this.audit = audit;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    Optional<Form> findByKey(String key) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM form WHERE key = :key")
                .param("key", key)
                .query(this::form)
                .optional();
    }

    Form get(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM form WHERE id = :id")
                .param("id", id)
                .query(this::form)
                .optional()
                .orElseThrow(() -> new NotFoundException("No form " + id));
    }

    List<Form> list() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM form ORDER BY id DESC")
                .query(this::form)
                .list();
    }

    Form create(FormValues v) {
        try {
            long id = jdbc.sql("""
                            INSERT INTO form (key, name, field_mapping, required_fields, success_url, error_url, campaign_id,
                                              completion_actions, created_at)
                            VALUES (:key, :name, CAST(:mapping AS jsonb), :required, :success, :error, :campaign,
                                    CAST(:actions AS jsonb), :now)
                            RETURNING id""")
                    .params(params(v))
                    .param("now", Timestamp.from(clock.instant()))
                    .query(Long.class)
                    .single();
            audit.record(AuditEntry.created("form", id, get(id)));
            changed();
            return get(id);
        } catch (DuplicateKeyException e) {
            throw new ConflictException("A form with key " + v.key() + " exists already");
        }
    }

    Form update(long id, FormValues v) {
        Form before = get(id);
        try {
            jdbc.sql("""
                            UPDATE form SET key = :key, name = :name, field_mapping = CAST(:mapping AS jsonb),
                                   required_fields = :required, success_url = :success, error_url = :error,
                                   campaign_id = :campaign, completion_actions = CAST(:actions AS jsonb)
                             WHERE id = :id""").params(params(v)).param("id", id).update();
            audit.record(AuditEntry.updated("form", id, before, get(id)));
            changed();
            return get(id);
        } catch (DuplicateKeyException e) {
            throw new ConflictException("A form with key " + v.key() + " exists already");
        }
    }

    void delete(long id) {
        Form before = get(id);
        if (jdbc.sql("DELETE FROM form WHERE id = :id").param("id", id).update() == 0) {
            throw new NotFoundException("No form " + id);
        }
        audit.record(AuditEntry.deleted("form", id, before));
        changed();
    }

    /**
     * Tells every instance that a form changed: the other instances through the database's note, sent when the
     * change commits; this one when it has committed (or at once outside a transaction), so that a request after the
     * change never finds the old form in this instance's cache.
     */
    void changed() {
        changes.announce(TOPIC);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    events.publishEvent(new ConfigurationChanged(TOPIC));
                }
            });
        } else {
            events.publishEvent(new ConfigurationChanged(TOPIC));
        }
    }

    private java.util.Map<String, Object> params(FormValues v) {
        java.util.Map<String, Object> p = new java.util.HashMap<>();
        p.put("key", v.key());
        p.put("name", v.name());
        p.put("mapping", json.writeValueAsString(v.fieldMapping()));
        p.put("required", v.requiredFields().toArray(String[]::new));
        p.put("success", v.successUrl());
        p.put("error", v.errorUrl());
        p.put("campaign", v.campaignId());
        p.put("actions", json.writeValueAsString(v.completionActions()));
        return p;
    }

    @SuppressWarnings("unchecked")
    private Form form(ResultSet rs, int row) throws SQLException {
        Object actions = JsonValues.value(json.readTree(rs.getString("completion_actions")));
        return new Form(
                rs.getLong("id"),
                rs.getString("key"),
                rs.getString("name"),
                json.readValue(rs.getString("field_mapping"), MAPPING),
                List.of((String[]) rs.getArray("required_fields").getArray()),
                rs.getString("success_url"),
                rs.getString("error_url"),
                (Long) rs.getObject("campaign_id"),
                (List<Object>) actions,
                rs.getTimestamp("created_at").toInstant());
    }
}
