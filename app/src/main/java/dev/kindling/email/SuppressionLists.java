package dev.kindling.email;

import dev.kindling.audit.AuditEntry;
import dev.kindling.audit.AuditLog;
import dev.kindling.lists.ListReferences;
import dev.kindling.lists.ListView;
import dev.kindling.lists.Lists;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The global suppression lists: members of any of them get no marketing email (competitors, partners, a
 * do-not-contact import). A send may name further lists of its own. A list in use here cannot be deleted.
 */
@Component
class SuppressionLists implements ListReferences {

    private final AuditLog audit;

    private final JdbcClient jdbc;
    private final Lists lists;
    private final Clock clock;

    SuppressionLists(JdbcClient jdbc, Lists lists, Clock clock, AuditLog audit) {
        this.audit = audit;
        this.jdbc = jdbc;
        this.lists = lists;
        this.clock = clock;
    }

    List<ListView> all() {
        List<Long> ids = jdbc.sql("SELECT list_id FROM email_suppression_list ORDER BY list_id")
                .query(Long.class)
                .list();
        return ids.stream().map(lists::find).flatMap(java.util.Optional::stream).toList();
    }

    /** Replaces the global suppression lists with {@code listIds} (each must exist). */
    @Transactional
    List<ListView> replace(Collection<Long> listIds) {
        check(listIds, "listIds");
        audit.record(AuditEntry.updated(
                "email_suppression_lists",
                null,
                all().stream().map(ListView::id).toList(),
                listIds));
        jdbc.sql("DELETE FROM email_suppression_list").update();
        jdbc.sql("""
                        INSERT INTO email_suppression_list (list_id, added_at)
                        SELECT DISTINCT unnest(CAST(:ids AS bigint[])), CAST(:now AS timestamptz)""")
                .param("ids", listIds.toArray(Long[]::new))
                .param("now", Timestamp.from(clock.instant()))
                .update();
        return all();
    }

    void check(Collection<Long> listIds, String field) {
        List<FieldError> errors = new ArrayList<>();
        int i = 0;
        for (Long id : listIds) {
            if (id == null || lists.find(id).isEmpty()) {
                errors.add(new FieldError(field + "[" + i + "]", "names no list"));
            }
            i++;
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    @Override
    public List<String> referencing(long listId) {
        List<String> refs = new ArrayList<>();
        if (jdbc.sql("SELECT count(*) FROM email_suppression_list WHERE list_id = :id")
                        .param("id", listId)
                        .query(Long.class)
                        .single()
                > 0) {
            refs.add("the email suppression lists");
        }
        return refs;
    }
}
