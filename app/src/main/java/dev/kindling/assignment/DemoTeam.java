package dev.kindling.assignment;

import dev.kindling.people.Teams;
import dev.kindling.platform.security.Accounts;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The demo's sales side: an inside-sales team (manager Morgan, reps Riley and Sam) and a field-sales user, all
 * signing in with the admin's password, and assignment on MQL (round-robin in the team) and SQL (territories, the team
 * as fallback). Written in the demo loader's transaction, before its prospects are processed, so the demo MQLs are
 * assigned as they qualify.
 */
@Component
public class DemoTeam {

    static final String TEAM = "Inside sales";

    private record Person(String email, String name, String role, boolean inTeam) {}

    private static final List<Person> PEOPLE = List.of(
            new Person("morgan@demo.kindling.local", "Morgan Manager", "INSIDE_SALES", true),
            new Person("riley@demo.kindling.local", "Riley Rep", "INSIDE_SALES", true),
            new Person("sam@demo.kindling.local", "Sam Rep", "INSIDE_SALES", true),
            new Person("alex@demo.kindling.local", "Alex Account Executive", "SALES", false));

    private final JdbcClient jdbc;
    private final Clock clock;

    private final Teams teams;
    private final Accounts accounts;

    DemoTeam(JdbcClient jdbc, Clock clock, Teams teams, Accounts accounts) {
        this.teams = teams;
        this.accounts = accounts;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The demo users as "email (role)", for the start log. */
    public static List<String> users() {
        return PEOPLE.stream().map(p -> p.email() + " (" + p.role() + ")").toList();
    }

    /** Creates the team and its users unless a team of that name exists; returns whether it did. */
    public boolean create() {
        if (jdbc.sql("SELECT count(*) FROM team WHERE name = :name")
                        .param("name", TEAM)
                        .query(Long.class)
                        .single()
                > 0) {
            return false;
        }
        String hash = jdbc.sql(
                        "SELECT password_hash FROM app_user WHERE role = 'ADMIN' AND password_hash IS NOT NULL ORDER BY id LIMIT 1")
                .query(String.class)
                .optional()
                .orElse(null);
        Instant now = clock.instant();
        long team = teams.create(Map.of("name", TEAM)).id();
        List<Person> people = PEOPLE;
        Long manager = null;
        for (int i = 0; i < people.size(); i++) {
            Person p = people.get(i);
            // a second apart: the oldest user is the first in the round-robin
            long id = accounts.createOrMoveToTeam(
                    p.email(),
                    p.name(),
                    p.role(),
                    hash,
                    p.inTeam() ? team : null,
                    now.minus(Duration.ofSeconds(people.size() - i)));
            if (manager == null) {
                manager = id;
            }
        }
        teams.update(team, Map.of("managerId", manager));
        jdbc.sql("""
                        UPDATE assignment_setting SET mode = CASE stage WHEN 'MQL' THEN 'ROUND_ROBIN' ELSE 'TERRITORY' END,
                               team_id = :team, updated_at = :now""").param("team", team).param("now", Timestamp.from(now)).update();
        return true;
    }
}
