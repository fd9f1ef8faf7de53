package dev.kindling.bench.ingest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two calls of the public API that W1 needs: send a batch of activities, and ask how
 * much accepted work is still pending. Safe to share between sender threads.
 */
final class IntakeClient implements BatchSender {

    /** The answer to a batch: how many were new and how many were already known. */
    record Accepted(long accepted, long duplicates) {}

    /** Accepted activities not yet fully processed, and how long the oldest has waited. */
    record IntakeStatus(long pending, long lagMillis) {}

    private static final int MAX_ATTEMPTS = 20;

    private final HttpClient http;
    private final URI activities;
    private final URI intake;
    private final String authorization;

    IntakeClient(URI baseUri, String apiKey) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.activities = baseUri.resolve("/api/v1/activities");
        this.intake = baseUri.resolve("/api/v1/system/intake");
        this.authorization = "Bearer " + apiKey;
    }

    /** Posts one batch; waits and retries while the app pushes back (429 or 503). */
    @Override
    public Accepted send(byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(activities)
                .timeout(Duration.ofMinutes(2))
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status == 202 || status == 200) {
                return new Accepted(number(response.body(), "accepted"), number(response.body(), "duplicates"));
            }
            if ((status == 429 || status == 503) && attempt < MAX_ATTEMPTS) {
                Thread.sleep(retryAfterMillis(response));
                continue;
            }
            throw new IllegalStateException(
                    "POST " + activities + " answered " + status + ": " + abbreviate(response.body()));
        }
    }

    IntakeStatus status() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(intake)
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization)
                .GET()
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "GET " + intake + " answered " + response.statusCode() + ": " + abbreviate(response.body()));
        }
        return new IntakeStatus(number(response.body(), "pending"), number(response.body(), "lagMillis"));
    }

    static long number(String json, String field) {
        Matcher matcher = Pattern.compile("\"" + field + "\"\\s*:\\s*(-?\\d+)").matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("no number \"" + field + "\" in " + abbreviate(json));
        }
        return Long.parseLong(matcher.group(1));
    }

    private static long retryAfterMillis(HttpResponse<?> response) {
        return response.headers()
                .firstValue("Retry-After")
                .map(seconds -> {
                    try {
                        return Math.min(10_000L, Long.parseLong(seconds.trim()) * 1_000L);
                    } catch (NumberFormatException e) {
                        return 500L;
                    }
                })
                .orElse(200L);
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "…";
    }
}
