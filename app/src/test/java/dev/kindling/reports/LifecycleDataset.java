package dev.kindling.reports;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A known lifecycle history for report tests, written with SQL the way the app writes it: the prospect (current
 * stage, capture time), one {@code stage_transition} per move (from the previous stage) and one
 * {@code stage_reached} row per stage at its first entry. Emails and sources carry a fresh tag, so tests sharing
 * one database never see each other's prospects when they segment by source; each test takes its own year. The
 * unsegmented totals count every prospect of the period, so the years are in the 1990s: activities may not be older
 * than 2000, so nothing the API takes in (the closed-loop cohorts of 2001–2019, whose prospects the inactivity job
 * recycles dated when their silence fell due, in the next year's first months) can enter these periods.
 *
 * <p>The history (day n = January 11th of {@code year}, 12:00 UTC, plus n days; the period is January 1st to
 * March 31st, i.e. days −10 … 79):
 * <pre>
 * P1 A  CAPTURED 0, ENGAGED 2, MQL 10, SQL 20, CUSTOMER 40            now CUSTOMER   visitor V1 first seen day −2
 * P2 A  CAPTURED 5, ENGAGED 6, MQL 15, RECYCLED 120 (after)           now RECYCLED
 * P3 A  CAPTURED 10                                                   now CAPTURED   visitor V5 first seen day 12
 * P4 A  CAPTURED 20, ENGAGED 21, MQL 25, SQL 31                       now SQL        visitor V2 first seen day 16
 * P5 B  CAPTURED 30, SQL 33 (a hand-raise: no MQL)                    now SQL
 * P6 A  CAPTURED −31, ENGAGED −20 (both before), MQL 3                now MQL
 * P7 A  CAPTURED 50, DISQUALIFIED 50                                  now DISQUALIFIED
 * V3    anonymous visitor first seen day 40; V4 a bot first seen day 41
 * </pre>
 * Source A is {@code "A-" + tag}; source B is {@code "=SUM(1+1),B-" + tag} (a formula, for the CSV guard).
 */
final class LifecycleDataset {

    final String tag = UUID.randomUUID().toString().substring(0, 8);
    final int year;
    final String sourceA;
    final String sourceB;
    final Map<String, Long> ids = new LinkedHashMap<>();
    private final JdbcClient jdbc;

    LifecycleDataset(JdbcClient jdbc, int year) {
        this.jdbc = jdbc;
        this.year = year;
        this.sourceA = "A-" + tag;
        this.sourceB = "=SUM(1+1),B-" + tag;
    }

    String from() {
        return year + "-01-01";
    }

    String to() {
        return year + "-03-31";
    }

    Instant day(double n) {
        return Instant.parse(year + "-01-11T12:00:00Z").plus(Duration.ofMinutes(Math.round(n * 24 * 60)));
    }

    LifecycleDataset write() {
        prospect("p1", sourceA, "CAPTURED", 0, "ENGAGED", 2, "MQL", 10, "SQL", 20, "CUSTOMER", 40);
        prospect("p2", sourceA, "CAPTURED", 5, "ENGAGED", 6, "MQL", 15, "RECYCLED", 120);
        prospect("p3", sourceA, "CAPTURED", 10);
        prospect("p4", sourceA, "CAPTURED", 20, "ENGAGED", 21, "MQL", 25, "SQL", 31);
        prospect("p5", sourceB, "CAPTURED", 30, "SQL", 33);
        prospect("p6", sourceA, "CAPTURED", -31, "ENGAGED", -20, "MQL", 3);
        prospect("p7", sourceA, "CAPTURED", 50, "DISQUALIFIED", 50);
        visitor("v1", ids.get("p1"), -2, false);
        visitor("v2", ids.get("p4"), 16, false);
        visitor("v3", null, 40, false);
        visitor("v4", null, 41, true);
        visitor("v5", ids.get("p3"), 12, false);
        return this;
    }

    /** A prospect with its stages in order: name, day, name, day, … — the last one is its current stage. */
    private void prospect(String name, String source, Object... stages) {
        List<String> names = new ArrayList<>();
        List<Instant> at = new ArrayList<>();
        for (int i = 0; i < stages.length; i += 2) {
            names.add((String) stages[i]);
            at.add(day(((Number) stages[i + 1]).doubleValue()));
        }
        Timestamp captured = Timestamp.from(at.getFirst());
        long id = jdbc.sql("""
                        INSERT INTO prospect (email, source, stage, captured_at, created_at, updated_at)
                        VALUES (:email, :source, :stage, :at, :at, :at) RETURNING id""")
                .param("email", name + "-" + tag + "@funnel.example")
                .param("source", source)
                .param("stage", names.getLast())
                .param("at", captured)
                .query(Long.class)
                .single();
        ids.put(name, id);
        for (int i = 0; i < names.size(); i++) {
            jdbc.sql("""
                            INSERT INTO stage_transition (prospect_id, from_stage, to_stage, at, cause)
                            VALUES (:id, :from, :to, :at, :cause)""")
                    .param("id", id)
                    .param("from", i == 0 ? null : names.get(i - 1))
                    .param("to", names.get(i))
                    .param("at", Timestamp.from(at.get(i)))
                    .param("cause", i == 0 ? "api" : "user:test")
                    .update();
            jdbc.sql("""
                            INSERT INTO stage_reached (prospect_id, stage, first_entered_at) VALUES (:id, :stage, :at)
                            ON CONFLICT DO NOTHING""")
                    .param("id", id)
                    .param("stage", names.get(i))
                    .param("at", Timestamp.from(at.get(i)))
                    .update();
        }
    }

    private void visitor(String name, Long prospectId, double day, boolean bot) {
        Timestamp at = Timestamp.from(day(day));
        jdbc.sql("""
                        INSERT INTO visitor (id, prospect_id, stage, first_seen_at, last_seen_at, bot)
                        VALUES (:id, :prospect, :stage, :at, :at, :bot)""")
                .param("id", name + "-" + tag)
                .param("prospect", prospectId)
                .param("stage", prospectId == null ? "ANONYMOUS" : "CAPTURED")
                .param("at", at)
                .param("bot", bot)
                .update();
    }
}
