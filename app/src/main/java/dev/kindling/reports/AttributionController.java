package dev.kindling.reports;

import dev.kindling.platform.database.ReportDatabase;
import dev.kindling.platform.web.Csv;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/reports/attribution} and {@code GET /api/v1/reports/campaigns}: multi-touch attribution and
 * campaign ROI as JSON, or as CSV ({@code Accept: text/csv} or {@code format=csv}). Parameters: see
 * {@link AttributionQuery}. {@code GET /api/v1/reports/attribution/campaigns/{id}}: one campaign's drill-down, JSON or
 * CSV.
 */
@RestController
class AttributionController {

    private final AttributionReport report;
    private final ReportDatabase reports;

    AttributionController(AttributionReport report, ReportDatabase reports) {
        this.report = report;
        this.reports = reports;
    }

    @GetMapping(path = "/api/v1/reports/attribution", produces = MediaType.APPLICATION_JSON_VALUE)
    AttributionReport.Result attribution(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String model,
            @RequestParam(required = false) String basis,
            @RequestParam(required = false) String lookbackDays,
            @RequestParam(required = false) String halfLifeDays) {
        AttributionQuery q = AttributionQuery.parse(from, to, model, basis, lookbackDays, halfLifeDays);
        return reports.read(() -> report.attribution(q)).value();
    }

    @GetMapping(path = "/api/v1/reports/attribution", produces = "text/csv")
    ResponseEntity<String> attributionCsv(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String model,
            @RequestParam(required = false) String basis,
            @RequestParam(required = false) String lookbackDays,
            @RequestParam(required = false) String halfLifeDays) {
        AttributionQuery q = AttributionQuery.parse(from, to, model, basis, lookbackDays, halfLifeDays);
        return csv(reports.read(() -> report.attribution(q)).value());
    }

    @GetMapping(path = "/api/v1/reports/campaigns", produces = MediaType.APPLICATION_JSON_VALUE)
    AttributionReport.CampaignReport campaigns(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String model,
            @RequestParam(required = false) String lookbackDays,
            @RequestParam(required = false) String halfLifeDays) {
        AttributionQuery q = AttributionQuery.parse(from, to, model, "won", lookbackDays, halfLifeDays);
        return reports.read(() -> report.campaigns(q)).value();
    }

    @GetMapping(path = "/api/v1/reports/campaigns", produces = "text/csv")
    ResponseEntity<String> campaignsCsv(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String model,
            @RequestParam(required = false) String lookbackDays,
            @RequestParam(required = false) String halfLifeDays) {
        AttributionQuery q = AttributionQuery.parse(from, to, model, "won", lookbackDays, halfLifeDays);
        return csv(reports.read(() -> report.campaigns(q)).value());
    }

    /**
     * The drill-down of one campaign: its credit under every model of the basis, and the opportunities and touches
     * that earned it. 404 for an unknown campaign.
     */
    @GetMapping(
            path = "/api/v1/reports/attribution/campaigns/{campaignId}",
            produces = MediaType.APPLICATION_JSON_VALUE)
    AttributionReport.Drill drill(
            @PathVariable long campaignId,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String model,
            @RequestParam(required = false) String basis,
            @RequestParam(required = false) String lookbackDays,
            @RequestParam(required = false) String halfLifeDays) {
        AttributionQuery q = AttributionQuery.parse(from, to, model, basis, lookbackDays, halfLifeDays);
        return reports.read(() -> report.drill(q, campaignId)).value();
    }

    @GetMapping(path = "/api/v1/reports/attribution/campaigns/{campaignId}", produces = "text/csv")
    ResponseEntity<String> drillCsv(
            @PathVariable long campaignId,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String model,
            @RequestParam(required = false) String basis,
            @RequestParam(required = false) String lookbackDays,
            @RequestParam(required = false) String halfLifeDays) {
        AttributionQuery q = AttributionQuery.parse(from, to, model, basis, lookbackDays, halfLifeDays);
        return csv(q, reports.read(() -> report.drill(q, campaignId)).value());
    }

    /** One row per credited touch of each opportunity that credits the campaign; prospect data guarded by Csv. */
    static ResponseEntity<String> csv(AttributionQuery q, AttributionReport.Drill d) {
        Csv csv = new Csv(
                "opportunity_id",
                "opportunity_name",
                "amount",
                "campaign_credit",
                "touch_campaign_id",
                "touch_campaign_name",
                "touch_at",
                "prospect_email",
                "share",
                "credit");
        for (AttributionReport.DrillOpportunity o : d.opportunities()) {
            for (AttributionReport.DrillTouch t : o.touches()) {
                csv.row(
                        o.id(),
                        o.name(),
                        plain(o.amount()),
                        plain(o.credit()),
                        t.campaignId(),
                        t.campaignName(),
                        t.at() == null ? null : t.at().toString(),
                        t.prospectEmail(),
                        plain(t.share()),
                        plain(t.credit()));
            }
        }
        return download(
                "attribution-campaign-" + d.campaignId() + "-"
                        + q.model().name().toLowerCase(java.util.Locale.ROOT) + "-"
                        + q.basis().name().toLowerCase(java.util.Locale.ROOT) + "-" + q.from()
                        + "-" + q.to() + ".csv",
                csv);
    }

    static ResponseEntity<String> csv(AttributionReport.Result r) {
        Csv csv = new Csv("campaign_id", "campaign_name", "channel", "cost", "opportunities", "credit", "roi");
        r.rows()
                .forEach(row -> csv.row(
                        row.campaignId(),
                        row.campaignName(),
                        row.channel(),
                        plain(row.cost()),
                        plain(row.opportunities()),
                        plain(row.credit()),
                        plain(row.roi())));
        return download(
                "attribution-" + r.model().toLowerCase(java.util.Locale.ROOT) + "-"
                        + r.basis().toLowerCase(java.util.Locale.ROOT) + "-" + r.from() + "-" + r.to() + ".csv",
                csv);
    }

    static ResponseEntity<String> csv(AttributionReport.CampaignReport r) {
        Csv csv = new Csv(
                "level",
                "campaign_id",
                "campaign_name",
                "channel",
                "cost",
                "prospects",
                "mqls",
                "opportunities",
                "pipeline",
                "won_deals",
                "won",
                "roi",
                "cost_per_lead",
                "cost_per_mql",
                "cost_per_opportunity",
                "cost_per_won_deal",
                "primary_opportunities",
                "primary_pipeline",
                "primary_won_deals",
                "primary_won",
                "primary_roi");
        r.campaigns().forEach(x -> csv.row(roiCells("campaign", x)));
        r.channels().forEach(x -> csv.row(roiCells("channel", x)));
        return download(
                "campaigns-" + r.model().toLowerCase(java.util.Locale.ROOT) + "-" + r.from() + "-" + r.to() + ".csv",
                csv);
    }

    private static Object[] roiCells(String level, AttributionReport.Roi x) {
        return new Object[] {
            level,
            x.campaignId(),
            x.campaignName(),
            x.channel(),
            plain(x.cost()),
            x.prospects(),
            x.mqls(),
            plain(x.opportunities()),
            plain(x.pipeline()),
            plain(x.wonDeals()),
            plain(x.won()),
            plain(x.roi()),
            plain(x.costPerLead()),
            plain(x.costPerMql()),
            plain(x.costPerOpportunity()),
            plain(x.costPerWonDeal()),
            plain(x.primaryOpportunities()),
            plain(x.primaryPipeline()),
            plain(x.primaryWonDeals()),
            plain(x.primaryWon()),
            plain(x.primaryRoi())
        };
    }

    private static String plain(java.math.BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }

    private static ResponseEntity<String> download(String name, Csv csv) {
        return ResponseEntity.ok()
                .contentType(Csv.MEDIA_TYPE)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"")
                .body(csv.toString());
    }
}
