package dev.kindling.prospects.web;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The prospect list: newest first or sorted by a column, searched by email, name or company and filtered by stage,
 * a page at a time. Pages are numbered (bookmarkable, work without JavaScript); a page asks for
 * one row more than it shows to know whether another follows, so no count of the whole base is needed.
 */
@Component
class ProspectDirectory {

    static final int PAGE_SIZE = 50;

    /** One line of the list. */
    public record Row(
            long id,
            String email,
            String firstName,
            String lastName,
            String company,
            String stage,
            int score,
            String grade,
            Instant lastActivityAt) {

        public String name() {
            String name = ((firstName == null ? "" : firstName) + " " + (lastName == null ? "" : lastName)).strip();
            return name.isEmpty() ? null : name;
        }
    }

    /**
     * The order of the list: a column the table can be sorted by, ascending or descending (empty values last, then
     * newest first). {@link #NEWEST} by default.
     */
    public record Sort(String column, boolean ascending) {

        static final Map<String, String> COLUMNS = Map.of(
                "name", "lower(p.last_name) %1$s NULLS LAST, lower(p.first_name) %1$s NULLS LAST",
                "email", "p.email %1$s",
                "company", "lower(p.company) %1$s NULLS LAST",
                "stage", "p.stage %1$s",
                "score", "p.score %1$s",
                "grade", "p.grade %1$s NULLS LAST",
                "lastActivity", "p.last_activity_at %1$s NULLS LAST");
        static final Sort NEWEST = new Sort("", false);

        /** The order asked for, or {@link #NEWEST} for an unknown column. */
        static Sort parse(String column, String direction) {
            return column != null && COLUMNS.containsKey(column) ? new Sort(column, !"desc".equals(direction)) : NEWEST;
        }

        String sql() {
            String by = COLUMNS.get(column);
            return (by == null ? "" : by.formatted(ascending ? "ASC" : "DESC") + ", ") + "p.id DESC";
        }

        /** The direction a click on this column's heading asks for: the other one when the list is sorted by it. */
        public String next(String heading) {
            return heading.equals(column) && ascending ? "desc" : "asc";
        }

        /** The heading's {@code aria-sort}. */
        public String aria(String heading) {
            return !heading.equals(column) ? "none" : ascending ? "ascending" : "descending";
        }
    }

    /** A page of rows; {@code page} counts from 1. */
    public record Page(List<Row> rows, int page, boolean hasNext) {

        public boolean hasPrevious() {
            return page > 1;
        }
    }

    private final JdbcClient jdbc;

    ProspectDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param search free text matched anywhere in email, first/last/full name and company; blank for all
     * @param stage  a lifecycle stage name, or null for every stage
     */
    Page find(String search, String stage, int page) {
        return find(search, stage, null, page);
    }

    /** @param quadrant HOT, NURTURE, SCREEN or DISCARD (under the current thresholds), or null for all */
    Page find(String search, String stage, String quadrant, int page) {
        return find(search, stage, quadrant, Sort.NEWEST, page);
    }

    /** @param sort the order ({@link Sort#NEWEST}: newest first) */
    Page find(String search, String stage, String quadrant, Sort sort, int page) {
        StringBuilder sql = new StringBuilder("""
                SELECT id, email, first_name, last_name, company, stage, score, grade, last_activity_at
                FROM prospect p
                WHERE true
                """);
        Map<String, Object> params = new HashMap<>();
        if (search != null && !search.isBlank()) {
            sql.append("""
                    AND (p.email ILIKE :q ESCAPE '\\' OR p.first_name ILIKE :q ESCAPE '\\'
                          OR p.last_name ILIKE :q ESCAPE '\\' OR p.company ILIKE :q ESCAPE '\\'
                          OR (coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')) ILIKE :q ESCAPE '\\')
                    """);
            params.put("q", "%" + likeEscape(search.strip()) + "%");
        }
        if (stage != null) {
            sql.append("AND p.stage = :stage\n");
            params.put("stage", stage);
        }
        if (quadrant != null) {
            sql.append("AND prospect_quadrant(p.score, p.grade) = :quadrant\n");
            params.put("quadrant", quadrant);
        }
        sql.append("ORDER BY ").append(sort.sql()).append(" LIMIT :limit OFFSET :offset");
        params.put("limit", PAGE_SIZE + 1);
        params.put("offset", (long) (page - 1) * PAGE_SIZE);
        List<Row> rows = jdbc.sql(sql.toString())
                .params(params)
                .query(ProspectDirectory::row)
                .list();
        boolean hasNext = rows.size() > PAGE_SIZE;
        return new Page(hasNext ? List.copyOf(rows.subList(0, PAGE_SIZE)) : rows, page, hasNext);
    }

    /** The rows of these prospects (unknown ids left out), in id order. */
    List<Row> rows(java.util.Collection<Long> ids) {
        return jdbc.sql("""
                        SELECT id, email, first_name, last_name, company, stage, score, grade, last_activity_at
                          FROM prospect WHERE id = ANY(:ids) ORDER BY id""")
                .param("ids", ids.toArray(Long[]::new))
                .query(ProspectDirectory::row)
                .list();
    }

    private static Row row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Row(
                rs.getLong("id"),
                rs.getString("email"),
                rs.getString("first_name"),
                rs.getString("last_name"),
                rs.getString("company"),
                rs.getString("stage"),
                rs.getInt("score"),
                rs.getString("grade"),
                instant(rs.getTimestamp("last_activity_at")));
    }

    /** Makes {@code %}, {@code _} and the escape character itself match literally. */
    static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
