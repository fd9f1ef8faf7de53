package dev.kindling.platform.outbound;

import dev.kindling.platform.web.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The one base URL for every link Kindling sends or hands out (tracked links, the open pixel and unsubscribe links of
 * email, links in notifications, the public addresses of forms and tracked links): {@code kindling.public-url}
 * ({@code KINDLING_PUBLIC_URL}) when set, else the URL an admin saved (Settings → Public URL), else none. It is never
 * taken from a request: a {@code Host} header is the client's to choose. Without one, marketing email is held and
 * other links are left out or relative.
 */
@Component
public class PublicUrl {

    /** Where the public URL comes from. */
    public enum Source {
        ENVIRONMENT,
        SETTING,
        NONE
    }

    static final String SETTING = "public-url";
    static final int MAX_LENGTH = 500;

    private final String configured;
    private final JdbcClient jdbc;

    PublicUrl(@Value("${kindling.public-url:}") String configured, JdbcClient jdbc) {
        try {
            this.configured = configured == null || configured.isBlank() ? null : normalise(configured);
        } catch (InvalidInputException e) {
            throw new IllegalStateException(
                    "KINDLING_PUBLIC_URL " + e.errors().getFirst().message(), e);
        }
        this.jdbc = jdbc;
    }

    /** The base URL (no trailing slash), if one is set. */
    public Optional<String> base() {
        if (configured != null) {
            return Optional.of(configured);
        }
        return jdbc.sql("SELECT value FROM app_setting WHERE key = :key")
                .param("key", SETTING)
                .query(String.class)
                .optional();
    }

    public Source source() {
        return configured != null ? Source.ENVIRONMENT : base().isPresent() ? Source.SETTING : Source.NONE;
    }

    /** The absolute URL of {@code path} (which starts with "/"), or the path alone while no public URL is set. */
    public String of(String path) {
        return base().map(b -> b + path).orElse(path);
    }

    /**
     * Saves the public URL an admin gave (400 when it is not an absolute http(s) URL of a host, without user info,
     * query or fragment, or while the environment sets it); returns it as stored.
     */
    public String set(String url) {
        if (configured != null) {
            throw InvalidInputException.of("url", "is set by KINDLING_PUBLIC_URL; change it there");
        }
        String normalised = normalise(url);
        jdbc.sql("""
                        INSERT INTO app_setting (key, value) VALUES (:key, :value)
                        ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value""").param("key", SETTING).param("value", normalised).update();
        return normalised;
    }

    /**
     * What to offer an admin who has not set a public URL: the address their own browser reached this page at. Only
     * ever shown to a signed-in admin to confirm; never used for a link.
     */
    public static String suggestedFrom(HttpServletRequest request) {
        return ServletUriComponentsBuilder.fromContextPath(request)
                .replaceQuery(null)
                .toUriString();
    }

    /** {@code url} checked and without a trailing slash. */
    static String normalise(String url) {
        String s = url == null ? "" : url.strip();
        try {
            URI uri = new URI(s);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (s.length() <= MAX_LENGTH
                    && uri.isAbsolute()
                    && (scheme.equals("http") || scheme.equals("https"))
                    && uri.getHost() != null
                    && uri.getRawUserInfo() == null
                    && uri.getRawQuery() == null
                    && uri.getRawFragment() == null) {
                return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
            }
        } catch (URISyntaxException e) {
            // answered below
        }
        throw InvalidInputException.of(
                "url",
                "must be the absolute http or https address prospects reach Kindling "
                        + "at, e.g. https://kindling.example.com, without user info, query or fragment (at most "
                        + MAX_LENGTH + " characters)");
    }
}
