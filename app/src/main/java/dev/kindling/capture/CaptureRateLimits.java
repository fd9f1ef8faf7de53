package dev.kindling.capture;

import dev.kindling.platform.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-IP limits on the anonymous write endpoints: form posts ({@code /f/**}) and page views
 * ({@code POST /t/collect}); over the limit the answer is 429 with {@code Retry-After}. The client
 * is {@code request.getRemoteAddr()}: behind a reverse proxy, enable Spring's forwarded-header
 * handling ({@code server.forward-headers-strategy}) so that is the real client, not the proxy. The buckets are
 * shared by every instance ({@link RateLimiter}); {@link RateLimitBuckets} deletes those that are full again.
 *
 * <p>This filter checks the form posts: concurrent posts share one statement ({@link RateLimiter#tryAcquireTogether}),
 * which decides as one statement per post would. The page views' limit ({@link #collect}) is checked by
 * the collect endpoint itself, for a whole group of beacons at once in the transaction that stores them
 * (docs/capture.md, "Rate limits").
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class CaptureRateLimits extends OncePerRequestFilter {

    private final RateLimiter forms;
    private final RateLimiter collect;
    private final Limit formLimit;

    /** A limit per client address: so many per minute, with bursts of so many. */
    public record Limit(int perMinute, int burst) {}

    CaptureRateLimits(
            Clock clock,
            JdbcClient jdbc,
            @Value("${kindling.capture.rate-limit.forms-per-minute:10}") int formsPerMinute,
            @Value("${kindling.capture.rate-limit.forms-burst:20}") int formsBurst,
            @Value("${kindling.capture.rate-limit.collect-per-minute:600}") int collectPerMinute,
            @Value("${kindling.capture.rate-limit.collect-burst:600}") int collectBurst) {
        this.forms = new RateLimiter("capture-forms", formsBurst, formsPerMinute, clock, jdbc);
        this.formLimit = new Limit(formsPerMinute, formsBurst);
        this.collect = new RateLimiter("capture-collect", collectBurst, collectPerMinute, clock, jdbc);
    }

    /** The limit on form posts per client address (the form pages show it). */
    public Limit formLimits() {
        return formLimit;
    }

    /** The limit on page views per client address, which the collect endpoint applies to its batches. */
    public RateLimiter collect() {
        return collect;
    }

    /** Forgets every client's usage (tests; an operator lifting a block). */
    public void reset() {
        forms.reset();
        collect.reset();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return limiterFor(request) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        RateLimiter.Decision decision =
                limiterFor(request).tryAcquireTogether(RateLimiter.clientOf(request.getRemoteAddr()));
        if (!decision.allowed()) {
            response.setHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
            Problems.write(
                    response, HttpStatus.TOO_MANY_REQUESTS, "Too many requests from your address; try again later");
            return;
        }
        chain.doFilter(request, response);
    }

    private RateLimiter limiterFor(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod())) {
            return null;
        }
        String path = request.getRequestURI();
        if (path.startsWith("/f/")) {
            return forms;
        }
        return null;
    }
}
