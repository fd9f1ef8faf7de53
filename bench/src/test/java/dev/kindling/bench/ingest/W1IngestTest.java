package dev.kindling.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kindling.bench.harness.MigratedDatabase;
import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.DatasetSize;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** W1 end to end against a stand-in app that stores activities and processes them a moment later. */
class W1IngestTest {

    private static final Instant END = Instant.parse("2026-11-01T00:00:00Z");
    private static final Pattern ITEM = Pattern.compile(
            "\"externalId\":\"([^\"]*)\",\"email\":\"([^\"]*)\",\"type\":\"([A-Z_]+)\"(?:,\"customName\":\"[^\"]*\")?,"
                    + "\"occurredAt\":\"([^\"]+)\"");

    @Test
    void measuresEngineAcceptOnlyAndTwinForTheSameActivities() throws Exception {
        Dataset dataset = Dataset.of(DatasetSize.XS, 42, END);
        W1Ingest w1 = new W1Ingest(
                new W1Ingest.Settings(
                        DatasetSize.XS,
                        42,
                        END,
                        3_000,
                        500,
                        2,
                        1_000,
                        Path.of("unused.jar"),
                        List.of(),
                        Duration.ofMinutes(1),
                        0,
                        0,
                        0),
                new PrintStream(OutputStream.nullOutputStream()));
        try (MigratedDatabase database = MigratedDatabase.create()) {
            try (Connection bench = database.connect();
                    Connection app = database.connect()) {
                HttpServer server = standInApp(app);
                ScheduledExecutorService processor = Executors.newSingleThreadScheduledExecutor();
                processor.scheduleWithFixedDelay(() -> process(app), 20, 20, TimeUnit.MILLISECONDS);
                try {
                    W1Ingest.Result result = w1.measure(
                            dataset,
                            URI.create("http://localhost:" + server.getAddress().getPort()),
                            "key",
                            bench);

                    assertThat(result.accepted()).isEqualTo(3_000);
                    assertThat(result.duplicates()).isZero();
                    assertThat(result.processed()).isEqualTo(3_000);
                    assertThat(result.engine()).isGreaterThanOrEqualTo(result.acceptOnly());
                    assertThat(result.ratio()).isPositive();
                    assertThat(count(bench, "SELECT count(*) FROM activity WHERE external_id LIKE 'twin-%'"))
                            .isZero();
                    assertThat(count(bench, "SELECT count(*) FROM activity WHERE external_id LIKE 'warm-%'"))
                            .isEqualTo(500);
                } finally {
                    processor.shutdownNow();
                    processor.awaitTermination(5, TimeUnit.SECONDS);
                    server.stop(0);
                }
            }
        }
    }

    @Test
    void spreadsTheBatchesOverSeveralInstancesAndCountsWhatAnyOfThemProcessed() throws Exception {
        Dataset dataset = Dataset.of(DatasetSize.XS, 42, END);
        W1Ingest w1 = new W1Ingest(
                        new W1Ingest.Settings(
                                DatasetSize.XS,
                                42,
                                END,
                                3_000,
                                500,
                                2,
                                500,
                                Path.of("unused.jar"),
                                List.of(),
                                Duration.ofMinutes(1),
                                0,
                                0,
                                0),
                        new PrintStream(OutputStream.nullOutputStream()))
                .withInstances(2, null);
        try (MigratedDatabase database = MigratedDatabase.create()) {
            try (Connection bench = database.connect();
                    Connection app = database.connect()) {
                AtomicInteger first = new AtomicInteger();
                AtomicInteger second = new AtomicInteger();
                HttpServer one = standInApp(app, first);
                HttpServer two = standInApp(app, second);
                ScheduledExecutorService processor = Executors.newSingleThreadScheduledExecutor();
                processor.scheduleWithFixedDelay(() -> process(app), 20, 20, TimeUnit.MILLISECONDS);
                try {
                    W1Ingest.Result result = w1.measure(
                            dataset,
                            List.of(
                                    URI.create("http://localhost:"
                                            + one.getAddress().getPort()),
                                    URI.create("http://localhost:"
                                            + two.getAddress().getPort())),
                            "key",
                            bench);

                    assertThat(result.accepted()).isEqualTo(3_000);
                    assertThat(result.processed()).isEqualTo(3_000);
                    // warm-up 1 batch + timed 6 batches of 500, each to the next instance in turn
                    assertThat(first.get() + second.get()).isEqualTo(7);
                    assertThat(Math.abs(first.get() - second.get())).isEqualTo(1);
                } finally {
                    processor.shutdownNow();
                    processor.awaitTermination(5, TimeUnit.SECONDS);
                    one.stop(0);
                    two.stop(0);
                }
            }
        }
    }

    private static HttpServer standInApp(Connection app) throws IOException {
        return standInApp(app, new AtomicInteger());
    }

    private static HttpServer standInApp(Connection app, AtomicInteger batches) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/api/v1/activities", exchange -> {
            batches.incrementAndGet();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int accepted = 0;
            synchronized (app) {
                try (PreparedStatement insert = app.prepareStatement("INSERT INTO activity"
                        + " (external_id, email, type, occurred_at, received_at) VALUES (?, ?, ?, ?, now())")) {
                    Matcher item = ITEM.matcher(body);
                    while (item.find()) {
                        insert.setString(1, item.group(1));
                        insert.setString(2, item.group(2));
                        insert.setString(3, item.group(3));
                        insert.setTimestamp(4, Timestamp.from(Instant.parse(item.group(4))));
                        insert.addBatch();
                        accepted++;
                    }
                    insert.executeBatch();
                } catch (SQLException e) {
                    answer(exchange, 500, e.getMessage());
                    return;
                }
            }
            answer(exchange, 202, "{\"accepted\":" + accepted + ",\"duplicates\":0}");
        });
        server.createContext("/api/v1/system/intake", exchange -> {
            long pending;
            synchronized (app) {
                try {
                    pending = count(app, "SELECT count(*) FROM activity WHERE processed_at IS NULL");
                } catch (SQLException e) {
                    answer(exchange, 500, e.getMessage());
                    return;
                }
            }
            answer(exchange, 200, "{\"pending\":" + pending + ",\"lagMillis\":0}");
        });
        server.start();
        return server;
    }

    private static void process(Connection app) {
        synchronized (app) {
            try (Statement statement = app.createStatement()) {
                statement.executeUpdate("UPDATE activity SET processed_at = now() WHERE processed_at IS NULL");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
