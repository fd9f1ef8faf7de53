package dev.kindling.salesforce;

import dev.kindling.salesforce.SalesforceClient.ClientCredentials;
import dev.kindling.support.salesforce.FakeOrg;
import dev.kindling.support.salesforce.FakeSalesforce;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Random;

/** A client of a fake org, signed in by client credentials, that does not wait between retries. */
final class FakeOrgClients {

    private FakeOrgClients() {}

    static SalesforceClient of(FakeOrg org) {
        return new SalesforceClient(
                FakeSalesforce.shared().loginUrl(),
                "66.0",
                new ClientCredentials(org.clientId(), org.clientSecret()),
                HttpClient.newHttpClient(),
                Clock.systemUTC(),
                d -> {},
                new Random(1));
    }
}
