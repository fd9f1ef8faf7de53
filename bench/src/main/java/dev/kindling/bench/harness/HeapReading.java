package dev.kindling.bench.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The app's heap as its Prometheus endpoint reports it, summed over the heap's memory pools: bytes in use (live data
 * and garbage not yet collected), committed by the JVM, and the maximum it may grow to (pools without a maximum
 * left out). {@link #afterFullGc} first asks the app's JVM for a full collection ({@code jcmd <pid> GC.run}), so
 * that "used" is then the live data: the footprint of the app's state rather than of its garbage.
 */
public record HeapReading(long used, long committed, long max) {

    private static final Pattern LINE =
            Pattern.compile("(?m)^jvm_memory_(used|committed|max)_bytes\\{([^}]*)\\}\\s+(\\S+)");

    /** Sums the heap pools' {@code jvm_memory_used/committed/max_bytes} of a Prometheus text exposition. */
    public static HeapReading parse(String prometheus) {
        long used = 0;
        long committed = 0;
        long max = 0;
        Matcher line = LINE.matcher(prometheus);
        while (line.find()) {
            if (!line.group(2).contains("area=\"heap\"")) {
                continue;
            }
            long bytes = (long) Double.parseDouble(line.group(3));
            switch (line.group(1)) {
                case "used" -> used += bytes;
                case "committed" -> committed += bytes;
                default -> max += Math.max(0, bytes); // -1: the pool has no maximum of its own
            }
        }
        return new HeapReading(used, committed, max);
    }

    /** Reads the app's heap now. */
    public static HeapReading of(URI baseUri, String apiKey) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(baseUri.resolve("/actuator/prometheus"))
                                .header("Authorization", "Bearer " + apiKey)
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("/actuator/prometheus answered " + response.statusCode());
        }
        return parse(response.body());
    }

    /** Runs a full collection in the app's JVM ({@code jcmd <pid> GC.run}, the JDK's own), then reads the heap. */
    public static HeapReading afterFullGc(long pid, URI baseUri, String apiKey)
            throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(pid),
                        "GC.run")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!jcmd.waitFor(2, TimeUnit.MINUTES) || jcmd.exitValue() != 0) {
            jcmd.destroyForcibly();
            throw new IOException("jcmd " + pid + " GC.run did not succeed");
        }
        return of(baseUri, apiKey);
    }

    /** "used 123 MiB, committed 456 MiB, max 6,144 MiB". */
    public String describe() {
        return String.format(
                Locale.ROOT, "used %,d MiB, committed %,d MiB, max %,d MiB", mib(used), mib(committed), mib(max));
    }

    private static long mib(long bytes) {
        return Math.round(bytes / (1024.0 * 1024.0));
    }
}
