package dev.kindling.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.kindling.support.MovingClockTest;
import dev.kindling.support.MutableClock;
import dev.kindling.support.TestApi;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The default limits (a burst of 20 form posts, then 10 a minute; a burst of 600 page views, then 600 a minute) under a
 * clock the test moves.
 */
@MovingClockTest(start = "2025-06-01T12:00:00Z")
class RateLimitIT {

    @LocalServerPort
    int port;

    @Autowired
    Clock clock;

    @Autowired
    CaptureRateLimits rateLimits;

    TestApi.Response postForm() {
        TestApi anonymous = new TestApi(port, null);
        return anonymous.send(anonymous
                .request("/f/no-such-form-for-rate-limits")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("email=a%40b.example"))
                .build());
    }

    @Autowired
    JdbcClient jdbc;

    TestApi.Response collect(String visitor, String url) {
        TestApi anonymous = new TestApi(port, null);
        return anonymous.send(anonymous
                .request("/t/collect")
                .header("Content-Type", "text/plain;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"visitorId\":\"" + visitor + "\",\"url\":\"" + url + "\"}"))
                .build());
    }

    long stored(String visitor) {
        return jdbc.sql("SELECT count(*) FROM activity WHERE visitor_id = ?")
                .param(visitor)
                .query(Long.class)
                .single();
    }

    @Test
    void concurrentBeaconsFromOneAddressPassUpToItsBurstAndTheRestAre429WithNothingStored() throws Exception {
        rateLimits.reset();
        String visitor = "ratelimited" + UUID.randomUUID().toString().replace("-", "");
        List<Callable<Integer>> beacons = new ArrayList<>();
        for (int i = 0; i < 640; i++) {
            String url = "https://a.example/p" + i;
            beacons.add(() -> collect(visitor, url).status());
        }
        Map<Integer, Long> statuses = new TreeMap<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (Future<Integer> answer : pool.invokeAll(beacons)) {
                statuses.merge(answer.get(), 1L, Long::sum);
            }
        }
        assertThat(statuses).as("the burst, the rest refused").containsExactly(entry(204, 600L), entry(429, 40L));
        assertThat(stored(visitor)).as("only those answered 204 are stored").isEqualTo(600);

        var limited = collect(visitor, "https://a.example/limited");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.contentType()).startsWith("application/problem+json");
        assertThat(limited.raw().headers().firstValue("Retry-After")).contains("1");

        ((MutableClock) clock).advance(Duration.ofSeconds(1)); // 600 a minute: 10 more
        for (int i = 0; i < 10; i++) {
            assertThat(collect(visitor, "https://a.example/later" + i).status()).isEqualTo(204);
        }
        assertThat(collect(visitor, "https://a.example/later").status()).isEqualTo(429);
        assertThat(stored(visitor)).isEqualTo(610);
        rateLimits.reset();
    }

    @Test
    void tooManyFormPostsFromOneAddressAre429UntilTheClockMovesOn() {
        rateLimits.reset();
        for (int i = 0; i < 20; i++) {
            assertThat(postForm().status()).isEqualTo(404);
        }
        var limited = postForm();
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.contentType()).startsWith("application/problem+json");
        assertThat(limited.raw().headers().firstValue("Retry-After")).contains("6");

        ((MutableClock) clock).advance(Duration.ofSeconds(6));
        assertThat(postForm().status()).isEqualTo(404);
        assertThat(postForm().status()).isEqualTo(429);
    }
}
