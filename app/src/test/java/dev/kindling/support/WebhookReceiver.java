package dev.kindling.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP endpoint on a free local port that records every webhook call the app makes to {@link #url()}; it
 * answers 500 to the first {@code failures} calls, then 204. Close it at the end of the test.
 */
public final class WebhookReceiver implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    /** One call as received: its headers (looked up case-insensitively) and body. */
    public record Call(Map<String, String> headers, byte[] body) {

        public JsonNode json() {
            return JSON.readTree(body);
        }
    }

    private WebhookReceiver(int failures) throws IOException {
        AtomicInteger answered = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.getFirst()));
            calls.add(new Call(Collections.unmodifiableMap(headers), exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(answered.incrementAndGet() <= failures ? 500 : 204, -1);
            exchange.close();
        });
        server.start();
    }

    /** A receiver answering 204 to every call. */
    public static WebhookReceiver start() {
        return failingFirst(0);
    }

    /** A receiver answering 500 to its first {@code failures} calls, then 204. */
    public static WebhookReceiver failingFirst(int failures) {
        try {
            return new WebhookReceiver(failures);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL to subscribe: {@code http://127.0.0.1:<port>/hook}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Every call so far, in the order received (a live, thread-safe view). */
    public List<Call> calls() {
        return calls;
    }

    /**
     * The {@code X-Kindling-Signature} value for {@code body} under {@code secret}: {@code sha256=} and the hex
     * HMAC-SHA256, computed here independently of the app's signer.
     */
    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
