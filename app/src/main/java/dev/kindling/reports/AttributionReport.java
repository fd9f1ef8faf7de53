package dev.kindling.reports;

import dev.kindling.engine.attribution.Attribution;
import dev.kindling.engine.attribution.AttributionModel;
import dev.kindling.engine.attribution.Basis;
import dev.kindling.engine.attribution.Credit;
import dev.kindling.engine.attribution.Opportunity;
import dev.kindling.engine.attribution.Touch;
import dev.kindling.platform.database.ReportDatabase;
import dev.kindling.platform.web.NotFoundException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Multi-touch attribution and campaign ROI (docs/attribution.md): loads the basis's opportunities and all their
 * contact roles' campaign touches in two set-based statements, has the engine ({@link Attribution}) credit each
 * opportunity, and adds the credits up per campaign and channel.
 */
@Component
public class AttributionReport {

    static final String NO_TOUCH = "(no touch)";

    private final JdbcClient jdbc;

    AttributionReport(ReportDatabase reports) {
        this.jdbc = reports.jdbc();
    }

    /** A campaign as the reports show it. */
    record CampaignInfo(long id, String name, String channel, BigDecimal cost) {}

    /** One opportunity of the basis with what the engine needs of it. */
    record Path(long id, String name, Opportunity opportunity) {}

    /** An opportunity's credits under one model. */
    record Credited(Path path, List<Credit> credits) {}

    /** The attribution report: the rows' credits add up to {@code total}. */
    public record Result(String model, String basis, LocalDate from, LocalDate to, BigDecimal total, List<Row> rows) {}

    /** One campaign's credit (the {@code (no touch)} row has no campaign); {@code opportunities} is fractional. */
    public record Row(
            Long campaignId,
            String campaignName,
            String channel,
            BigDecimal cost,
            BigDecimal opportunities,
            BigDecimal credit,
            BigDecimal roi) {}

    /** The per-campaign ROI report, and the same per channel. */
    public record CampaignReport(String model, LocalDate from, LocalDate to, List<Roi> campaigns, List<Roi> channels) {}

    /**
     * ROI figures of a campaign (or channel, or the {@code (no touch)} row): cost, prospects acquired in the period
     * (first touch) and MQLs among them, credited opportunities and pipeline (basis pipeline), credited won deals
     * and won revenue (basis won), ROI and costs per lead, MQL, opportunity and won deal; and the same credits
     * under {@code PRIMARY_CAMPAIGN}. Null where a division has no denominator or the model has no pipeline.
     */
    public record Roi(
            Long campaignId,
            String campaignName,
            String channel,
            BigDecimal cost,
            long prospects,
            long mqls,
            BigDecimal opportunities,
            BigDecimal pipeline,
            BigDecimal wonDeals,
            BigDecimal won,
            BigDecimal roi,
            BigDecimal costPerLead,
            BigDecimal costPerMql,
            BigDecimal costPerOpportunity,
            BigDecimal costPerWonDeal,
            BigDecimal primaryOpportunities,
            BigDecimal primaryPipeline,
            BigDecimal primaryWonDeals,
            BigDecimal primaryWon,
            BigDecimal primaryRoi) {}

    /** The drill-down of one campaign: its credit under each model, and the opportunities and touches behind it. */
    public record Drill(
            long campaignId, String campaignName, List<ModelCredit> models, List<DrillOpportunity> opportunities) {}

    /** How much one model credits the campaign. */
    public record ModelCredit(String model, BigDecimal opportunities, BigDecimal credit) {}

    /** An opportunity that gives the campaign credit, with all its credited touches. */
    public record DrillOpportunity(
            long id, String name, BigDecimal amount, BigDecimal credit, List<DrillTouch> touches) {}

    /** A credited touch of a drilled-down opportunity. */
    public record DrillTouch(
            Long campaignId,
            String campaignName,
            Instant at,
            String prospectEmail,
            BigDecimal share,
            BigDecimal credit) {}

    /** {@code GET /api/v1/reports/attribution}. */
    public Result attribution(AttributionQuery q) {
        List<Credited> credited = credit(paths(q.basis(), q), q);
        Map<Long, CampaignInfo> campaigns = campaigns();
        Map<Long, long[]> cents = new LinkedHashMap<>();
        Map<Long, Double> shares = new HashMap<>();
        long total = 0;
        for (Credited c : credited) {
            total += c.path().opportunity().amountCents();
            for (Credit credit : c.credits()) {
                cents.computeIfAbsent(credit.campaignId(), k -> new long[1])[0] += credit.cents();
                shares.merge(credit.campaignId(), credit.share(), Double::sum);
            }
        }
        List<Row> rows = new ArrayList<>();
        cents.forEach((id, c) -> {
            CampaignInfo info = id == null ? null : campaigns.get(id);
            BigDecimal credit = money(c[0]);
            rows.add(new Row(
                    id,
                    info == null ? NO_TOUCH : info.name(),
                    info == null ? null : info.channel(),
                    info == null ? null : info.cost(),
                    fraction(shares.get(id)),
                    credit,
                    info == null ? null : roi(credit, info.cost())));
        });
        rows.sort(Comparator.comparing((Row r) -> r.campaignId() == null)
                .thenComparing(Row::credit, Comparator.reverseOrder())
                .thenComparing(Row::campaignName));
        return new Result(q.model().name(), q.basis().name(), q.from(), q.to(), money(total), rows);
    }

    /** {@code GET /api/v1/reports/campaigns}: every campaign, the {@code (no touch)} row, and the channels. */
    public CampaignReport campaigns(AttributionQuery q) {
        Map<Long, CampaignInfo> campaigns = campaigns();
        List<Path> pipeline = paths(Basis.PIPELINE, q);
        List<Path> won = paths(Basis.WON, q);
        boolean hasPipeline = q.model().supports(Basis.PIPELINE);
        Map<Long, double[]> modelPipeline =
                hasPipeline ? totals(credit(pipeline, q.with(q.model(), Basis.PIPELINE))) : new HashMap<>();
        Map<Long, double[]> modelWon = totals(credit(won, q.with(q.model(), Basis.WON)));
        Map<Long, double[]> primaryPipeline =
                totals(credit(pipeline, q.with(AttributionModel.PRIMARY_CAMPAIGN, Basis.PIPELINE)));
        Map<Long, double[]> primaryWon = totals(credit(won, q.with(AttributionModel.PRIMARY_CAMPAIGN, Basis.WON)));
        Map<Long, long[]> acquired = acquired(q);

        List<Long> keys = new ArrayList<>(campaigns.keySet());
        keys.add(null);
        List<Roi> rows = new ArrayList<>();
        Map<String, List<Long>> byChannel = new LinkedHashMap<>();
        for (Long id : keys) {
            CampaignInfo info = id == null ? null : campaigns.get(id);
            rows.add(roi(
                    id,
                    info == null ? NO_TOUCH : info.name(),
                    info == null ? null : info.channel(),
                    info == null ? null : info.cost(),
                    java.util.Collections.singletonList(id),
                    acquired,
                    hasPipeline,
                    modelPipeline,
                    modelWon,
                    primaryPipeline,
                    primaryWon));
            if (info != null) {
                byChannel
                        .computeIfAbsent(info.channel(), k -> new ArrayList<>())
                        .add(id);
            }
        }
        List<Roi> channels = new ArrayList<>();
        byChannel.forEach((channel, ids) -> channels.add(roi(
                null,
                null,
                channel,
                ids.stream().map(i -> campaigns.get(i).cost()).reduce(BigDecimal.ZERO, BigDecimal::add),
                ids,
                acquired,
                hasPipeline,
                modelPipeline,
                modelWon,
                primaryPipeline,
                primaryWon)));
        return new CampaignReport(q.model().name(), q.from(), q.to(), rows, channels);
    }

    /** The drill-down of one campaign under the query's basis; the models side by side and its opportunities. */
    public Drill drill(AttributionQuery q, long campaignId) {
        Map<Long, CampaignInfo> campaigns = campaigns();
        if (!campaigns.containsKey(campaignId)) {
            throw new NotFoundException("No campaign " + campaignId);
        }
        List<Path> paths = paths(q.basis(), q);
        List<ModelCredit> models = new ArrayList<>();
        for (AttributionModel model : AttributionModel.values()) {
            if (model.supports(q.basis())) {
                double[] t = totals(credit(paths, q.with(model, q.basis()))).getOrDefault(campaignId, new double[2]);
                models.add(new ModelCredit(model.name(), fraction(t[1]), money((long) t[0])));
            }
        }
        List<Credited> credited = credit(paths, q).stream()
                .filter(c -> c.credits().stream()
                        .anyMatch(x -> Long.valueOf(campaignId).equals(x.campaignId())))
                .toList();
        Map<Long, String> emails = emails(credited);
        List<DrillOpportunity> opportunities = new ArrayList<>();
        for (Credited c : credited) {
            long mine = 0;
            List<DrillTouch> touches = new ArrayList<>();
            for (Credit x : c.credits()) {
                if (Long.valueOf(campaignId).equals(x.campaignId())) {
                    mine += x.cents();
                }
                CampaignInfo info = x.campaignId() == null ? null : campaigns.get(x.campaignId());
                touches.add(new DrillTouch(
                        x.campaignId(),
                        info == null ? NO_TOUCH : info.name(),
                        x.touch() == null ? null : x.touch().at(),
                        x.touch() == null ? null : emails.get(x.touch().prospectId()),
                        fraction(x.share()),
                        money(x.cents())));
            }
            opportunities.add(new DrillOpportunity(
                    c.path().id(), c.path().name(), money(c.path().opportunity().amountCents()), money(mine), touches));
        }
        opportunities.sort(
                Comparator.comparing(DrillOpportunity::credit).reversed().thenComparingLong(DrillOpportunity::id));
        return new Drill(campaignId, campaigns.get(campaignId).name(), models, opportunities);
    }

    List<Credited> credit(List<Path> paths, AttributionQuery q) {
        List<Credited> out = new ArrayList<>(paths.size());
        for (Path p : paths) {
            out.add(new Credited(
                    p, Attribution.credit(p.opportunity(), q.model(), q.basis(), q.lookbackDays(), q.halfLifeDays())));
        }
        return out;
    }

    /** Cents [0] and fractional opportunities [1] per campaign (null: no touch). */
    private static Map<Long, double[]> totals(List<Credited> credited) {
        Map<Long, double[]> totals = new HashMap<>();
        for (Credited c : credited) {
            for (Credit credit : c.credits()) {
                double[] t = totals.computeIfAbsent(credit.campaignId(), k -> new double[2]);
                t[0] += credit.cents();
                t[1] += credit.share();
            }
        }
        return totals;
    }

    private static Roi roi(
            Long id,
            String name,
            String channel,
            BigDecimal cost,
            List<Long> ids,
            Map<Long, long[]> acquired,
            boolean hasPipeline,
            Map<Long, double[]> pipeline,
            Map<Long, double[]> won,
            Map<Long, double[]> primaryPipeline,
            Map<Long, double[]> primaryWon) {
        long prospects = 0;
        long mqls = 0;
        double[] p = new double[2];
        double[] w = new double[2];
        double[] pp = new double[2];
        double[] pw = new double[2];
        for (Long i : ids) {
            long[] a = acquired.getOrDefault(i, new long[2]);
            prospects += a[0];
            mqls += a[1];
            add(p, pipeline.get(i));
            add(w, won.get(i));
            add(pp, primaryPipeline.get(i));
            add(pw, primaryWon.get(i));
        }
        BigDecimal wonMoney = money((long) w[0]);
        BigDecimal primaryWonMoney = money((long) pw[0]);
        return new Roi(
                id,
                name,
                channel,
                cost,
                prospects,
                mqls,
                hasPipeline ? fraction(p[1]) : null,
                hasPipeline ? money((long) p[0]) : null,
                fraction(w[1]),
                wonMoney,
                roi(wonMoney, cost),
                per(cost, prospects),
                per(cost, mqls),
                hasPipeline ? per(cost, p[1]) : null,
                per(cost, w[1]),
                fraction(pp[1]),
                money((long) pp[0]),
                fraction(pw[1]),
                primaryWonMoney,
                roi(primaryWonMoney, cost));
    }

    private static void add(double[] into, double[] value) {
        if (value != null) {
            into[0] += value[0];
            into[1] += value[1];
        }
    }

    static BigDecimal money(long cents) {
        return BigDecimal.valueOf(cents, 2);
    }

    private static BigDecimal fraction(Double value) {
        return value == null
                ? BigDecimal.ZERO.setScale(4)
                : BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_UP);
    }

    /** (return − cost) / cost, null when the cost is 0 or unknown. */
    private static BigDecimal roi(BigDecimal revenue, BigDecimal cost) {
        return cost == null || cost.signum() == 0
                ? null
                : revenue.subtract(cost).divide(cost, 4, RoundingMode.HALF_UP);
    }

    private static BigDecimal per(BigDecimal cost, double count) {
        return cost == null || count <= 1e-9 ? null : cost.divide(BigDecimal.valueOf(count), 2, RoundingMode.HALF_UP);
    }

    Map<Long, CampaignInfo> campaigns() {
        Map<Long, CampaignInfo> map = new LinkedHashMap<>();
        jdbc.sql("SELECT id, name, channel, cost FROM campaign ORDER BY name, id")
                .query(rs -> {
                    map.put(
                            rs.getLong("id"),
                            new CampaignInfo(
                                    rs.getLong("id"),
                                    rs.getString("name"),
                                    rs.getString("channel"),
                                    rs.getBigDecimal("cost")));
                });
        return map;
    }

    private static final String BASIS_PIPELINE = "o.created_at >= :start AND o.created_at < :end";
    private static final String BASIS_WON = "o.status = 'WON' AND o.closed_at >= :start AND o.closed_at < :end";

    /**
     * The basis's opportunities with their touches: every non-bot activity with a campaign of each contact role
     * before the milestone and within the lookback, and each role's acquisition campaign at its capture (the engine
     * counts an equal activity touch once). Two statements, whatever the number of opportunities.
     */
    List<Path> paths(Basis basis, AttributionQuery q) {
        String where = basis == Basis.PIPELINE ? BASIS_PIPELINE : BASIS_WON;
        String milestone = basis == Basis.PIPELINE ? "o.created_at" : "o.closed_at";
        Timestamp start = Timestamp.from(q.start());
        Timestamp end = Timestamp.from(q.end());
        Map<Long, List<Touch>> touches = new HashMap<>();
        jdbc.sql("""
                        WITH r AS (
                            SELECT cr.opportunity_id, cr.prospect_id, %s AS milestone
                              FROM opportunity o JOIN opportunity_contact_role cr ON cr.opportunity_id = o.id
                             WHERE %s)
                        SELECT r.opportunity_id, x.campaign_id, (extract(epoch FROM x.at) * 1000000)::bigint, x.prospect_id
                          FROM r CROSS JOIN LATERAL (
                               SELECT a.campaign_id, a.occurred_at AS at, a.prospect_id FROM activity a
                                WHERE a.prospect_id = r.prospect_id AND a.campaign_id IS NOT NULL AND NOT a.bot
                                  AND a.occurred_at < r.milestone
                                  AND a.occurred_at >= r.milestone - make_interval(days => :lookback)
                               UNION ALL
                               SELECT p.campaign_id, p.captured_at, p.id FROM prospect p
                                WHERE p.id = r.prospect_id AND p.campaign_id IS NOT NULL
                          ) x""".formatted(milestone, where))
                .param("start", start)
                .param("end", end)
                .param("lookback", q.lookbackDays())
                .query(rs -> {
                    // the time as epoch microseconds: cheaper to read than a timestamp, and as exact
                    touches.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new Touch(
                                    rs.getLong(2),
                                    Instant.EPOCH.plus(rs.getLong(3), java.time.temporal.ChronoUnit.MICROS),
                                    rs.getLong(4)));
                });
        return jdbc.sql("""
                        SELECT o.id, o.name, o.amount, o.created_at, o.closed_at, o.primary_campaign_id,
                               (SELECT min(p.captured_at) FROM opportunity_contact_role cr
                                  JOIN prospect p ON p.id = cr.prospect_id
                                 WHERE cr.opportunity_id = o.id) AS lead_at
                          FROM opportunity o
                         WHERE %s
                         ORDER BY o.id""".formatted(where))
                .param("start", start)
                .param("end", end)
                .query((rs, n) -> {
                    long id = rs.getLong("id");
                    Timestamp closed = rs.getTimestamp("closed_at");
                    Timestamp lead = rs.getTimestamp("lead_at");
                    Long primary = rs.getObject("primary_campaign_id", Long.class);
                    return new Path(
                            id,
                            rs.getString("name"),
                            new Opportunity(
                                    rs.getBigDecimal("amount").movePointRight(2).longValueExact(),
                                    lead == null ? null : lead.toInstant(),
                                    rs.getTimestamp("created_at").toInstant(),
                                    closed == null ? null : closed.toInstant(),
                                    primary,
                                    touches.getOrDefault(id, List.of())));
                })
                .list();
    }

    /**
     * Prospects captured in the period per campaign of their first touch (the earliest campaign touch, the
     * acquisition campaign at capture included), [0], and how many of them reached MQL, [1].
     */
    private Map<Long, long[]> acquired(AttributionQuery q) {
        Map<Long, long[]> map = new HashMap<>();
        jdbc.sql("""
                        SELECT f.campaign_id, count(*) AS prospects,
                               count(*) FILTER (WHERE EXISTS (SELECT 1 FROM stage_reached s
                                                               WHERE s.prospect_id = p.id AND s.stage = 'MQL')) AS mqls
                          FROM prospect p
                          LEFT JOIN LATERAL (
                              SELECT t.campaign_id FROM (
                                  SELECT a.campaign_id, a.occurred_at AS at FROM activity a
                                   WHERE a.prospect_id = p.id AND a.campaign_id IS NOT NULL AND NOT a.bot
                                  UNION ALL
                                  SELECT p.campaign_id, p.captured_at WHERE p.campaign_id IS NOT NULL) t
                               ORDER BY t.at, t.campaign_id LIMIT 1) f ON true
                         WHERE p.captured_at >= :start AND p.captured_at < :end
                         GROUP BY f.campaign_id""")
                .param("start", Timestamp.from(q.start()))
                .param("end", Timestamp.from(q.end()))
                .query(rs -> {
                    map.put((Long) rs.getObject(1, Long.class), new long[] {rs.getLong(2), rs.getLong(3)});
                });
        return map;
    }

    private Map<Long, String> emails(List<Credited> credited) {
        Long[] ids = credited.stream()
                .flatMap(c -> c.credits().stream())
                .filter(c -> c.touch() != null)
                .map(c -> c.touch().prospectId())
                .distinct()
                .toArray(Long[]::new);
        Map<Long, String> map = new HashMap<>();
        if (ids.length > 0) {
            jdbc.sql("SELECT id, email FROM prospect WHERE id = ANY(:ids)")
                    .param("ids", ids)
                    .query(rs -> {
                        map.put(rs.getLong(1), rs.getString(2));
                    });
        }
        return map;
    }
}
