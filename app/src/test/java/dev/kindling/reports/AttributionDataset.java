package dev.kindling.reports;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A known attribution history in its own year, written with SQL as the app stores it (day n = January 1st of
 * {@code year} + n days, noon UTC; each test class takes its own year):
 * <pre>
 * campaigns  A (EMAIL, cost 1,000), B (WEBINAR, cost 500), C (ADS, cost 0)
 * P1  page view of C on day 3 (anonymous, linked later); captured day 10 with acquisition campaign A, and an email
 *     activity of A at that same instant (one touch, not two); webinar B day 20; a bot page view of C day 25
 *     (ignored); page view C day 30; a page view without campaign day 35; email A day 50
 * P2  captured day 12 without campaign; page view C day 15
 * P3  captured day 100 with acquisition campaign A, reached MQL
 * O1  1,000.00, created day 40, won day 60, primary campaign B; contact roles P1 (primary) and P2
 * O2  500.00, created day 45, open, no contact role: "(no touch)"
 * </pre>
 * O1's touches before its creation: C@3, A@10 (the lead creation: the earliest capture of its contacts is day 10),
 * C@15, B@20, C@30 (the opportunity creation).
 */
final class AttributionDataset {

    final String tag = UUID.randomUUID().toString().substring(0, 8);
    final int year;
    long campaignA;
    long campaignB;
    long campaignC;
    long o1;
    long o2;
    private final JdbcClient jdbc;
    private int activities;

    AttributionDataset(JdbcClient jdbc, int year) {
        this.jdbc = jdbc;
        this.year = year;
    }

    String from() {
        return year + "-01-01";
    }

    String to() {
        return year + "-12-31";
    }

    Instant day(int n) {
        return LocalDate.of(year, 1, 1).plusDays(n).atTime(12, 0).toInstant(ZoneOffset.UTC);
    }

    AttributionDataset write() {
        campaignA = campaign("Email A " + tag, "EMAIL", "1000.00");
        campaignB = campaign("Webinar B " + tag, "WEBINAR", "500.00");
        campaignC = campaign("<b>Ads C</b> " + tag, "ADS", "0");
        long p1 = prospect("p1", 10, campaignA);
        long p2 = prospect("p2", 12, null);
        long p3 = prospect("p3", 100, campaignA);
        jdbc.sql("INSERT INTO stage_reached (prospect_id, stage, first_entered_at) VALUES (:p, 'MQL', :at)")
                .param("p", p3)
                .param("at", Timestamp.from(day(101)))
                .update();
        activity(p1, "PAGE_VIEW", 3, campaignC, false);
        activity(p1, "EMAIL_OPEN", 10, campaignA, false);
        activity(p1, "WEBINAR_ATTENDED", 20, campaignB, false);
        activity(p1, "PAGE_VIEW", 25, campaignC, true);
        activity(p1, "PAGE_VIEW", 30, campaignC, false);
        activity(p1, "PAGE_VIEW", 35, null, false);
        activity(p1, "EMAIL_OPEN", 50, campaignA, false);
        activity(p2, "PAGE_VIEW", 15, campaignC, false);
        o1 = opportunity("Deal one " + tag, "1000.00", 40, 60, campaignB);
        o2 = opportunity("Deal two " + tag, "500.00", 45, null, null);
        role(o1, p1, true);
        role(o1, p2, false);
        return this;
    }

    private long campaign(String name, String channel, String cost) {
        return jdbc.sql("""
                        INSERT INTO campaign (name, channel, cost, created_at) VALUES (:name, :channel, :cost, now())
                        RETURNING id""")
                .param("name", name)
                .param("channel", channel)
                .param("cost", new BigDecimal(cost))
                .query(Long.class)
                .single();
    }

    private long prospect(String name, int capturedDay, Long campaign) {
        Timestamp at = Timestamp.from(day(capturedDay));
        return jdbc.sql("""
                        INSERT INTO prospect (email, campaign_id, captured_at, created_at, updated_at)
                        VALUES (:email, :campaign, :at, :at, :at) RETURNING id""")
                .param("email", name + "-" + tag + "@attribution.example")
                .param("campaign", campaign)
                .param("at", at)
                .query(Long.class)
                .single();
    }

    private void activity(long prospect, String type, int day, Long campaign, boolean bot) {
        Timestamp at = Timestamp.from(day(day));
        jdbc.sql("""
                        INSERT INTO activity (external_id, type, occurred_at, received_at, prospect_id, campaign_id, bot,
                                              processed_at)
                        VALUES (:ext, :type, :at, :at, :prospect, :campaign, :bot, :at)""")
                .param("ext", "attribution-" + tag + "-" + (++activities))
                .param("type", type)
                .param("at", at)
                .param("prospect", prospect)
                .param("campaign", campaign)
                .param("bot", bot)
                .update();
    }

    private long opportunity(String name, String amount, int createdDay, Integer wonDay, Long primary) {
        return jdbc.sql("""
                        INSERT INTO opportunity (name, amount, currency, stage, status, created_at, updated_at,
                                                 closed_at, primary_campaign_id)
                        VALUES (:name, :amount, 'USD', :stage, :status, :created, :created, :closed, :primary)
                        RETURNING id""")
                .param("name", name)
                .param("amount", new BigDecimal(amount))
                .param("stage", wonDay == null ? "Discovery" : "Closed Won")
                .param("status", wonDay == null ? "OPEN" : "WON")
                .param("created", Timestamp.from(day(createdDay)))
                .param("closed", wonDay == null ? null : Timestamp.from(day(wonDay)))
                .param("primary", primary)
                .query(Long.class)
                .single();
    }

    private void role(long opportunity, long prospect, boolean primary) {
        jdbc.sql("""
                        INSERT INTO opportunity_contact_role (opportunity_id, prospect_id, role, is_primary, created_at)
                        VALUES (:o, :p, 'DECISION_MAKER', :primary, now())""")
                .param("o", opportunity)
                .param("p", prospect)
                .param("primary", primary)
                .update();
    }
}
