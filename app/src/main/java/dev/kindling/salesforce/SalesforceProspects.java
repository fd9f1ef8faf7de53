package dev.kindling.salesforce;

import java.util.Collection;
import java.util.Map;

/**
 * Which Kindling prospect a Salesforce Lead or Contact is: contact roles and campaign members name their person by
 * Lead or Contact id: {@link LinkedProspects} answers from the prospect ↔ Lead/Contact mapping.
 */
interface SalesforceProspects {

    /**
     * The prospects of these records of {@code object} ({@code Lead} or {@code Contact}); ids that are no Kindling
     * prospect are left out.
     */
    Map<String, Long> prospectsOf(SalesforceClient client, String object, Collection<String> ids);
}
