package dev.kindling.prospects.web;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A user's saved views of the prospects list ({@code saved_view}, owned here): a name (1–80 characters, unique per
 * user and page, case-insensitively) and the list's query string with only its known filter and sort parameters
 * kept — anything else is dropped, and the page number too, so a view opens on its first page.
 */
@Component
class SavedViews {

    static final String PAGE = "prospects";
    static final int MAX_NAME = 80;
    static final int MAX_QUERY = 2000;
    static final List<String> PARAMETERS = List.of("q", "stage", "quadrant", "sort", "dir");

    /** A saved view: its link is {@code /prospects?query}. */
    record View(long id, String name, String query) {}

    private final JdbcClient jdbc;
    private final Clock clock;

    SavedViews(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The user's views of the page, by name. */
    List<View> of(long userId) {
        return jdbc.sql(
                        "SELECT id, name, query FROM saved_view WHERE user_id = :user AND page = :page ORDER BY lower(name)")
                .param("user", userId)
                .param("page", PAGE)
                .query((rs, n) -> new View(rs.getLong(1), rs.getString(2), rs.getString(3)))
                .list();
    }

    /** Saves a view; 400 for a blank, over-long or control-character name, 409 when the user has one so named. */
    long save(long userId, String name, String query) {
        String given = name == null ? "" : name.strip();
        if (given.isEmpty()) {
            throw new InvalidInputException(List.of(new FieldError("name", "is required")));
        }
        if (given.length() > MAX_NAME) {
            throw new InvalidInputException(
                    List.of(new FieldError("name", "must be at most " + MAX_NAME + " characters")));
        }
        if (given.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException(List.of(new FieldError("name", "must not contain control characters")));
        }
        try {
            return jdbc.sql("""
                            INSERT INTO saved_view (user_id, page, name, query, created_at)
                            VALUES (:user, :page, :name, :query, :now) RETURNING id""")
                    .param("user", userId)
                    .param("page", PAGE)
                    .param("name", given)
                    .param("query", known(query))
                    .param("now", Timestamp.from(clock.instant()))
                    .query(Long.class)
                    .single();
        } catch (DuplicateKeyException e) {
            throw new ConflictException("You already have a view named " + given);
        }
    }

    /** Deletes one of the user's views; 404 when the user has no such view (another user's included). */
    void delete(long userId, long id) {
        int deleted = jdbc.sql("DELETE FROM saved_view WHERE id = :id AND user_id = :user AND page = :page")
                .param("id", id)
                .param("user", userId)
                .param("page", PAGE)
                .update();
        if (deleted == 0) {
            throw new NotFoundException("saved view " + id);
        }
    }

    /** The query string with only the list's known, non-empty parameters (first value each), encoded and capped. */
    static String known(String query) {
        Map<String, String> given = parameters(query);
        StringJoiner kept = new StringJoiner("&");
        for (String parameter : PARAMETERS) {
            String value = given.getOrDefault(parameter, "").strip();
            if (parameter.equals("q") && value.length() > ProspectListController.MAX_SEARCH_LENGTH) {
                value = value.substring(0, ProspectListController.MAX_SEARCH_LENGTH);
            }
            if (!value.isEmpty()) {
                kept.add(parameter + "=" + URLEncoder.encode(value, UTF_8));
            }
        }
        String encoded = kept.toString();
        return encoded.length() <= MAX_QUERY ? encoded : "";
    }

    /** A query string's parameters, decoded, the first value of each; a pair with a broken escape is dropped. */
    static Map<String, String> parameters(String query) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String pair : (query == null ? "" : query).split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            try {
                given.putIfAbsent(
                        URLDecoder.decode(pair.substring(0, eq), UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), UTF_8));
            } catch (IllegalArgumentException malformed) {
                // a broken escape: the parameter is dropped
            }
        }
        return given;
    }
}
