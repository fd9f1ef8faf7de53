package dev.kindling.campaigns;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads and writes campaigns; other capabilities use {@link #exists(long)} to check references. */
@Component
public class Campaigns {

    private final AuditLog audit;

    private static final String COLUMNS = "id, name, channel, cost, start_date, end_date, parent_id, created_at";

    private final JdbcClient jdbc;
    private final Clock clock;

    Campaigns(JdbcClient jdbc, Clock clock, AuditLog audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** What a client may set on a campaign, already validated. */
    public record Values(
            String name,
            Campaign.Channel channel,
            java.math.BigDecimal cost,
            java.time.LocalDate startDate,
            java.time.LocalDate endDate,
            Long parentId) {}

    public boolean exists(long id) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM campaign WHERE id = :id)")
                .param("id", id)
                .query(Boolean.class)
                .single();
    }

    public Optional<Campaign> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM campaign WHERE id = :id")
                .param("id", id)
                .query(Campaigns::campaign)
                .optional();
    }

    public Campaign get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("No campaign " + id));
    }

    public List<Campaign> list() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM campaign ORDER BY id DESC")
                .query(Campaigns::campaign)
                .list();
    }

    Campaign create(Values v) {
        checkParent(null, v.parentId());
        long id = jdbc.sql("""
                        INSERT INTO campaign (name, channel, cost, start_date, end_date, parent_id, created_at)
                        VALUES (:name, :channel, :cost, :start, :end, :parent, :now) RETURNING id""")
                .param("parent", v.parentId())
                .param("name", v.name())
                .param("channel", v.channel().name())
                .param("cost", v.cost())
                .param("start", v.startDate() == null ? null : Date.valueOf(v.startDate()))
                .param("end", v.endDate() == null ? null : Date.valueOf(v.endDate()))
                .param("now", Timestamp.from(clock.instant()))
                .query(Long.class)
                .single();
        audit.record(AuditEntry.created("campaign", id, get(id)));
        return get(id);
    }

    Campaign update(long id, Values v) {
        Campaign before = find(id).orElse(null);
        checkParent(id, v.parentId());
        jdbc.sql("""
                        UPDATE campaign SET name = :name, channel = :channel, cost = :cost, start_date = :start,
                               end_date = :end, parent_id = :parent
                         WHERE id = :id""")
                .param("parent", v.parentId())
                .param("name", v.name())
                .param("channel", v.channel().name())
                .param("cost", v.cost())
                .param("start", v.startDate() == null ? null : Date.valueOf(v.startDate()))
                .param("end", v.endDate() == null ? null : Date.valueOf(v.endDate()))
                .param("id", id)
                .update();
        audit.record(AuditEntry.updated("campaign", id, before, get(id)));
        return get(id);
    }

    /**
     * A campaign as a CRM has it (the Salesforce connector's): created when {@code id} is null, else updated, audited
     * as any other change; the caller validated the values. Returns its id.
     */
    public long save(Long id, Values v) {
        return id == null ? create(v).id() : update(id, v).id();
    }

    /** The parent must exist and must not be the campaign itself or one of its descendants. */
    private void checkParent(Long id, Long parentId) {
        if (parentId == null) {
            return;
        }
        if (!exists(parentId)) {
            throw InvalidInputException.of("parentId", "is not a known campaign");
        }
        if (id != null
                && jdbc.sql("""
                        WITH RECURSIVE up(id, parent_id) AS (
                            SELECT id, parent_id FROM campaign WHERE id = :parent
                            UNION SELECT c.id, c.parent_id FROM campaign c JOIN up ON c.id = up.parent_id)
                        SELECT EXISTS (SELECT 1 FROM up WHERE id = :id)""")
                        .param("parent", parentId)
                        .param("id", id)
                        .query(Boolean.class)
                        .single()) {
            throw InvalidInputException.of("parentId", "must not be the campaign itself or one of its sub-campaigns");
        }
    }

    /** Deletes a campaign nothing refers to; one with prospects, activities, forms, links or sub-campaigns stays. */
    void delete(long id) {
        Campaign before = get(id);
        try {
            jdbc.sql("DELETE FROM campaign WHERE id = :id").param("id", id).update();
        } catch (org.springframework.dao.DataIntegrityViolationException e) {
            throw new dev.kindling.platform.web.ConflictException(
                    "Campaign " + id + " is in use (prospects, activities, forms, links, opportunities or"
                            + " sub-campaigns refer to it)");
        }
        audit.record(AuditEntry.deleted("campaign", id, before));
    }

    private static Campaign campaign(ResultSet rs, int row) throws SQLException {
        Date start = rs.getDate("start_date");
        Date end = rs.getDate("end_date");
        return new Campaign(
                rs.getLong("id"),
                rs.getString("name"),
                Campaign.Channel.valueOf(rs.getString("channel")),
                rs.getBigDecimal("cost"),
                start == null ? null : start.toLocalDate(),
                end == null ? null : end.toLocalDate(),
                (Long) rs.getObject("parent_id"),
                rs.getTimestamp("created_at").toInstant());
    }
}
