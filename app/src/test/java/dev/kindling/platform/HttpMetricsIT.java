package dev.kindling.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** HTTP metrics are tagged by route template, and every route keeps its own (no "maximum number of 'uri' tags"). */
@IntegrationTest
class HttpMetricsIT {

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry registry;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Value("${management.metrics.web.server.max-uri-tags:100}")
    int maxUriTags;

    @Test
    void everyApiRouteIsMeasuredUnderItsOwnRouteTemplate() {
        Set<String> routes = new TreeSet<>();
        List<String> getRoutes = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, method) -> {
            Set<String> patterns = info.getPatternValues();
            routes.addAll(patterns);
            boolean get = info.getMethodsCondition().getMethods().isEmpty()
                    || info.getMethodsCondition().getMethods().contains(RequestMethod.GET);
            patterns.stream().filter(p -> get && p.startsWith("/api/")).forEach(getRoutes::add);
        });
        assertThat(routes.size())
                .as("more routes than Boot's default limit of 100")
                .isGreaterThan(100);
        assertThat(maxUriTags)
                .as("room for every route and Spring's fixed tags")
                .isGreaterThan(routes.size() + 10);

        TestApi api = new TestApi(port);
        for (String route : getRoutes) {
            // any status will do: the route matched, so its template is the tag
            api.get(route.replaceAll("\\{[^}]+}", "0"));
        }

        List<String> unmeasured = getRoutes.stream()
                .filter(route ->
                        registry.find("http.server.requests").tag("uri", route).timer() == null)
                .toList();
        assertThat(unmeasured).isEmpty();
        assertThat(registry.find("http.server.requests")
                        .tag("uri", "/api/v1/prospects/0")
                        .timer())
                .as("never the raw URL")
                .isNull();
    }
}
