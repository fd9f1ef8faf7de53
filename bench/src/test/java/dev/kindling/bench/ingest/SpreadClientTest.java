package dev.kindling.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** W1's spreading over several instances, against stand-in apps that count the batches they answer. */
class SpreadClientTest {

    private static final byte[] BODY = "{\"activities\":[]}".getBytes(StandardCharsets.UTF_8);

    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stopStandIns() {
        servers.forEach(server -> server.stop(0));
    }

    @Test
    void sendsEachBatchToTheNextInstanceInTurn() throws Exception {
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        AtomicInteger c = new AtomicInteger();
        SpreadClient spread = new SpreadClient(List.of(standIn(a), standIn(b), standIn(c)), false);

        for (int i = 0; i < 7; i++) {
            assertThat(spread.send(BODY)).isEqualTo(new IntakeClient.Accepted(10, 0));
        }

        assertThat(List.of(a.get(), b.get(), c.get())).containsExactly(3, 2, 2);
        assertThat(spread.answered()).containsExactly(3, 2, 2);
        assertThat(spread.failedOver()).isZero();
    }

    @Test
    void withFailoverABatchTheDeadInstanceRefusesGoesToTheNextAndTheDeadOneIsNotAskedAgain() throws Exception {
        AtomicInteger live = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        SpreadClient spread = new SpreadClient(List.of(standIn(live), dead(), standIn(other)), true);

        for (int i = 0; i < 6; i++) {
            assertThat(spread.send(BODY).accepted()).isEqualTo(10);
        }

        assertThat(live.get() + other.get()).isEqualTo(6);
        assertThat(spread.answered()).containsExactly(live.get(), 0, other.get());
        assertThat(spread.failedOver()).isEqualTo(1);
    }

    @Test
    void withoutFailoverARefusedBatchFailsTheRun() throws Exception {
        SpreadClient spread = new SpreadClient(List.of(dead(), standIn(new AtomicInteger())), false);

        assertThatThrownBy(() -> spread.send(BODY)).isInstanceOf(IOException.class);
    }

    @Test
    void statusIsAskedOfTheFirstInstanceNotDownAndNothingIsSentWhenAllAre() throws Exception {
        IntakeClient first = standIn(new AtomicInteger());
        IntakeClient second = standIn(new AtomicInteger());
        SpreadClient spread = new SpreadClient(List.of(first, second), true);
        assertThat(spread.statusClient()).isSameAs(first);

        spread.markDown(0);
        assertThat(spread.statusClient()).isSameAs(second);

        spread.markDown(1);
        assertThatThrownBy(() -> spread.send(BODY))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("every instance is down");
    }

    private IntakeClient standIn(AtomicInteger batches) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/api/v1/activities", exchange -> {
            exchange.getRequestBody().readAllBytes();
            batches.incrementAndGet();
            byte[] answer = "{\"accepted\":10,\"duplicates\":0}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(202, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return new IntakeClient(
                URI.create("http://localhost:" + server.getAddress().getPort()), "key");
    }

    /** An instance that is gone: a port nothing listens on. */
    private static IntakeClient dead() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return new IntakeClient(URI.create("http://localhost:" + port), "key");
    }
}
