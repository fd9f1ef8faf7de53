package dev.kindling.demo;

import dev.kindling.dataset.CampaignChannel;
import dev.kindling.dataset.Dataset;
import dev.kindling.dataset.GeneratedActivity;
import dev.kindling.dataset.GeneratedCampaign;
import dev.kindling.email.EmailHistory;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.intake.ActivityIntake;
import dev.kindling.intake.NewActivity;
import dev.kindling.intake.Visitors;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.springframework.stereotype.Component;

/**
 * The demo's year of newsletters and website visitors, written with the demo's prospects in its load transaction, so
 * the KPI dashboard's email rates and visitor → prospect have a history (docs/reports.md, "What the demo shows").
 *
 * <p><b>Newsletters.</b> Each email campaign of the dataset (a newsletter running about seven weeks) sends an issue
 * every week of its run, through the email module's history ({@link EmailHistory}): a template per campaign and a
 * completed send per issue. The generator's email opens, clicks, bounces and unsubscribes of a campaign belong to its
 * latest issue sent before them: the activities name that issue's template ({@code emailId}) and send
 * ({@code sendId}), as tracking names them, and each prospect who did something with an issue got it, with its first
 * open, click, bounce and unsubscribe marked on the message. The issue also went to others captured before the next
 * issue (at their capture when that came after the issue) and not unsubscribed or hard-bounced before it: as many as
 * make its open rate 25–35 % (all of them when even that is too few), so the rate is plausible.
 *
 * <p><b>Visitors.</b> {@value #ANONYMOUS_VISITORS} anonymous browsers over the year, arriving at the pace of the
 * captures (each up to three weeks before a random prospect's capture), one to three page views each and some a
 * return visit; and a quarter of the prospects browsed one to four pages in the three weeks before their capture, as
 * a visitor identified (linked) at the capture. The page views go through intake, like the tracking script's.
 *
 * <p>Everything comes from the dataset and {@link DemoData#SEED} only: the same dataset gives the same history.
 */
@Component
public class DemoHistory {

    static final int ANONYMOUS_VISITORS = 6_000;
    static final double IDENTIFIED_SHARE = 0.25;
    static final String SITE = "https://www.acme-cloud.example";

    private static final Set<ActivityType> EMAIL_EVENTS = Set.of(
            ActivityType.EMAIL_OPEN,
            ActivityType.EMAIL_CLICK,
            ActivityType.EMAIL_BOUNCE_SOFT,
            ActivityType.EMAIL_BOUNCE_HARD,
            ActivityType.UNSUBSCRIBE);
    private static final List<String> PAGES = List.of(
            "/",
            "/",
            "/",
            "/pricing",
            "/pricing",
            "/product",
            "/product/scoring",
            "/product/automation",
            "/blog/lead-scoring-basics",
            "/blog/mql-vs-sql",
            "/blog/attribution-models",
            "/case-studies",
            "/webinars",
            "/contact",
            "/security",
            "/docs/api");
    private static final List<String> REFERRERS = List.of(
            "https://www.google.com/",
            "https://www.google.com/",
            "https://www.bing.com/",
            "https://www.linkedin.com/",
            "https://news.ycombinator.com/");

    private final EmailHistory emails;
    private final ActivityIntake intake;
    private final Visitors visitors;

    DemoHistory(EmailHistory emails, ActivityIntake intake, Visitors visitors) {
        this.emails = emails;
        this.intake = intake;
        this.visitors = visitors;
    }

    /** The visitors written: all of them, those linked to a prospect, and their page views. */
    record Visits(int visitors, int identified, int pageViews) {}

    /** Starts the demo's history of {@code dataset}: records its newsletter issues. */
    Load start(Dataset dataset, long[] prospectIds, Instant now) {
        return new Load(dataset, prospectIds, now);
    }

    /** One load's history: the issues recorded, the email events seen in the activities, the visitors. */
    final class Load {

        private final Dataset dataset;
        private final long[] prospectIds;
        private final Instant now;
        private final Instant[] capturedAt;
        /** The issues in send order; by campaign index, the positions of its issues. */
        private final List<Issue> issues = new ArrayList<>();

        private final Map<Integer, List<Integer>> issuesOfCampaign = new HashMap<>();
        /** First open, click, bounce, unsubscribe by prospect index and issue position. */
        private final Map<Long, Instant[]> events = new HashMap<>();
        /** When a prospect unsubscribed or hard-bounced first: no issue after that reaches it. */
        private final Map<Integer, Instant> stopped = new HashMap<>();

        private record Issue(Instant sentAt, long templateId, long sendId) {}

        private Load(Dataset dataset, long[] prospectIds, Instant now) {
            this.dataset = dataset;
            this.prospectIds = prospectIds;
            this.now = now;
            this.capturedAt = dataset.prospects().map(p -> p.capturedAt()).toArray(Instant[]::new);
            List<GeneratedCampaign> campaigns = dataset.campaigns();
            // in send order: the campaigns come by start date, and those of one channel follow each other
            List<EmailHistory.Issue> planned = new ArrayList<>();
            List<Integer> campaignOf = new ArrayList<>();
            for (int c = 0; c < campaigns.size(); c++) {
                GeneratedCampaign campaign = campaigns.get(c);
                if (campaign.channel() != CampaignChannel.EMAIL) {
                    continue;
                }
                Instant end = campaign.endDate().atStartOfDay(ZoneOffset.UTC).toInstant();
                String subject = "News from Acme Cloud, "
                        + campaign.startDate().getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " "
                        + campaign.startDate().getYear();
                for (Instant at = campaign.startDate()
                                .atStartOfDay(ZoneOffset.UTC)
                                .toInstant();
                        at.isBefore(end) && at.isBefore(now);
                        at = at.plus(Duration.ofDays(7))) {
                    planned.add(new EmailHistory.Issue(
                            campaign.name(),
                            subject,
                            campaign.name() + ", " + at.toString().substring(0, 10),
                            at));
                    campaignOf.add(c);
                }
            }
            List<EmailHistory.Sent> sent = emails.recordIssues(planned);
            for (int i = 0; i < planned.size(); i++) {
                if (i > 0 && planned.get(i).sentAt().isBefore(planned.get(i - 1).sentAt())) {
                    throw new IllegalStateException("the dataset's email campaigns overlap");
                }
                issuesOfCampaign
                        .computeIfAbsent(campaignOf.get(i), k -> new ArrayList<>())
                        .add(i);
                issues.add(new Issue(
                        planned.get(i).sentAt(),
                        sent.get(i).templateId(),
                        sent.get(i).sendId()));
            }
        }

        /**
         * The activity as the demo queues it: an email event names the template and send of its campaign's latest
         * issue sent before it, and is remembered for the issue's message; anything else is unchanged.
         */
        GeneratedActivity track(GeneratedActivity a) {
            if (!EMAIL_EVENTS.contains(a.type()) || a.campaignIndex() == null) {
                return a;
            }
            List<Integer> ofCampaign = issuesOfCampaign.get(a.campaignIndex());
            if (ofCampaign == null) {
                return a;
            }
            int position = ofCampaign.getFirst();
            for (int p : ofCampaign) {
                if (!issues.get(p).sentAt().isAfter(a.occurredAt())) {
                    position = p;
                }
            }
            Issue issue = issues.get(position);
            Instant[] marks =
                    events.computeIfAbsent((long) a.prospectIndex() * issues.size() + position, k -> new Instant[4]);
            int mark = switch (a.type()) {
                case EMAIL_OPEN -> 0;
                case EMAIL_CLICK -> 1;
                case EMAIL_BOUNCE_SOFT, EMAIL_BOUNCE_HARD -> 2;
                default -> 3;
            };
            if (marks[mark] == null || a.occurredAt().isBefore(marks[mark])) {
                marks[mark] = a.occurredAt();
            }
            if (a.type() == ActivityType.UNSUBSCRIBE || a.type() == ActivityType.EMAIL_BOUNCE_HARD) {
                stopped.merge(a.prospectIndex(), a.occurredAt(), (x, y) -> x.isBefore(y) ? x : y);
            }
            Map<String, String> properties = new LinkedHashMap<>(a.properties());
            properties.put("emailId", Long.toString(issue.templateId()));
            properties.put("sendId", Long.toString(issue.sendId()));
            return new GeneratedActivity(
                    a.externalId(),
                    a.prospectIndex(),
                    a.email(),
                    a.type(),
                    a.customName(),
                    a.occurredAt(),
                    a.campaignIndex(),
                    properties);
        }

        /** Records every issue's messages, once all the activities went through {@link #track}. */
        int recordMessages() {
            List<EmailHistory.Message> messages = new ArrayList<>();
            for (int k = 0; k < issues.size(); k++) {
                Issue issue = issues.get(k);
                Instant next = k + 1 < issues.size() ? issues.get(k + 1).sentAt() : now;
                List<Integer> others = new ArrayList<>();
                int active = 0;
                for (int i = 0; i < prospectIds.length; i++) {
                    Instant[] marks = events.get((long) i * issues.size() + k);
                    Instant received = later(issue.sentAt(), capturedAt[i]);
                    if (marks != null) {
                        active++;
                        messages.add(message(issue, i, earliest(received, marks), marks));
                    } else if (capturedAt[i].isBefore(next)
                            && !stopped.getOrDefault(i, Instant.MAX).isBefore(received)) {
                        others.add(i);
                    }
                }
                SplittableRandom random = new SplittableRandom(DemoData.SEED * 1_000_003L + k);
                double rate = 0.25 + 0.10 * random.nextDouble();
                double share = others.isEmpty() ? 0 : Math.min(1.0, active * (1 / rate - 1) / others.size());
                for (int i : others) {
                    if (random.nextDouble() < share) {
                        messages.add(message(issue, i, later(issue.sentAt(), capturedAt[i]), new Instant[4]));
                    }
                }
            }
            return emails.recordMessages(messages);
        }

        private EmailHistory.Message message(Issue issue, int prospect, Instant sentAt, Instant[] marks) {
            return new EmailHistory.Message(
                    issue.sendId(), prospectIds[prospect], sentAt, marks[0], marks[1], marks[2], marks[3]);
        }

        /** The issues recorded. */
        int issues() {
            return issues.size();
        }

        /** Queues the visitors' page views through intake and links the identified ones. */
        Visits recordVisitors() {
            SplittableRandom random = new SplittableRandom(DemoData.SEED * 7_919L + 17);
            Instant start = dataset.periodStart();
            List<NewActivity> views = new ArrayList<>();
            for (int v = 0; v < ANONYMOUS_VISITORS; v++) {
                String visitor = "demo-browser-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
                // at the pace of the captures: up to three weeks before a random prospect's
                Instant first = later(
                        capturedAt[random.nextInt(capturedAt.length)].minusSeconds(random.nextLong(21 * 86_400L)),
                        start);
                double u = random.nextDouble();
                int count = 1 + (u < 0.35 ? 1 : 0) + (u < 0.12 ? 1 : 0);
                Instant at = first;
                for (int k = 0; k < count && at.isBefore(now); k++) {
                    views.add(view(visitor, k, at, k == 0, random));
                    at = at.plusSeconds(30 + random.nextInt(600));
                }
                if (random.nextDouble() < 0.15) {
                    Instant back = at.plus(Duration.ofHours(1 + random.nextInt(20 * 24)));
                    if (back.isBefore(now)) {
                        views.add(view(visitor, count, back, false, random));
                    }
                }
            }
            List<Visitors.Link> links = new ArrayList<>();
            for (int i = 0; i < prospectIds.length; i++) {
                if (random.nextDouble() >= IDENTIFIED_SHARE) {
                    continue;
                }
                Instant captured = capturedAt[i];
                Instant first = later(captured.minusSeconds(600 + random.nextLong(21 * 86_400L)), start);
                Instant last = captured.minusSeconds(60);
                if (!first.isBefore(last)) {
                    continue;
                }
                String visitor = "demo-browser-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
                int count = 1 + random.nextInt(4);
                long step = (last.getEpochSecond() - first.getEpochSecond()) / count;
                for (int k = 0; k < count; k++) {
                    views.add(view(visitor, k, first.plusSeconds(k * step), k == 0, random));
                }
                links.add(new Visitors.Link(visitor, prospectIds[i], captured));
            }
            intake.accept(views);
            visitors.linkAll(links);
            return new Visits(ANONYMOUS_VISITORS + links.size(), links.size(), views.size());
        }

        private NewActivity view(String visitor, int k, Instant at, boolean arrival, SplittableRandom random) {
            String page = PAGES.get(random.nextInt(PAGES.size()));
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("url", SITE + page);
            properties.put("title", "Acme Cloud " + (page.equals("/") ? "home" : page.substring(1)));
            if (arrival && random.nextInt(3) > 0) {
                properties.put("referrer", REFERRERS.get(random.nextInt(REFERRERS.size())));
            }
            return new NewActivity(
                    "demo-visit-" + visitor.substring("demo-browser-".length()) + "-" + k,
                    null,
                    null,
                    visitor,
                    ActivityType.PAGE_VIEW,
                    null,
                    at,
                    null,
                    properties,
                    false);
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** The message's send time: the issue (or the capture) unless something happened to it earlier. */
    private static Instant earliest(Instant received, Instant[] marks) {
        Instant at = received;
        for (Instant mark : marks) {
            if (mark != null && mark.isBefore(at)) {
                at = mark;
            }
        }
        return at;
    }
}
