package dev.kindling.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.MovingClockTest;
import dev.kindling.support.MutableClock;
import dev.kindling.support.TestApi;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The default limits (a burst of 20 form posts, then 10 a minute) under a clock the test moves. */
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
