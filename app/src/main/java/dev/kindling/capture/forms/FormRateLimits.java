package dev.kindling.capture.forms;

import dev.kindling.capture.RateLimiter;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * A form's own limit on submissions per minute from one client address (a token bucket per form and address, bursts
 * of one minute's worth), applied on top of the instance-wide limit every form post passes first
 * ({@code CaptureRateLimits}). Changing a form's limit starts its buckets afresh.
 */
@Component
class FormRateLimits {

    private static final int MAX_CLIENTS_PER_FORM = 10_000;

    private final Clock clock;
    private final Map<Long, Own> limiters = new ConcurrentHashMap<>();

    private record Own(int perMinute, RateLimiter limiter) {}

    FormRateLimits(Clock clock) {
        this.clock = clock;
    }

    /** Whether the form takes a post from this address now; always when the form has no limit of its own. */
    RateLimiter.Decision tryAcquire(long formId, Integer perMinute, String remoteAddress) {
        if (perMinute == null) {
            limiters.remove(formId);
            return new RateLimiter.Decision(true, 0);
        }
        Own own = limiters.compute(
                formId,
                (id, current) -> current != null && current.perMinute() == perMinute
                        ? current
                        : new Own(perMinute, new RateLimiter(perMinute, perMinute, clock, MAX_CLIENTS_PER_FORM)));
        return own.limiter().tryAcquire(RateLimiter.clientOf(remoteAddress));
    }
}
