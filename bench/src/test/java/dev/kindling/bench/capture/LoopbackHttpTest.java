package dev.kindling.bench.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** W10's lean HTTP client against a stand-in server that answers with canned bytes and records what it got. */
class LoopbackHttpTest {

    private static final String CLOSE = "<close>";

    private final StandIn server = new StandIn();

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void answersOfEveryFramingAreReadToTheirEndOnOneKeptConnection() throws Exception {
        server.answer("HTTP/1.1 204 \r\nDate: today\r\n\r\n");
        server.answer("HTTP/1.1 303 See Other\r\nLocation: https://www.example.com/thanks\r\nContent-Length: 9\r\n\r\n"
                + "see other");
        server.answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nWiki\r\n5\r\npedia\r\n0\r\n"
                + "Trailer: t\r\n\r\n");
        server.answer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\nok");
        try (LoopbackHttp http = client("127.0.0.7")) {
            assertThat(http.send(http.request("POST", "/t/collect", "Content-Type: text/plain\r\n", "{\"a\":1}")))
                    .isEqualTo(204);
            assertThat(http.send(http.request("POST", "/f/key", "", "email=a%40b.example")))
                    .isEqualTo(303);
            assertThat(http.send(http.request("POST", "/c", "", "é"))).isEqualTo(200);
            assertThat(http.send(http.request("POST", "/d", "", ""))).isEqualTo(201);
            assertThat(http.connections()).isEqualTo(1);
        }
        assertThat(server.accepted.get()).isEqualTo(1);
        assertThat(server.requests).extracting(Received::from).containsOnly(InetAddress.getByName("127.0.0.7"));
        assertThat(server.requests)
                .extracting(Received::line)
                .containsExactly(
                        "POST /t/collect HTTP/1.1", "POST /f/key HTTP/1.1", "POST /c HTTP/1.1", "POST /d HTTP/1.1");
        assertThat(server.requests)
                .extracting(Received::body)
                .containsExactly("{\"a\":1}", "email=a%40b.example", "é", "");
        assertThat(server.requests.getFirst().head())
                .contains("Host: 127.0.0.1:" + server.port() + "\r\n", "Content-Type: text/plain\r\n");
    }

    @Test
    void aConnectionTheServerClosesIsReplacedByANewOne() throws Exception {
        server.answer("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", CLOSE);
        server.answer("HTTP/1.1 200 OK\r\n\r\ndelimited by the close", CLOSE);
        server.answer("HTTP/1.0 204 No Content\r\n\r\n", CLOSE);
        server.answer("HTTP/1.1 204 \r\n\r\n");
        server.answer("HTTP/1.1 204 \r\n\r\n");
        try (LoopbackHttp http = client("127.0.0.8")) {
            for (int i = 0; i < 3; i++) {
                assertThat(http.send(http.request("POST", "/x", "", "b"))).isIn(200, 204);
            }
            assertThat(http.send(http.request("POST", "/x", "", "b"))).isEqualTo(204);
            assertThat(http.send(http.request("POST", "/x", "", "b"))).isEqualTo(204);
            assertThat(http.connections()).isEqualTo(4);
        }
        assertThat(server.accepted.get()).isEqualTo(4);
        assertThat(server.requests).hasSize(5);
    }

    @Test
    void noAnswerIsAnErrorAndTheNextRequestGoesOnANewConnection() throws Exception {
        server.answer(CLOSE);
        server.answer("HTTP/1.1 204 \r\n\r\n");
        try (LoopbackHttp http = client("127.0.0.9")) {
            assertThatThrownBy(() -> http.send(http.request("POST", "/x", "", "b")))
                    .isInstanceOf(EOFException.class);
            assertThat(http.send(http.request("POST", "/x", "", "b"))).isEqualTo(204);
            assertThat(http.connections()).isEqualTo(2);
        }
        assertThat(server.requests).hasSize(2);
    }

    @Test
    void anAnswerThatIsNotHttpIsAnError() throws Exception {
        server.answer("SSH-2.0-OpenSSH\r\n\r\n");
        try (LoopbackHttp http = client("127.0.0.10")) {
            assertThatThrownBy(() -> http.send(http.request("POST", "/x", "", "b")))
                    .isInstanceOf(LoopbackHttp.Malformed.class);
        }
    }

    private LoopbackHttp client(String local) throws IOException {
        return new LoopbackHttp(
                InetAddress.getByName(local),
                new InetSocketAddress("127.0.0.1", server.port()),
                Duration.ofSeconds(10));
    }

    record Received(InetAddress from, String line, String head, String body) {}

    /**
     * Answers each request with the next canned answer ({@link #CLOSE} in it: close the connection there); reads
     * requests by their {@code Content-Length}.
     */
    private static final class StandIn implements AutoCloseable {
        final ServerSocket socket;
        final ConcurrentLinkedQueue<List<String>> answers = new ConcurrentLinkedQueue<>();
        final List<Received> requests = new CopyOnWriteArrayList<>();
        final AtomicInteger accepted = new AtomicInteger();
        final Thread thread;

        StandIn() {
            try {
                socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            thread = Thread.ofPlatform().daemon().start(this::serve);
        }

        void answer(String... parts) {
            answers.add(List.of(parts));
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    accepted.incrementAndGet();
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    connection:
                    while (true) {
                        String head = readHead(in);
                        if (head == null) {
                            break;
                        }
                        int length = 0;
                        for (String line : head.split("\r\n")) {
                            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                                length = Integer.parseInt(line.substring(15).trim());
                            }
                        }
                        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                        requests.add(
                                new Received(s.getInetAddress(), head.substring(0, head.indexOf("\r\n")), head, body));
                        List<String> answer = answers.poll();
                        if (answer == null) {
                            break;
                        }
                        for (String part : answer) {
                            if (part.equals(CLOSE)) {
                                break connection;
                            }
                            out.write(part.getBytes(StandardCharsets.UTF_8));
                            out.flush();
                        }
                    }
                } catch (IOException e) {
                    // closed: the test ended
                }
            }
        }

        private static String readHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            for (int b; (b = in.read()) >= 0; ) {
                head.append((char) b);
                if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
                    return head.toString();
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
