package dev.kindling.prospects;

import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Accounts (companies), read-only here: they are created by matching prospects' email domains. */
@RestController
@RequestMapping(path = "/api/v1/accounts", produces = "application/json")
class AccountController {

    private final JdbcClient jdbc;

    AccountController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record AccountView(
            long id,
            String name,
            String domain,
            String industry,
            Integer employees,
            String country,
            String tier,
            long prospects,
            Instant createdAt) {}

    private static final String SELECT = """
            SELECT a.id, a.name, a.domain, a.industry, a.employees, a.country, a.tier, a.created_at,
                   (SELECT count(*) FROM prospect p WHERE p.account_id = a.id) AS prospects
              FROM account a""";

    @GetMapping
    List<AccountView> list(
            @RequestParam(required = false) String domain,
            @RequestParam(defaultValue = "50") int limit,
            @RequestParam(defaultValue = "0") long afterId) {
        if (limit < 1 || limit > 500) {
            throw InvalidInputException.of("limit", "must be between 1 and 500");
        }
        return jdbc.sql(SELECT + " WHERE a.id > :after AND (CAST(:domain AS text) IS NULL OR a.domain = lower(:domain))"
                        + " ORDER BY a.id LIMIT :limit")
                .param("after", afterId)
                .param("domain", domain)
                .param("limit", limit)
                .query(AccountController::view)
                .list();
    }

    @GetMapping("/{id}")
    AccountView get(@PathVariable long id) {
        return jdbc.sql(SELECT + " WHERE a.id = :id")
                .param("id", id)
                .query(AccountController::view)
                .optional()
                .orElseThrow(() -> new NotFoundException("No account " + id));
    }

    private static AccountView view(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new AccountView(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("domain"),
                rs.getString("industry"),
                (Integer) rs.getObject("employees"),
                rs.getString("country"),
                rs.getString("tier"),
                rs.getLong("prospects"),
                rs.getTimestamp("created_at").toInstant());
    }
}
