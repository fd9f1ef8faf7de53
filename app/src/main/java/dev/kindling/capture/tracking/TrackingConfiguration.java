package dev.kindling.capture.tracking;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registers {@link CollectEndpoint} for exactly {@code /t/collect}, after the body cap
 * ({@code RequestSizeLimitFilter}, first), the HTTP server's request metrics and the capture rate limits' filter, and
 * before the session, Spring Security (order -100) and Spring MVC.
 */
@Configuration(proxyBeanMethods = false)
class TrackingConfiguration {

    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

    @Bean
    FilterRegistrationBean<CollectEndpoint> collectEndpoint(PageViews pageViews, JsonMapper json) {
        FilterRegistrationBean<CollectEndpoint> registration =
                new FilterRegistrationBean<>(new CollectEndpoint(pageViews, json));
        registration.setName("collectEndpoint");
        registration.addUrlPatterns(CollectEndpoint.PATH);
        registration.setOrder(ORDER);
        return registration;
    }
}
