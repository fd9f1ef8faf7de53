package dev.kindling.capture.tracking;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationPredicate;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registers {@link CollectEndpoint} for exactly {@code /t/collect}, after the body cap
 * ({@code RequestSizeLimitFilter}, first) and the capture rate limits' filter, and before the session, Spring Security
 * (order -100) and Spring MVC; the HTTP server's observation filter runs before it but observes nothing there.
 */
@Configuration(proxyBeanMethods = false)
class TrackingConfiguration {

    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

    @Bean
    FilterRegistrationBean<CollectEndpoint> collectEndpoint(
            PageViews pageViews, JsonMapper json, MeterRegistry meters) {
        FilterRegistrationBean<CollectEndpoint> registration =
                new FilterRegistrationBean<>(new CollectEndpoint(pageViews, json, meters));
        registration.setName("collectEndpoint");
        registration.addUrlPatterns(CollectEndpoint.PATH);
        registration.setOrder(ORDER);
        return registration;
    }

    /**
     * Beacons are left out of the HTTP server's observation ({@code http.server.requests} and its active-requests
     * timer): it was ~8 % of a beacon's app CPU in W10's profile (docs/benchmarks.md). {@link CollectEndpoint} counts
     * them itself, by status ({@value CollectEndpoint#METRIC}).
     */
    @Bean
    ObservationPredicate collectNotObserved() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && request.getCarrier() != null
                && CollectEndpoint.PATH.equals(request.getCarrier().getRequestURI()));
    }
}
