package dev.kindling.dataset;

import dev.kindling.dataset.Vocabulary.Country;
import dev.kindling.dataset.Vocabulary.Department;
import dev.kindling.dataset.Vocabulary.JapaneseName;
import dev.kindling.engine.activity.ActivityType;
import java.math.BigDecimal;
import java.text.Normalizer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A generated Kindling dataset: a pure function of (size, seed, period end).
 *
 * <p>Every account and prospect is computed from its own index with its own random stream,
 * so they can be produced in any order without holding the others. Activities are streamed:
 * prospects are taken in blocks of {@value #BLOCK} and each block's activities are emitted in
 * time order, so a batch of consecutive activities touches many prospects (like a live feed)
 * while memory stays bounded by one block. Only the per-prospect activity counts (one
 * {@code int} per prospect) and the campaigns are held.
 *
 * <p>Shape: activity per prospect follows a Zipf–Mandelbrot law over a shuffled rank (most
 * prospects do little, a few do a lot); the type mix is about 70 % page views, 15 % email
 * opens, 8 % email clicks, 2 % form submits and 5 % other; webinars, events and demo requests
 * happen only to the most engaged ~15 % and late in their life; activity times lie between a
 * prospect's capture and the period end, skewed towards recent.
 */
public final class Dataset {

    static final int BLOCK = 1024;

    private static final double ZIPF_EXPONENT = 1.1;
    private static final double ENGAGED_SHARE = 0.15;
    private static final double FREE_MAIL_SHARE = 0.12;
    private static final int NAME_COMBINATIONS = 60 * 60 * 60;
    private static final int NAME_STRIDE = 104_729;

    private static final long CAMPAIGNS = 1;
    private static final long ACCOUNTS = 2;
    private static final long PROSPECTS = 3;
    private static final long ACTIVITIES = 4;
    private static final long RANKS = 5;

    private final DatasetSize size;
    private final long seed;
    private final Instant periodEnd;
    private final Instant periodStart;
    private final List<GeneratedCampaign> campaigns;
    private final int[][] campaignsByChannelSlot;
    private final int[] activityCounts;
    private final int engagedThreshold;

    private Dataset(DatasetSize size, long seed, Instant periodEnd) {
        this.size = size;
        this.seed = seed;
        this.periodEnd = periodEnd.truncatedTo(ChronoUnit.SECONDS);
        this.periodStart = this.periodEnd.minus(size.periodDays(), ChronoUnit.DAYS);
        this.campaignsByChannelSlot = new int[CampaignChannel.values().length][];
        this.campaigns = generateCampaigns();
        this.activityCounts = new int[size.prospects()];
        this.engagedThreshold = distributeActivityCounts();
    }

    /** The dataset of {@code size} for {@code seed} whose history ends at {@code periodEnd}. */
    public static Dataset of(DatasetSize size, long seed, Instant periodEnd) {
        return new Dataset(size, seed, periodEnd);
    }

    public DatasetSize size() {
        return size;
    }

    public long seed() {
        return seed;
    }

    public Instant periodStart() {
        return periodStart;
    }

    public Instant periodEnd() {
        return periodEnd;
    }

    public List<GeneratedCampaign> campaigns() {
        return campaigns;
    }

    public Stream<GeneratedAccount> accounts() {
        return IntStream.range(0, size.accounts()).mapToObj(this::account);
    }

    public Stream<GeneratedProspect> prospects() {
        return IntStream.range(0, size.prospects()).mapToObj(this::prospect);
    }

    /** How many activities the prospect at {@code prospectIndex} has over the whole period. */
    public int activityCount(int prospectIndex) {
        return activityCounts[prospectIndex];
    }

    /** All {@link DatasetSize#activities()} activities in stream order; use {@code limit} to take fewer. */
    public Stream<GeneratedActivity> activities() {
        return StreamSupport.stream(
                Spliterators.spliterator(
                        new ActivityIterator(),
                        size.activities(),
                        Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.SIZED),
                false);
    }

    public void forEachActivity(Consumer<GeneratedActivity> consumer) {
        new ActivityIterator().forEachRemaining(consumer);
    }

    // --- campaigns -------------------------------------------------------------------------

    private List<GeneratedCampaign> generateCampaigns() {
        SplittableRandom random = random(CAMPAIGNS, 0);
        record Planned(CampaignChannel channel, int slot, LocalDate start, LocalDate end) {}
        double[] shares = {0.30, 0.10, 0.15, 0.10, 0.20, 0.05, 0.10};
        List<Planned> planned = new ArrayList<>();
        LocalDate first = LocalDate.ofInstant(periodStart, ZoneOffset.UTC);
        for (CampaignChannel channel : CampaignChannel.values()) {
            int count = Math.max(1, (int) Math.round(size.campaigns() * shares[channel.ordinal()]));
            campaignsByChannelSlot[channel.ordinal()] = new int[count];
            double slotDays = (double) size.periodDays() / count;
            for (int slot = 0; slot < count; slot++) {
                LocalDate start = first.plusDays((long) (slot * slotDays));
                LocalDate end = first.plusDays((long) ((slot + 1) * slotDays));
                planned.add(new Planned(channel, slot, start, end));
            }
        }
        planned.sort(Comparator.comparing(Planned::start).thenComparing(Planned::channel));
        List<GeneratedCampaign> result = new ArrayList<>(planned.size());
        for (Planned p : planned) {
            campaignsByChannelSlot[p.channel().ordinal()][p.slot()] = result.size();
            result.add(new GeneratedCampaign(
                    campaignName(p.channel(), p.start(), random),
                    p.channel(),
                    campaignCost(p.channel(), random),
                    p.start(),
                    p.end()));
        }
        return List.copyOf(result);
    }

    private static String campaignName(CampaignChannel channel, LocalDate start, SplittableRandom random) {
        String month = start.toString().substring(0, 7);
        return switch (channel) {
            case EMAIL -> month + " newsletter";
            case WEB -> month + " website: " + pick(random, List.of("pricing page test", "blog series", "SEO push"));
            case WEBINAR -> "Webinar " + month + ": " + pick(random, Vocabulary.WEBINAR_TOPICS);
            case EVENT -> pick(random, Vocabulary.EVENTS) + " " + start.getYear();
            case ADS -> pick(random, Vocabulary.AD_NETWORKS) + " " + month;
            case LIST_PURCHASE -> "Purchased list " + month;
            case OTHER -> "Partner referral " + month;
        };
    }

    private static BigDecimal campaignCost(CampaignChannel channel, SplittableRandom random) {
        int[] range = switch (channel) {
            case EMAIL -> new int[] {0, 2_000};
            case WEB -> new int[] {0, 5_000};
            case WEBINAR -> new int[] {2_000, 15_000};
            case EVENT -> new int[] {10_000, 80_000};
            case ADS -> new int[] {5_000, 50_000};
            case LIST_PURCHASE -> new int[] {3_000, 20_000};
            case OTHER -> new int[] {0, 5_000};
        };
        return BigDecimal.valueOf(range[0] * 100L + random.nextLong((range[1] - range[0]) * 100L + 1), 2);
    }

    /** The campaign of {@code channel} running at {@code at}: campaigns of one channel tile the period. */
    private int campaignAt(CampaignChannel channel, Instant at) {
        int[] slots = campaignsByChannelSlot[channel.ordinal()];
        double position = (double) (at.getEpochSecond() - periodStart.getEpochSecond())
                / (periodEnd.getEpochSecond() - periodStart.getEpochSecond());
        return slots[Math.min(slots.length - 1, Math.max(0, (int) (position * slots.length)))];
    }

    // --- accounts --------------------------------------------------------------------------

    /** The account at {@code index}; its name and domain come from a bijection of the index, so domains are unique. */
    public GeneratedAccount account(int index) {
        SplittableRandom random = random(ACCOUNTS, index);
        int combination = (int) Math.floorMod(index * (long) NAME_STRIDE + seed, (long) NAME_COMBINATIONS);
        String firstPart = Vocabulary.NAME_FIRST_PARTS.get(combination / 3600);
        String secondPart = Vocabulary.NAME_SECOND_PARTS.get(combination / 60 % 60);
        int ending = combination % 60;
        String endingWord = Vocabulary.NAME_ENDINGS.get(ending);
        String industry = Vocabulary.INDUSTRIES.get(ending / 4);
        Country country = country(random);
        String tld = random.nextInt(2) == 0 ? country.tld() : ".com";
        String suffix = index < NAME_COMBINATIONS ? "" : Integer.toString(index);
        String domain = (firstPart + secondPart).toLowerCase(Locale.ROOT) + "-" + endingWord.toLowerCase(Locale.ROOT)
                + suffix + tld;
        String name = firstPart + secondPart + " " + endingWord + " " + country.legalForm();
        int employees = employees(random);
        return new GeneratedAccount(name, domain, industry, employees, country.code(), tier(employees));
    }

    private static int employees(SplittableRandom random) {
        double u = random.nextDouble();
        if (u < 0.40) {
            return 1 + random.nextInt(50);
        } else if (u < 0.70) {
            return 51 + random.nextInt(150);
        } else if (u < 0.88) {
            return 201 + random.nextInt(800);
        } else if (u < 0.97) {
            return 1_001 + random.nextInt(4_000);
        }
        return 5_001 + random.nextInt(95_000);
    }

    private static String tier(int employees) {
        if (employees > 5_000) {
            return "STRATEGIC";
        } else if (employees > 1_000) {
            return "ENTERPRISE";
        } else if (employees > 200) {
            return "MID_MARKET";
        }
        return "SMB";
    }

    private static Country country(SplittableRandom random) {
        int u = random.nextInt(100);
        for (Country country : Vocabulary.COUNTRIES) {
            u -= country.weight();
            if (u < 0) {
                return country;
            }
        }
        return Vocabulary.COUNTRIES.getFirst();
    }

    // --- prospects -------------------------------------------------------------------------

    /** The prospect at {@code index}; its email embeds the index, so emails are unique. */
    public GeneratedProspect prospect(int index) {
        SplittableRandom random = random(PROSPECTS, index);
        // Larger share of prospects at low account indexes: some accounts are much busier.
        int accountIndex = (int) (size.accounts() * Math.pow(random.nextDouble(), 1.5));
        GeneratedAccount account = account(accountIndex);
        String country = random.nextInt(10) == 0 ? country(random).code() : account.country();
        boolean japanese = country.equals("JP");
        String firstName;
        String lastName;
        String localPart;
        if (japanese) {
            JapaneseName first = pick(random, Vocabulary.JAPANESE_FIRST_NAMES);
            JapaneseName last = pick(random, Vocabulary.JAPANESE_LAST_NAMES);
            firstName = first.written();
            lastName = last.written();
            localPart = first.romanised() + "." + last.romanised();
        } else {
            firstName = pick(random, Vocabulary.FIRST_NAMES);
            lastName = pick(random, Vocabulary.LAST_NAMES);
            localPart = ascii(firstName) + "." + ascii(lastName);
        }
        boolean freeMail = random.nextDouble() < FREE_MAIL_SHARE;
        String mailDomain = freeMail
                ? pick(random, japanese ? Vocabulary.JAPANESE_FREE_MAIL_DOMAINS : Vocabulary.FREE_MAIL_DOMAINS)
                : account.domain();
        String email = localPart + index + "@" + mailDomain;
        Department department = department(random);
        String jobTitle = japanese && random.nextBoolean()
                ? pick(random, Vocabulary.JAPANESE_TITLES)
                : englishTitle(department, random);
        String source = pick(random, Vocabulary.SOURCES);
        Instant capturedAt = capturedAt(index, random);
        CampaignChannel channel = sourceChannel(source, random);
        Integer campaignIndex = channel == null ? null : campaignAt(channel, capturedAt);
        return new GeneratedProspect(
                email,
                firstName,
                lastName,
                account.name(),
                jobTitle,
                department.name(),
                account.industry(),
                account.employees(),
                country,
                phone(country, random),
                "https://www." + account.domain(),
                source,
                accountIndex,
                campaignIndex,
                capturedAt);
    }

    private Instant capturedAt(int index, SplittableRandom random) {
        // Busy prospects have been known for longer; capture dates overall lean recent.
        double position = Math.pow(random.nextDouble(), 0.6);
        if (activityCounts[index] >= engagedThreshold) {
            position *= 0.6;
        }
        long span = periodEnd.getEpochSecond() - periodStart.getEpochSecond();
        return periodStart.plusSeconds((long) (position * span));
    }

    private static CampaignChannel sourceChannel(String source, SplittableRandom random) {
        return switch (source) {
            case "Webinar" -> CampaignChannel.WEBINAR;
            case "Trade Show" -> CampaignChannel.EVENT;
            case "Paid Search", "LinkedIn" -> CampaignChannel.ADS;
            case "List Import" -> CampaignChannel.LIST_PURCHASE;
            case "Content Syndication" -> CampaignChannel.OTHER;
            case "Website" -> random.nextBoolean() ? CampaignChannel.WEB : null;
            default -> null;
        };
    }

    private static Department department(SplittableRandom random) {
        int u = random.nextInt(100);
        for (Department department : Vocabulary.DEPARTMENTS) {
            u -= department.weight();
            if (u < 0) {
                return department;
            }
        }
        return Vocabulary.DEPARTMENTS.getFirst();
    }

    private static String englishTitle(Department department, SplittableRandom random) {
        int u = random.nextInt(100);
        if (department.name().equals("Executive")) {
            return u < 40
                    ? pick(random, List.of("CEO", "COO", "President"))
                    : pick(random, department.individualTitles());
        }
        if (u < 4) {
            return "Chief " + department.chiefWord() + " Officer";
        } else if (u < 12) {
            return "VP of " + department.name();
        } else if (u < 27) {
            return "Director of " + department.name();
        } else if (u < 55) {
            return department.name() + " Manager";
        }
        return pick(random, department.individualTitles());
    }

    private static String phone(String countryCode, SplittableRandom random) {
        String callingCode = Vocabulary.COUNTRIES.stream()
                .filter(c -> c.code().equals(countryCode))
                .findFirst()
                .orElseThrow()
                .callingCode();
        return switch (countryCode) {
            case "US", "CA" ->
                "%s %03d-555-%04d".formatted(callingCode, 200 + random.nextInt(800), random.nextInt(10_000));
            case "JP" -> "%s 3-%04d-%04d".formatted(callingCode, random.nextInt(10_000), random.nextInt(10_000));
            default ->
                "%s %d %04d %04d"
                        .formatted(
                                callingCode, 10 + random.nextInt(90), random.nextInt(10_000), random.nextInt(10_000));
        };
    }

    private static String ascii(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFD)
                .replaceAll("[^A-Za-z]", "")
                .toLowerCase(Locale.ROOT);
    }

    // --- activities ------------------------------------------------------------------------

    /**
     * Spreads exactly {@link DatasetSize#activities()} over the prospects by a Zipf–Mandelbrot
     * weight of a shuffled rank, and returns the count above which a prospect is "engaged".
     */
    private int distributeActivityCounts() {
        int n = size.prospects();
        long total = size.activities();
        double offset = Math.max(10.0, n / 2000.0);
        double[] weights = new double[n];
        double sum = 0;
        for (int rank = 0; rank < n; rank++) {
            weights[rank] = Math.pow(rank + offset, -ZIPF_EXPONENT);
            sum += weights[rank];
        }
        int[] byRank = new int[n];
        long assigned = 0;
        for (int rank = 0; rank < n; rank++) {
            byRank[rank] = (int) Math.floor(total * weights[rank] / sum);
            assigned += byRank[rank];
        }
        for (int rank = 0; assigned < total; rank = (rank + 1) % n) {
            byRank[rank]++;
            assigned++;
        }
        int[] indexOfRank = IntStream.range(0, n).toArray();
        SplittableRandom random = random(RANKS, 0);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = indexOfRank[i];
            indexOfRank[i] = indexOfRank[j];
            indexOfRank[j] = swap;
        }
        for (int rank = 0; rank < n; rank++) {
            activityCounts[indexOfRank[rank]] = byRank[rank];
        }
        return Math.max(1, byRank[(int) (n * ENGAGED_SHARE)]);
    }

    private List<GeneratedActivity> activitiesOf(GeneratedProspect prospect, int index) {
        int count = activityCounts[index];
        List<GeneratedActivity> result = new ArrayList<>(count);
        SplittableRandom random = random(ACTIVITIES, index);
        boolean engaged = count >= engagedThreshold;
        long from = prospect.capturedAt().getEpochSecond();
        long span = Math.max(1, periodEnd.getEpochSecond() - from);
        for (int k = 0; k < count; k++) {
            ActivityType type = activityType(engaged, random);
            boolean late = type == ActivityType.DEMO_REQUEST
                    || type == ActivityType.WEBINAR_ATTENDED
                    || type == ActivityType.EVENT_ATTENDED;
            double position = Math.pow(random.nextDouble(), 0.7);
            if (late) {
                position = 0.5 + 0.5 * position;
            }
            Instant occurredAt =
                    Instant.ofEpochSecond(Math.min(from + (long) (position * span), periodEnd.getEpochSecond() - 1));
            Integer campaignIndex = activityCampaign(type, occurredAt, random);
            String customName = type == ActivityType.CUSTOM ? pick(random, Vocabulary.CUSTOM_NAMES) : null;
            result.add(new GeneratedActivity(
                    "g" + seed + "-" + index + "-" + k,
                    index,
                    prospect.email(),
                    type,
                    customName,
                    occurredAt,
                    campaignIndex,
                    properties(type, campaignIndex, random)));
        }
        return result;
    }

    private static ActivityType activityType(boolean engaged, SplittableRandom random) {
        double u = random.nextDouble();
        if (u < 0.70) {
            return ActivityType.PAGE_VIEW;
        } else if (u < 0.85) {
            return ActivityType.EMAIL_OPEN;
        } else if (u < 0.93) {
            return ActivityType.EMAIL_CLICK;
        } else if (u < 0.95) {
            return ActivityType.FORM_SUBMIT;
        }
        int v = random.nextInt(100);
        if (engaged) {
            if (v < 18) {
                return ActivityType.WEBINAR_REGISTERED;
            } else if (v < 30) {
                return ActivityType.WEBINAR_ATTENDED;
            } else if (v < 48) {
                return ActivityType.FILE_DOWNLOAD;
            } else if (v < 60) {
                return ActivityType.TRACKED_LINK_CLICK;
            } else if (v < 66) {
                return ActivityType.EVENT_ATTENDED;
            } else if (v < 72) {
                return ActivityType.DEMO_REQUEST;
            } else if (v < 78) {
                return ActivityType.CHAT;
            } else if (v < 88) {
                return ActivityType.CUSTOM;
            } else if (v < 92) {
                return ActivityType.EMAIL_BOUNCE_SOFT;
            } else if (v < 96) {
                return ActivityType.FORM_ERROR;
            }
            return ActivityType.UNSUBSCRIBE;
        }
        if (v < 30) {
            return ActivityType.FILE_DOWNLOAD;
        } else if (v < 55) {
            return ActivityType.TRACKED_LINK_CLICK;
        } else if (v < 67) {
            return ActivityType.EMAIL_BOUNCE_SOFT;
        } else if (v < 72) {
            return ActivityType.EMAIL_BOUNCE_HARD;
        } else if (v < 80) {
            return ActivityType.UNSUBSCRIBE;
        } else if (v < 90) {
            return ActivityType.FORM_ERROR;
        }
        return ActivityType.CUSTOM;
    }

    private Integer activityCampaign(ActivityType type, Instant at, SplittableRandom random) {
        return switch (type) {
            case EMAIL_OPEN, EMAIL_CLICK, EMAIL_BOUNCE_SOFT, EMAIL_BOUNCE_HARD, UNSUBSCRIBE ->
                campaignAt(CampaignChannel.EMAIL, at);
            case WEBINAR_REGISTERED, WEBINAR_ATTENDED -> campaignAt(CampaignChannel.WEBINAR, at);
            case EVENT_ATTENDED -> campaignAt(CampaignChannel.EVENT, at);
            case PAGE_VIEW -> random.nextInt(4) == 0 ? campaignAt(CampaignChannel.ADS, at) : null;
            default -> null;
        };
    }

    private Map<String, String> properties(ActivityType type, Integer campaignIndex, SplittableRandom random) {
        Map<String, String> properties = new LinkedHashMap<>(4);
        switch (type) {
            case PAGE_VIEW, TRACKED_LINK_CLICK -> {
                properties.put("url", Vocabulary.SITE + pick(random, Vocabulary.PAGES));
                if (campaignIndex != null) {
                    properties.put("utm_source", campaigns.get(campaignIndex).name());
                }
            }
            case EMAIL_OPEN, EMAIL_BOUNCE_SOFT, EMAIL_BOUNCE_HARD, UNSUBSCRIBE ->
                properties.put("emailId", "email-" + campaignIndex);
            case EMAIL_CLICK -> {
                properties.put("emailId", "email-" + campaignIndex);
                properties.put("linkUrl", Vocabulary.SITE + pick(random, Vocabulary.PAGES));
            }
            case FORM_SUBMIT, FORM_ERROR -> properties.put("formName", pick(random, Vocabulary.FORMS));
            case DEMO_REQUEST -> properties.put("formName", "Demo request");
            case FILE_DOWNLOAD -> properties.put("assetName", pick(random, Vocabulary.ASSETS));
            case WEBINAR_REGISTERED, WEBINAR_ATTENDED, EVENT_ATTENDED ->
                properties.put("name", campaigns.get(campaignIndex).name());
            case CHAT -> properties.put("topic", pick(random, List.of("pricing", "integrations", "security")));
            case CUSTOM -> properties.put("plan", pick(random, List.of("starter", "growth", "enterprise")));
            default -> {}
        }
        return Collections.unmodifiableMap(properties);
    }

    /** Emits the activities of consecutive blocks of prospects, each block in time order. */
    private final class ActivityIterator implements Iterator<GeneratedActivity> {

        private static final Comparator<GeneratedActivity> TIME_ORDER = Comparator.comparing(
                        GeneratedActivity::occurredAt)
                .thenComparingInt(GeneratedActivity::prospectIndex)
                .thenComparing(GeneratedActivity::externalId);

        private int nextProspect;
        private List<GeneratedActivity> block = List.of();
        private int position;

        @Override
        public boolean hasNext() {
            while (position == block.size() && nextProspect < size.prospects()) {
                List<GeneratedActivity> next = new ArrayList<>();
                int end = Math.min(size.prospects(), nextProspect + BLOCK);
                for (int index = nextProspect; index < end; index++) {
                    if (activityCounts[index] > 0) {
                        next.addAll(activitiesOf(prospect(index), index));
                    }
                }
                next.sort(TIME_ORDER);
                nextProspect = end;
                block = next;
                position = 0;
            }
            return position < block.size();
        }

        @Override
        public GeneratedActivity next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return block.get(position++);
        }
    }

    // --- randomness ------------------------------------------------------------------------

    private SplittableRandom random(long kind, long index) {
        return new SplittableRandom(mix(mix(seed) ^ mix(kind * 0x9E3779B97F4A7C15L + index)));
    }

    /** SplitMix64's finaliser: spreads nearby inputs over the whole long range. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static <T> T pick(SplittableRandom random, List<T> items) {
        return items.get(random.nextInt(items.size()));
    }
}
