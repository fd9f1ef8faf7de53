package dev.kindling.dataset;

/**
 * How much data to generate. {@code S} and {@code M} are the benchmark sizes of BENCHMARKS.md
 * ({@code S} = {@code M} / 10); {@code XS} is for tests and CI, {@code DEMO} fills a demo
 * instance with one year of history.
 *
 * @param prospects   number of prospects
 * @param activities  exact number of activities over the whole period
 * @param accounts    number of accounts (companies)
 * @param campaigns   number of campaigns
 * @param periodDays  length of the period the history covers, ending at the period end
 */
public enum DatasetSize {
    XS(1_000, 20_000L, 200, 12, 365),
    DEMO(3_000, 80_000L, 600, 24, 365),
    S(100_000, 5_000_000L, 20_000, 120, 3 * 365),
    M(1_000_000, 50_000_000L, 200_000, 400, 3 * 365);

    private final int prospects;
    private final long activities;
    private final int accounts;
    private final int campaigns;
    private final int periodDays;

    DatasetSize(int prospects, long activities, int accounts, int campaigns, int periodDays) {
        this.prospects = prospects;
        this.activities = activities;
        this.accounts = accounts;
        this.campaigns = campaigns;
        this.periodDays = periodDays;
    }

    public int prospects() {
        return prospects;
    }

    public long activities() {
        return activities;
    }

    public int accounts() {
        return accounts;
    }

    public int campaigns() {
        return campaigns;
    }

    public int periodDays() {
        return periodDays;
    }
}
