package dev.kindling.bench.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plain JSON calls to the app's public API with the admin key, for workloads that drive rules and lists: the body
 * goes out as written, the answer comes back as text, and an unexpected status fails the run with the answer in the
 * message. Just enough JSON reading ({@link #number}) for the figures the workloads need.
 */
public final class ApiClient {

    private final HttpClient http;
    private final URI baseUri;
    private final String authorization;
    private final Duration timeout;

    public ApiClient(URI baseUri, String apiKey, Duration timeout) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.baseUri = baseUri;
        this.authorization = "Bearer " + apiKey;
        this.timeout = timeout;
    }

    /** Sends {@code method path} with a JSON body (none when null) and answers the body if the status is expected. */
    public String call(String method, String path, String body, int expected) throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(baseUri.resolve(path)).timeout(timeout).header("Authorization", authorization);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(
                    method + " " + path + " answered " + response.statusCode() + ": " + abbreviate(response.body()));
        }
        return response.body();
    }

    /** The first whole number named {@code field} in {@code json}. */
    public static long number(String json, String field) {
        Matcher matcher = Pattern.compile("\"" + field + "\"\\s*:\\s*(-?\\d+)").matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("no number \"" + field + "\" in " + abbreviate(json));
        }
        return Long.parseLong(matcher.group(1));
    }

    public static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "…";
    }
}
