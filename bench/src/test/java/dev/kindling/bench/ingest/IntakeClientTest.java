package dev.kindling.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IntakeClientTest {

    private HttpServer server;
    private IntakeClient client;
    private final AtomicInteger posts = new AtomicInteger();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startFakeApp() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/api/v1/activities", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.getRequestBody().readAllBytes();
            if (posts.incrementAndGet() == 1) {
                exchange.getResponseHeaders().add("Retry-After", "0");
                answer(exchange, 429, "{}");
            } else {
                answer(exchange, 202, "{\"accepted\": 998, \"duplicates\": 2}");
            }
        });
        server.createContext(
                "/api/v1/system/intake", exchange -> answer(exchange, 200, "{\"pending\":1234,\"lagMillis\":56}"));
        server.start();
        client = new IntakeClient(
                URI.create("http://localhost:" + server.getAddress().getPort()), "secret");
    }

    @AfterEach
    void stopFakeApp() {
        server.stop(0);
    }

    @Test
    void retriesABatchTheAppPushedBackAndReadsTheCounts() throws Exception {
        IntakeClient.Accepted accepted = client.send("{\"activities\":[]}".getBytes(StandardCharsets.UTF_8));

        assertThat(accepted).isEqualTo(new IntakeClient.Accepted(998, 2));
        assertThat(posts).hasValue(2);
        assertThat(authorizations).containsOnly("Bearer secret");
    }

    @Test
    void readsPendingAndLagFromTheIntakeStatus() throws Exception {
        assertThat(client.status()).isEqualTo(new IntakeClient.IntakeStatus(1234, 56));
    }

    @Test
    void refusesAnAnswerWithoutTheExpectedField() {
        assertThatThrownBy(() -> IntakeClient.number("{\"pending\":null}", "pending"))
                .isInstanceOf(IllegalStateException.class);
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
