package dev.kindling.reports;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A known history for the KPI dashboard, written with SQL the way the app writes it, in one year of the 1960s (the
 * dashboard reads whole tables by period, so each test class takes its own year, written once; no other test writes
 * anything before 1985). The period asked for is June; the previous period is May 2nd … 31st (30 days); the monthly
 * trend runs from July of the year before to June. Times are 12:00 UTC unless said.
 * <pre>
 * prospect  stages                                              visitor first seen   ledger (ACTIVITY unless said)
 * A   CAPTURED Jun 2, MQL Jun 5, SAL Jun 6, SQL Jun 10, CUSTOMER Jun 20   Jun 1           Jun 25
 * B   CAPTURED Jun 3, MQL Jun 8, SAL Jun 9                    Jun 3 10:00            May 30 (before its capture)
 * C   CAPTURED Jun 4                                           Jun 6 (after capture)  Jun 10, Jun 11
 * D   CAPTURED May 10, MQL Jun 12, SQL Jun 15                  May 9                  Jun 20 (MANUAL)
 * E   CAPTURED Jun 15, DISQUALIFIED Jun 15
 * F   CAPTURED May 5, MQL May 20, SQL May 25, CUSTOMER May 30                         May 21
 * anonymous visitors Jun 7, May 15 and May 16; a bot visitor Jun 8
 * opportunities (contact role): O1 (A) created Jun 10 won Jun 20; O2 (C) created Jun 12 lost Jun 25;
 *                O3 created Jun 14 open; O4 (F) created May 20 won Jun 24; O5 created May 25 won May 30
 * campaigns: K1 3,000.00 Jun 1–30; K2 620.00 May 1–31; K3 100.00 without dates, created Jun 15
 * email (SENT): Jun 1 A opened + clicked, B opened, C clicked (no open mark), D nothing; E suppressed;
 *               May 10 F opened, D nothing
 * activities: A form Jun 2, file Jun 4, email click Jun 6 (after its MQL); B form Jun 3, file Jun 4 as a bot,
 *             email open Jun 7; F form May 6
 * </pre>
 * A, D and F have the source {@link #source}. The form's name starts with "=" (a formula, for the CSV guard).
 */
final class KpiDataset {

    final String tag = UUID.randomUUID().toString().substring(0, 8);
    final Map<String, Long> ids = new LinkedHashMap<>();
    final String formName = "=Demo request " + tag;
    final String fileName = "Whitepaper " + tag;
    final String linkId = "kpi-file-" + tag;
    final String emailName = "Newsletter " + tag;
    /** The source of A, D and F (the others have none). */
    final String source = "S-" + tag;

    final int year;
    long templateId;
    private final JdbcClient jdbc;

    KpiDataset(JdbcClient jdbc, int year) {
        this.jdbc = jdbc;
        this.year = year;
    }

    String from() {
        return year + "-06-01";
    }

    String to() {
        return year + "-06-30";
    }

    private Instant at(String monthDay) {
        return Instant.parse(year + "-" + (monthDay.length() == 5 ? monthDay + "T12:00:00Z" : monthDay));
    }

    KpiDataset write() {
        prospect("A", "CAPTURED", "06-02", "MQL", "06-05", "SAL", "06-06", "SQL", "06-10", "CUSTOMER", "06-20");
        prospect("B", "CAPTURED", "06-03", "MQL", "06-08", "SAL", "06-09");
        prospect("C", "CAPTURED", "06-04");
        prospect("D", "CAPTURED", "05-10", "MQL", "06-12", "SQL", "06-15");
        prospect("E", "CAPTURED", "06-15", "DISQUALIFIED", "06-15");
        prospect("F", "CAPTURED", "05-05", "MQL", "05-20", "SQL", "05-25", "CUSTOMER", "05-30");
        visitor("vA", "A", "06-01", false);
        visitor("vB", "B", "06-03T10:00:00Z", false);
        visitor("vC", "C", "06-06", false);
        visitor("vD", "D", "05-09", false);
        visitor("anon1", null, "06-07", false);
        visitor("anon2", null, "05-15", false);
        visitor("anon3", null, "05-16", false);
        visitor("bot", null, "06-08", true);
        ledger("A", "06-25", "ACTIVITY");
        ledger("B", "05-30", "ACTIVITY");
        ledger("C", "06-10", "ACTIVITY");
        ledger("C", "06-11", "ACTIVITY");
        ledger("D", "06-20", "MANUAL");
        ledger("F", "05-21", "ACTIVITY");
        opportunity("O1", "06-10", "WON", "06-20", "A");
        opportunity("O2", "06-12", "LOST", "06-25", "C");
        opportunity("O3", "06-14", "OPEN", null, null);
        opportunity("O4", "05-20", "WON", "06-24", "F");
        opportunity("O5", "05-25", "WON", "05-30", null);
        campaign("K1", "3000.00", year + "-06-01", year + "-06-30");
        campaign("K2", "620.00", year + "-05-01", year + "-05-31");
        campaign("K3", "100.00", null, null);
        templateId = jdbc.sql("""
                        INSERT INTO email_template (name, subject, html, text_body, created_at, updated_at)
                        VALUES (:name, 'Hello', '<p>Hello</p>', 'Hello', now(), now()) RETURNING id""").param("name", emailName).query(Long.class).single();
        email("A", "06-01", true, true, false);
        email("B", "06-01", true, false, false);
        email("C", "06-01", false, true, false);
        email("D", "06-01", false, false, false);
        email("E", "06-01", false, false, true);
        email("F", "05-10", true, false, false);
        email("D", "05-10", false, false, false);
        activity(
                "A",
                "FORM_SUBMIT",
                "06-02",
                false,
                "{\"formKey\": \"kpi-" + tag + "\", \"formName\": \"" + formName + "\"}");
        activity(
                "A",
                "FILE_DOWNLOAD",
                "06-04",
                false,
                "{\"linkId\": \"" + linkId + "\", \"assetName\": \"" + fileName + "\"}");
        activity("A", "EMAIL_CLICK", "06-06", false, "{\"emailId\": \"" + templateId + "\"}");
        activity(
                "B",
                "FORM_SUBMIT",
                "06-03",
                false,
                "{\"formKey\": \"kpi-" + tag + "\", \"formName\": \"" + formName + "\"}");
        activity(
                "B",
                "FILE_DOWNLOAD",
                "06-04",
                true,
                "{\"linkId\": \"" + linkId + "\", \"assetName\": \"" + fileName + "\"}");
        activity("B", "EMAIL_OPEN", "06-07", false, "{\"emailId\": \"" + templateId + "\"}");
        activity(
                "F",
                "FORM_SUBMIT",
                "05-06",
                false,
                "{\"formKey\": \"kpi-" + tag + "\", \"formName\": \"" + formName + "\"}");
        return this;
    }

    /** A prospect with its stages in order: stage, day, stage, day, … — the last one is its current stage. */
    private void prospect(String name, String... stages) {
        List<String> names = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < stages.length; i += 2) {
            names.add(stages[i]);
            times.add(at(stages[i + 1]));
        }
        Timestamp captured = Timestamp.from(times.getFirst());
        long id = jdbc.sql("""
                        INSERT INTO prospect (email, source, stage, captured_at, created_at, updated_at)
                        VALUES (:email, :source, :stage, :at, :at, :at) RETURNING id""")
                .param("email", name.toLowerCase() + "-" + tag + "@kpis.example")
                .param("stage", names.getLast())
                .param("source", List.of("A", "D", "F").contains(name) ? source : null)
                .param("at", captured)
                .query(Long.class)
                .single();
        ids.put(name, id);
        for (int i = 0; i < names.size(); i++) {
            jdbc.sql("""
                            INSERT INTO stage_transition (prospect_id, from_stage, to_stage, at, cause)
                            VALUES (:id, :from, :to, :at, 'user:test')""")
                    .param("id", id)
                    .param("from", i == 0 ? null : names.get(i - 1))
                    .param("to", names.get(i))
                    .param("at", Timestamp.from(times.get(i)))
                    .update();
            jdbc.sql("INSERT INTO stage_reached (prospect_id, stage, first_entered_at) VALUES (:id, :stage, :at)")
                    .param("id", id)
                    .param("stage", names.get(i))
                    .param("at", Timestamp.from(times.get(i)))
                    .update();
        }
    }

    private void visitor(String name, String prospect, String day, boolean bot) {
        jdbc.sql("""
                        INSERT INTO visitor (id, prospect_id, stage, first_seen_at, last_seen_at, bot)
                        VALUES (:id, :prospect, :stage, :at, :at, :bot)""")
                .param("id", name + "-" + tag)
                .param("prospect", prospect == null ? null : ids.get(prospect))
                .param("stage", prospect == null ? "ANONYMOUS" : "CAPTURED")
                .param("at", Timestamp.from(at(day)))
                .param("bot", bot)
                .update();
    }

    private void ledger(String prospect, String day, String kind) {
        jdbc.sql("""
                        INSERT INTO score_ledger (prospect_id, at, kind, delta, result, reason)
                        VALUES (:id, :at, :kind, 5, 5, 'test')""")
                .param("id", ids.get(prospect))
                .param("at", Timestamp.from(at(day)))
                .param("kind", kind)
                .update();
    }

    private void opportunity(String name, String created, String status, String closed, String contact) {
        long id = jdbc.sql("""
                        INSERT INTO opportunity (name, amount, currency, stage, status, lost_reason, created_at,
                                                 updated_at, closed_at)
                        VALUES (:name, 1000, 'EUR', 'Proposal', :status, :reason, :created, :created, :closed)
                        RETURNING id""")
                .param("name", name + " " + tag)
                .param("status", status)
                .param("reason", status.equals("LOST") ? "PRICE" : null)
                .param("created", Timestamp.from(at(created)))
                .param("closed", closed == null ? null : Timestamp.from(at(closed)))
                .query(Long.class)
                .single();
        if (contact != null) {
            jdbc.sql("""
                            INSERT INTO opportunity_contact_role (opportunity_id, prospect_id, role, created_at)
                            VALUES (:o, :p, 'DECISION_MAKER', now())""").param("o", id).param("p", ids.get(contact)).update();
        }
    }

    private void campaign(String name, String cost, String start, String end) {
        ids.put(
                name,
                jdbc.sql("""
                        INSERT INTO campaign (name, channel, cost, start_date, end_date, created_at)
                        VALUES (:name, 'ADS', :cost, CAST(:start AS date), CAST(:end AS date), :created)
                        RETURNING id""")
                        .param("name", name + " " + tag)
                        .param("cost", new BigDecimal(cost))
                        .param("start", start)
                        .param("end", end)
                        .param("created", Timestamp.from(at("06-15")))
                        .query(Long.class)
                        .single());
    }

    private void email(String prospect, String day, boolean opened, boolean clicked, boolean suppressed) {
        Timestamp sent = Timestamp.from(at(day));
        Timestamp later = Timestamp.from(at(day).plusSeconds(3600));
        jdbc.sql("""
                        INSERT INTO email_message (send_key, template_id, prospect_id, status, suppressed_reason,
                                                   created_at, opened_at, clicked_at)
                        VALUES (:key, :template, :prospect, :status, :reason, :sent, :opened, :clicked)""")
                .param("key", "kpi-" + tag + "-" + prospect + "-" + day)
                .param("template", templateId)
                .param("prospect", ids.get(prospect))
                .param("status", suppressed ? "SUPPRESSED" : "SENT")
                .param("reason", suppressed ? "OPTED_OUT" : null)
                .param("sent", sent)
                .param("opened", opened ? later : null)
                .param("clicked", clicked ? later : null)
                .update();
    }

    private void activity(String prospect, String type, String day, boolean bot, String properties) {
        Timestamp when = Timestamp.from(at(day));
        jdbc.sql("""
                        INSERT INTO activity (external_id, type, occurred_at, received_at, prospect_id, properties, bot,
                                              processed_at)
                        VALUES (:external, :type, :at, :at, :prospect, CAST(:properties AS jsonb), :bot, :at)""")
                .param("external", "kpi-" + tag + "-" + prospect + "-" + type + "-" + day)
                .param("type", type)
                .param("at", when)
                .param("prospect", ids.get(prospect))
                .param("properties", properties)
                .param("bot", bot)
                .update();
    }
}
