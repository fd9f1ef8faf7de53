package dev.kindling.email;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The public base URL written into emails: {@code kindling.public-url} when set (it should be, in production: an
 * email outlives the request that sent it), else the current request's base, else — for sends from background
 * jobs — this instance's own address.
 */
@Component
class EmailUrls {

    private final String configured;
    private final Environment environment;

    EmailUrls(@Value("${kindling.public-url:}") String configured, Environment environment) {
        String c = configured == null ? "" : configured.strip();
        this.configured = c.endsWith("/") ? c.substring(0, c.length() - 1) : c;
        this.environment = environment;
    }

    String base() {
        if (!configured.isEmpty()) {
            return configured;
        }
        if (RequestContextHolder.getRequestAttributes() != null) {
            return ServletUriComponentsBuilder.fromCurrentContextPath().toUriString();
        }
        return "http://localhost:" + environment.getProperty("local.server.port",
                environment.getProperty("server.port", "8080"));
    }
}
