package dev.kindling.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kindling.bench.harness.ApiClient;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The realistic configuration installed through the API, against a stand-in that records the requests. */
class ConfigurationTest {

    private record Call(String method, String path, String body) {}

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(100);
    private HttpServer server;
    private ApiClient api;

    @BeforeEach
    void standIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/api/v1/", exchange -> {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            calls.add(new Call(
                    method, path, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            boolean created = method.equals("POST") && path.matches("/api/v1/(lists|automation-rules|programs)");
            answer(exchange, created ? 201 : 200, created ? "{\"id\": " + ids.incrementAndGet() + "}" : "{}");
        });
        server.start();
        api = new ApiClient(
                URI.create("http://localhost:" + server.getAddress().getPort()), "key", Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void listsThenResumedRulesThenStartedProgramsFedByTheInstalledLists() throws Exception {
        W1Ingest.Configuration configuration = new W1Ingest.Configuration(7, 3, 4);

        configuration.install(api, "T", new PrintStream(OutputStream.nullOutputStream()));

        // lists get ids 101-103, rules 104, 106, … (each followed by its resume), programs after them
        assertThat(calls).hasSize(3 + 7 * 2 + 4 * 2);
        assertThat(calls.subList(0, 3)).allSatisfy(call -> {
            assertThat(call.path()).isEqualTo("/api/v1/lists");
            assertThat(call.body()).contains("\"kind\": \"DYNAMIC\"");
        });
        for (int i = 0; i < 7; i++) {
            Call create = calls.get(3 + 2 * i);
            Call resume = calls.get(4 + 2 * i);
            assertThat(create.path()).isEqualTo("/api/v1/automation-rules");
            assertThat(resume.path()).isEqualTo("/api/v1/automation-rules/" + (104 + i) + "/resume");
        }
        Map<Integer, Long> feeding = Map.of(0, 101L, 1, 102L, 2, 103L, 3, 101L);
        for (int i = 0; i < 4; i++) {
            Call create = calls.get(17 + 2 * i);
            Call start = calls.get(18 + 2 * i);
            assertThat(create.path()).isEqualTo("/api/v1/programs");
            assertThat(create.body()).contains("\"recipientListIds\": [" + feeding.get(i) + "]");
            assertThat(start.path()).isEqualTo("/api/v1/programs/" + (111 + i) + "/start");
        }
        assertThat(configuration.describe()).isEqualTo(" with 7 rules, 3 lists and 4 programs");
    }

    @Test
    void noConfigurationCallsNothing() throws Exception {
        W1Ingest.Configuration none = W1Ingest.Configuration.of(Map.of());

        assertThat(none.install(api, "T", new PrintStream(OutputStream.nullOutputStream())))
                .isEqualTo(Duration.ZERO);
        assertThat(calls).isEmpty();
        assertThat(none.describe()).isEmpty();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
