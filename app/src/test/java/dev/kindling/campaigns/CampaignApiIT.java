package dev.kindling.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@IntegrationTest
class CampaignApiIT {

    @LocalServerPort
    int port;

    TestApi api;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
    }

    @Test
    void createsReadsListsAndChangesACampaign() {
        var created = api.post("/api/v1/campaigns", """
                {"name":"Spring webinar","channel":"WEBINAR","cost":1250.50,"startDate":"2025-03-01","endDate":"2025-03-31"}""");
        assertThat(created.status()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.json().get("cost").decimalValue()).isEqualByComparingTo("1250.50");
        assertThat(api.get("/api/v1/campaigns/" + id).json().get("channel").asString())
                .isEqualTo("WEBINAR");
        assertThat(api.get("/api/v1/campaigns").json().findValuesAsString("name"))
                .contains("Spring webinar");
        var patched = api.patch("/api/v1/campaigns/" + id, "{\"endDate\":\"2025-04-15\"}");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().get("endDate").asString()).isEqualTo("2025-04-15");
        assertThat(patched.json().get("name").asString()).isEqualTo("Spring webinar");
    }

    @Test
    void refusesEveryInvalidField() {
        var response = api.post("/api/v1/campaigns", """
                {"name":"","channel":"RADIO","cost":-1,"startDate":"2025-03-01","endDate":"2025-02-01","owner":"me"}""");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("name", "channel", "cost", "endDate", "owner");
        assertThat(api.post("/api/v1/campaigns", "{\"name\":\"x\",\"channel\":\"ADS\",\"startDate\":\"March\"}")
                        .status())
                .isEqualTo(400);
        assertThat(api.get("/api/v1/campaigns/999999999").status()).isEqualTo(404);
    }
}
