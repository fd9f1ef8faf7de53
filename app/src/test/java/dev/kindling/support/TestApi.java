package dev.kindling.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for the running app: JSON in, status and JSON out. */
public final class TestApi {

    public static final String ADMIN_KEY = "kdl_test_admin_key_0123456789abcdef";
    /** The public URL the test contexts run with ({@code kindling.public-url}): links in mail are built on it. */
    public static final String PUBLIC_URL = "https://kindling.test";

    public static final String ADMIN_PASSWORD = "admin-password-for-tests";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * The one client of all the instances made without a client address, and one per client address: an
     * {@link HttpClient} holds a selector thread, a worker pool and its connections, and the run made some 1,600
     * instances (docs/testing.md). The client is thread-safe; an instance adds only the base and the key.
     */
    private static final HttpClient SHARED = client(HttpClient.newBuilder());

    private static final Map<String, HttpClient> BY_ADDRESS = new ConcurrentHashMap<>();

    private final HttpClient http;
    private final String base;
    private final String key;

    public TestApi(int port) {
        this(port, ADMIN_KEY);
    }

    public TestApi(int port, String key) {
        this(port, key, SHARED);
    }

    private TestApi(int port, String key, HttpClient http) {
        this.base = "http://localhost:" + port;
        this.key = key;
        this.http = http;
    }

    private static HttpClient client(HttpClient.Builder builder) {
        return builder.connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * A client whose connections come from {@code clientAddress} (any 127.x.y.z), so the app sees a client address of
     * its own (per-address limits).
     */
    public static TestApi from(String clientAddress, int port, String key) {
        HttpClient http = BY_ADDRESS.computeIfAbsent(clientAddress, address -> {
            try {
                return client(HttpClient.newBuilder().localAddress(InetAddress.getByName(address)));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        });
        return new TestApi(port, key, http);
    }

    public TestApi as(String otherKey) {
        return new TestApi(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), otherKey);
    }

    public String base() {
        return base;
    }

    public Response get(String path) {
        return send(request(path).GET().build());
    }

    public Response post(String path, String json) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    public Response put(String path, String json) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    public Response patch(String path, String json) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.body(),
                    response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder;
    }

    /** A user made through this (admin) client. */
    public record User(long id, String email) {}

    /** Makes a user with this role, an email unique to the call and, unless null, this password. */
    public User user(String role, String password) {
        String email = role.toLowerCase(java.util.Locale.ROOT) + "-" + java.util.UUID.randomUUID() + "@users.example";
        Response created = post("/api/v1/users", """
                {"email":"%s","name":"A %s","role":"%s"%s}""".formatted(
                        email, role, role, password == null ? "" : ",\"password\":\"" + password + "\""));
        if (created.status() != 201) {
            throw new IllegalStateException("user not created: " + created.body());
        }
        return new User(created.json().get("id").asLong(), email);
    }

    /** A client with a new API key of this user (with the user's role). */
    public TestApi keyOf(long userId) {
        Response key = post("/api/v1/api-keys", "{\"userId\":%d,\"name\":\"test\"}".formatted(userId));
        if (key.status() != 201) {
            throw new IllegalStateException("key not issued: " + key.body());
        }
        return as(key.json().get("key").asString());
    }

    /**
     * The prospects with this email address, as {@code GET /api/v1/prospects?email=} lists them (its {@code items}):
     * empty when there is none. The address is sent URL-encoded, as it is written.
     */
    public JsonNode prospectsByEmail(String email) {
        Response found = get("/api/v1/prospects?email=" + URLEncoder.encode(email, StandardCharsets.UTF_8));
        assertThat(found.status())
                .as("the prospects of %s: %s", email, found.body())
                .isEqualTo(200);
        return found.json().get("items");
    }

    /** The one prospect with this email address ({@link #prospectsByEmail}); fails unless there is exactly one. */
    public JsonNode prospectByEmail(String email) {
        JsonNode items = prospectsByEmail(email);
        assertThat(items).as("the prospects with the email %s", email).hasSize(1);
        return items.get(0);
    }

    /** The id of the one prospect with this email address ({@link #prospectByEmail}). */
    public long prospectId(String email) {
        return prospectByEmail(email).get("id").asLong();
    }

    /** Creates a prospect from this JSON ({@code POST /api/v1/prospects}), asserts the 201 and answers its id. */
    public long newProspect(String json) {
        return created(post("/api/v1/prospects", json));
    }

    /** The id of what an API {@code POST} created: asserts the 201 and reads the body's {@code id}. */
    public static long created(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("id").asLong();
    }

    public record Response(int status, String contentType, String body, HttpResponse<String> raw) {

        public JsonNode json() {
            return JSON.readTree(body);
        }
    }
}
