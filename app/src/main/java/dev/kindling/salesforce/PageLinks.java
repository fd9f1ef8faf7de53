package dev.kindling.salesforce;

import static dev.kindling.salesforce.SalesforceValues.flag;
import static dev.kindling.salesforce.SalesforceValues.text;

import dev.kindling.engine.crm.CrmErrors;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What the writers of a polled page ({@link ObjectSync#write}) look up before they write: the Kindling ids linked to
 * the Salesforce ids the page names (one query per link table), the prospects of the people it names (Leads and
 * Contacts, through {@link SalesforceProspects}), and the error queue entry of a record whose reference Kindling does
 * not have ({@code UNMATCHED}, read again on retry).
 */
@Component
class PageLinks {

    private final JdbcClient jdbc;
    private final SalesforceProspects people;
    private final ErrorQueue errors;

    PageLinks(JdbcClient jdbc, SalesforceProspects people, ErrorQueue errors) {
        this.jdbc = jdbc;
        this.people = people;
        this.errors = errors;
    }

    /** The values of {@code field} in these records, blanks left out. */
    static List<String> named(List<Map<String, Object>> records, String field) {
        return records.stream()
                .map(r -> text(r.get(field)))
                .filter(Objects::nonNull)
                .toList();
    }

    /** The records not deleted. */
    static List<Map<String, Object>> live(List<Map<String, Object>> records) {
        return records.stream().filter(r -> !flag(r.get("IsDeleted"))).toList();
    }

    /** The Kindling id ({@code column} of the link {@code table}) of each of these Salesforce ids that is linked. */
    Map<String, Long> links(String table, String column, Collection<String> ids) {
        Map<String, Long> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        jdbc.sql("SELECT sf_id, " + column + " FROM " + table + " WHERE sf_id = ANY(:ids)")
                .param("ids", ids.stream().distinct().toArray(String[]::new))
                .query(rs -> {
                    out.put(rs.getString(1), rs.getLong(2));
                });
        return out;
    }

    /**
     * The prospects of the people the live records name in these fields ({@code ContactId}, {@code LeadId}: the
     * object is the field's name without {@code Id}), by Salesforce id.
     */
    Map<String, Long> prospects(SalesforceClient client, List<Map<String, Object>> records, String... personFields) {
        Map<String, Long> out = new HashMap<>();
        for (String field : personFields) {
            List<String> ids = named(live(records), field);
            if (!ids.isEmpty()) {
                out.putAll(people.prospectsOf(client, field.substring(0, field.length() - 2), ids));
            }
        }
        return out;
    }

    /** Parks a record whose reference ({@code field}) is not in Kindling: {@code UNMATCHED}, read again on retry. */
    void unmatched(String object, Map<String, Object> record, String code, String message, String field) {
        errors.park(
                object,
                (String) record.get("Id"),
                CrmErrors.Parked.UNMATCHED.name(),
                code,
                message,
                List.of(field),
                record);
    }
}
