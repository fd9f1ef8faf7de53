package dev.kindling.prospects;

import dev.kindling.platform.web.InvalidInputException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The prospects ticked on the prospect list for a bulk action (the form's {@code id} parameters): at least one, at
 * most {@value #MAX}, each counted once. The lists, assignment and prospect pages all read a selection through here.
 */
public final class ProspectSelection {

    public static final int MAX = 500;

    private ProspectSelection() {}

    private static final List<String> LIST_PARAMETERS = List.of("q", "stage", "quadrant", "sort", "dir", "page");

    /**
     * The prospect list's URL with the filters of {@code query} (the list's query string, posted back by its bulk
     * form): only the list's own parameters are kept, re-encoded, so a bulk action returns to the list it came from.
     */
    public static String listUrl(String query) {
        var from = UriComponentsBuilder.fromUriString("/prospects?" + (query == null ? "" : query))
                .build()
                .getQueryParams();
        var to = UriComponentsBuilder.fromPath("/prospects");
        for (String name : LIST_PARAMETERS) {
            String value = from.getFirst(name);
            if (value != null && !value.isBlank()) {
                to.queryParam(name, URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return to.encode().build().toUriString();
    }

    /** The distinct ids in the order given; 400 when none or more than {@value #MAX}. */
    public static List<Long> of(List<Long> ids) {
        List<Long> distinct = ids == null
                ? List.of()
                : ids.stream().filter(java.util.Objects::nonNull).distinct().toList();
        if (distinct.isEmpty()) {
            throw InvalidInputException.of("id", "select at least one prospect");
        }
        if (distinct.size() > MAX) {
            throw InvalidInputException.of("id", "select at most " + MAX + " prospects at once");
        }
        return distinct;
    }
}
