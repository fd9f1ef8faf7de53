package dev.kindling.prospects;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes to accounts from outside this module (a CRM's accounts): the owner of the {@code account} table.
 * Accounts are otherwise created by matching prospects' email domains ({@link Prospects}).
 */
@Component("companyAccounts") // the bean name "accounts" is the platform's user accounts
public class Accounts {

    private final JdbcClient jdbc;
    private final Clock clock;

    Accounts(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * An account's fields as a CRM has them. {@code id} is the Kindling account already linked to the CRM's record
     * ({@code null} when none is yet); {@code domain} (lower case, no {@code www.}) links a new one to the account of
     * that domain when there is one. Blank values leave the account's own value.
     */
    public record AccountData(
            Long id, String name, String domain, String industry, Integer employees, String country) {}

    /** Create or update each account; returns the account ids, in order. One transaction. */
    @Transactional
    public List<Long> write(List<AccountData> accounts) {
        Instant now = clock.instant();
        List<Long> ids = new ArrayList<>(accounts.size());
        for (AccountData a : accounts) {
            Long id = a.id();
            if (id == null && a.domain() != null) {
                id = jdbc.sql("SELECT id FROM account WHERE domain = :domain")
                        .param("domain", a.domain())
                        .query(Long.class)
                        .optional()
                        .orElse(null);
            }
            if (id == null) {
                id = jdbc.sql("""
                        INSERT INTO account (name, domain, industry, employees, country, created_at)
                        VALUES (:name, :domain, :industry, :employees, :country, :now) RETURNING id""")
                        .param("name", a.name())
                        .param("domain", a.domain())
                        .param("industry", a.industry())
                        .param("employees", a.employees())
                        .param("country", a.country())
                        .param("now", Timestamp.from(now))
                        .query(Long.class)
                        .single();
            } else {
                jdbc.sql("""
                        UPDATE account SET name = coalesce(:name, name), industry = coalesce(:industry, industry),
                               employees = coalesce(:employees, employees), country = coalesce(:country, country)
                         WHERE id = :id""")
                        .param("id", id)
                        .param("name", a.name())
                        .param("industry", a.industry())
                        .param("employees", a.employees())
                        .param("country", a.country())
                        .update();
            }
            ids.add(id);
        }
        return ids;
    }
}
