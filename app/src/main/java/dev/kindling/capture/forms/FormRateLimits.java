package dev.kindling.capture.forms;

import dev.kindling.capture.RateLimiter;
import java.time.Clock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A form's own limit on submissions per minute from one client address (a token bucket per form and address, bursts
 * of one minute's worth, shared by every instance), applied on top of the limit every form post passes first
 * ({@code CaptureRateLimits}). Changing a form's limit starts its buckets afresh: the limit is part of the buckets'
 * name.
 */
@Component
class FormRateLimits {

    private final Clock clock;
    private final JdbcClient jdbc;

    FormRateLimits(Clock clock, JdbcClient jdbc) {
        this.clock = clock;
        this.jdbc = jdbc;
    }

    /** Whether the form takes a post from this address now; always when the form has no limit of its own. */
    RateLimiter.Decision tryAcquire(long formId, Integer perMinute, String remoteAddress) {
        if (perMinute == null) {
            return new RateLimiter.Decision(true, 0);
        }
        return new RateLimiter("form-" + formId + "-" + perMinute, perMinute, perMinute, clock, jdbc)
                .tryAcquire(RateLimiter.clientOf(remoteAddress));
    }
}
