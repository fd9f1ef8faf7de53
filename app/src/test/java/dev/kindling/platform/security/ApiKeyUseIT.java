package dev.kindling.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.MovingClockTest;
import dev.kindling.support.MutableClock;
import dev.kindling.support.TestApi;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A key's last use as the keys' list shows it: noted by the request's own look-up, at most once a minute per key, and
 * never for a revoked key; moved by the clock ({@link MovingClockTest}).
 */
@MovingClockTest(start = "2036-02-03T10:00:00Z")
class ApiKeyUseIT {

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Test
    void aKeysLastUseIsNotedAtMostOnceAMinuteAndNotWhenRevoked() {
        TestApi admin = new TestApi(port);
        TestApi.User user = admin.user("MARKETING", null);
        var issued = admin.post("/api/v1/api-keys", "{\"userId\":%d,\"name\":\"use\"}".formatted(user.id()));
        assertThat(issued.status()).isEqualTo(201);
        long id = issued.json().get("id").asLong();
        TestApi holder = admin.as(issued.json().get("key").asString());
        assertThat(lastUsedAt(admin, id)).as("never used").isNull();

        Instant first = clock.instant();
        assertThat(holder.get("/api/v1/prospects?limit=1").status()).isEqualTo(200);
        assertThat(lastUsedAt(admin, id)).isEqualTo(first);

        clock.advance(Duration.ofSeconds(59));
        assertThat(holder.get("/api/v1/prospects?limit=1").status()).isEqualTo(200);
        assertThat(lastUsedAt(admin, id))
                .as("within the minute: not written again")
                .isEqualTo(first);

        clock.advance(Duration.ofSeconds(1));
        Instant minuteLater = clock.instant();
        assertThat(holder.get("/api/v1/prospects?limit=1").status()).isEqualTo(200);
        assertThat(lastUsedAt(admin, id))
                .as("a minute after the last noted use")
                .isEqualTo(minuteLater);

        assertThat(admin.send(admin.request("/api/v1/api-keys/" + id).DELETE().build())
                        .status())
                .isEqualTo(204);
        clock.advance(Duration.ofMinutes(5));
        assertThat(holder.get("/api/v1/prospects?limit=1").status()).isEqualTo(401);
        assertThat(lastUsedAt(admin, id))
                .as("a revoked key's use is refused, not noted")
                .isEqualTo(minuteLater);
    }

    private static Instant lastUsedAt(TestApi admin, long id) {
        JsonNode key = null;
        for (JsonNode k : admin.get("/api/v1/api-keys").json()) {
            if (k.get("id").asLong() == id) {
                key = k;
            }
        }
        assertThat(key).as("the key is listed").isNotNull();
        JsonNode at = key.get("lastUsedAt");
        return at == null || at.isNull() ? null : Instant.parse(at.asString());
    }
}
