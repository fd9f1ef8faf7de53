package dev.kindling.capture;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The base URL under which the public capture endpoints are reached: {@code kindling.public-url}
 * ({@code KINDLING_PUBLIC_URL}) when set, else derived from the current request.
 */
@Component
public class PublicUrl {

    private final String configured;

    PublicUrl(@Value("${kindling.public-url:}") String configured) {
        String c = configured == null ? "" : configured.strip();
        this.configured = c.endsWith("/") ? c.substring(0, c.length() - 1) : c;
    }

    /** The absolute URL of {@code path} (which starts with "/"). Call within a request when not configured. */
    public String of(String path) {
        String base = configured.isEmpty() ? ServletUriComponentsBuilder.fromCurrentContextPath().toUriString() : configured;
        return base + path;
    }
}
