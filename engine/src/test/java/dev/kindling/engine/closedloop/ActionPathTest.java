package dev.kindling.engine.closedloop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Action#path} cuts a URL at its first '?' or '#' as the regular-expression split it replaced did. */
class ActionPathTest {

    /** The path as it was computed with {@code split("[?#]", 2)}. */
    private static String reference(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        String rest = url.strip().split("[?#]", 2)[0];
        int scheme = rest.indexOf("://");
        if (scheme >= 0) {
            rest = rest.substring(scheme + 3);
            int slash = rest.indexOf('/');
            rest = slash < 0 ? "" : rest.substring(slash);
        }
        String path = rest.toLowerCase(Locale.ROOT);
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path.isEmpty() ? "/" : path;
    }

    @Test
    void pathsAreCutAtTheFirstQueryOrFragment() {
        assertThat(Action.path("https://Site.example/Pricing/?utm=x#top")).isEqualTo("/pricing");
        assertThat(Action.path("https://site.example/a#b?c")).isEqualTo("/a");
        assertThat(Action.path("?only=query")).isEqualTo("/");
        assertThat(Action.path("  ")).isNull();
        Random random = new Random(16);
        String alphabet = "ab/?#:. AB";
        for (int i = 0; i < 100_000; i++) {
            StringBuilder url = new StringBuilder(random.nextBoolean() ? "https://h" : "");
            int length = random.nextInt(12);
            for (int c = 0; c < length; c++) {
                url.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = url.toString();
            assertThat(Action.path(text)).as(text).isEqualTo(reference(text));
        }
    }
}
