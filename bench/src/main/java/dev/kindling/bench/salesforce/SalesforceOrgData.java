package dev.kindling.bench.salesforce;

import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.GeneratedAccount;
import dev.kindling.dataset.GeneratedProspect;
import dev.kindling.support.salesforce.FakeOrg;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * W11's Salesforce org, from the dataset deterministically: an Account per dataset account; each prospect as a Contact
 * of its account (even positions) or a Lead naming its company (odd positions); for one contact in five an Opportunity
 * of its account (a third won, a third lost, a third open), the contact as primary contact role and, for the lost ones,
 * the next contact as a second role. Records are created as a user would ({@link FakeOrg#create}), with the org's
 * clock, which the workload sets in the past (a second a record) so that the data is not "just changed" when the
 * connector first reads it.
 */
record SalesforceOrgData(List<Person> people, int accounts, int opportunities, int contactRoles) {

    /** A Lead or Contact of the org and its dataset position. */
    record Person(String object, String id, int index) {}

    int records() {
        return people.size() + accounts + opportunities + contactRoles;
    }

    static SalesforceOrgData fill(FakeOrg org, Dataset dataset) {
        List<String> accountIds = new ArrayList<>();
        dataset.accounts().forEach((GeneratedAccount a) -> accountIds.add(org.create("Account", account(a))));
        List<Person> people = new ArrayList<>();
        int[] index = {0};
        dataset.prospects().forEach((GeneratedProspect p) -> {
            int i = index[0]++;
            String accountId = accountIds.get(p.accountIndex());
            String object = i % 2 == 0 ? "Contact" : "Lead";
            people.add(new Person(object, org.create(object, person(object, p, accountId)), i));
        });
        LocalDate end = LocalDate.ofInstant(dataset.periodEnd(), ZoneOffset.UTC);
        int opportunities = 0;
        int roles = 0;
        for (int i = 0; i < people.size(); i += 10) {
            Person contact = people.get(i);
            int kind = (i / 10) % 3;
            Map<String, Object> deal = new LinkedHashMap<>();
            deal.put("Name", "W11 deal " + i);
            deal.put("AccountId", org.record("Contact", contact.id()).get("AccountId"));
            deal.put("Amount", 2_000 + (i * 7_919L % 59) * 1_000);
            deal.put("StageName", kind == 0 ? "Closed Won" : kind == 1 ? "Closed Lost" : "Prospecting");
            deal.put("CloseDate", end.minusDays(i % 90).toString());
            deal.put("IsClosed", kind != 2);
            deal.put("IsWon", kind == 0);
            String opportunityId = org.create("Opportunity", deal);
            opportunities++;
            org.create("OpportunityContactRole", role(opportunityId, contact.id(), "Decision Maker", true));
            roles++;
            if (kind == 1 && i + 2 < people.size()) {
                org.create(
                        "OpportunityContactRole",
                        role(opportunityId, people.get(i + 2).id(), "Influencer", false));
                roles++;
            }
        }
        return new SalesforceOrgData(List.copyOf(people), accountIds.size(), opportunities, roles);
    }

    private static Map<String, Object> account(GeneratedAccount a) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("Name", a.name());
        r.put("Website", "https://www." + a.domain());
        r.put("Industry", a.industry());
        r.put("NumberOfEmployees", a.employees());
        r.put("BillingCountry", a.country());
        return r;
    }

    private static Map<String, Object> person(String object, GeneratedProspect p, String accountId) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("FirstName", p.firstName());
        r.put("LastName", p.lastName());
        r.put("Email", p.email());
        r.put("Title", p.jobTitle());
        r.put("Phone", p.phone());
        r.put("LeadSource", p.source());
        if (object.equals("Contact")) {
            r.put("AccountId", accountId);
            r.put("Department", p.department());
        } else {
            r.put("Company", p.company());
            r.put("Industry", p.industry());
            r.put("NumberOfEmployees", p.employees());
            r.put("Website", p.website());
        }
        r.values().removeIf(v -> v == null);
        return r;
    }

    private static Map<String, Object> role(String opportunityId, String contactId, String role, boolean primary) {
        return Map.of("OpportunityId", opportunityId, "ContactId", contactId, "Role", role, "IsPrimary", primary);
    }
}
