package dev.kindling.salesforce;

import dev.kindling.engine.identity.EmailAddress;
import dev.kindling.prospects.Prospects;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Resolves Leads and Contacts to prospects by the prospect ↔ Lead/Contact mapping ({@code salesforce_record}, kept by
 * {@link ProspectSync}, which polls leads and contacts before the other objects in each cycle); a record the mapping
 * does not know yet is resolved by its email (one query per 200 ids, then {@link Prospects}, the owner of prospects): a
 * Lead or Contact without an email, or whose email no prospect has, is none.
 */
@Component
class LinkedProspects implements SalesforceProspects {

    private final Prospects prospects;
    private final SalesforceRecords records;

    LinkedProspects(Prospects prospects, SalesforceRecords records) {
        this.prospects = prospects;
        this.records = records;
    }

    @Override
    public Map<String, Long> prospectsOf(SalesforceClient client, String object, Collection<String> ids) {
        Map<String, Long> out = new HashMap<>(records.prospectsOf(ids));
        Map<String, String> emails = new HashMap<>();
        List<String> all =
                ids.stream().distinct().filter(id -> !out.containsKey(id)).toList();
        for (int from = 0; from < all.size(); from += IncrementalPoll.IDS_PER_QUERY) {
            String in = IncrementalPoll.idList(
                    all.subList(from, Math.min(all.size(), from + IncrementalPoll.IDS_PER_QUERY)));
            if (in.isEmpty()) {
                continue;
            }
            client.queryEachPage(
                    "SELECT Id, Email FROM " + object + " WHERE Id IN (" + in + ")",
                    true,
                    page -> page.records().forEach(r -> {
                        String email = SalesforceValues.text(r.get("Email"));
                        if (email != null) {
                            emails.put((String) r.get("Id"), EmailAddress.normalize(email));
                        }
                    }));
        }
        Map<String, Long> byEmail = prospects.idsByEmail(emails.values());
        emails.forEach((id, email) -> {
            if (byEmail.containsKey(email)) {
                out.put(id, byEmail.get(email));
            }
        });
        return out;
    }
}
