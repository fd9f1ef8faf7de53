package dev.kindling.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Collections;
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

        /** The {@code v1} signatures of the {@code webhook-signature} header. */
        public List<String> signatures() {
            String header = headers.get("webhook-signature");
            return header == null ? List.of() : List.of(header.split(" "));
        }

        /** Whether one of the call's signatures is the Standard Webhooks signature under {@code secret}. */
        public boolean isSignedWith(String secret) {
            return signatures()
                    .contains(sign(secret, headers.get("webhook-id"), headers.get("webhook-timestamp"), body));
        }
    }

    private WebhookReceiver(int failures) throws IOException {
        AtomicInteger answered = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.getFirst()));
            calls.add(new Call(
                    Collections.unmodifiableMap(headers),
                    exchange.getRequestBody().readAllBytes()));
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
     * The Standard Webhooks signature ({@code v1,<base64>}) of a call, computed here from the specification
     * (standardwebhooks.com), independently of the app's signer: HMAC-SHA256 under the base64 key after {@code whsec_}
     * over {@code id.timestamp.body}.
     */
    public static String sign(String secret, String id, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
