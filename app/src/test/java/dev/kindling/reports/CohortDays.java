package dev.kindling.reports;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Days of June to December of 2001–2019 for the closed-loop tests' cohorts (activities may not be older than 2000;
 * the lifecycle datasets use the 1990s). Each day is handed out once per test run, so two cohorts never
 * share a day and count each other's prospects; the first day is random, so runs against a kept database rarely
 * meet one another's cohorts either.
 */
public final class CohortDays {

    private static final int DAYS_A_YEAR = 210;
    private static final int YEARS = 19;
    private static final AtomicInteger NEXT =
            new AtomicInteger(ThreadLocalRandom.current().nextInt(DAYS_A_YEAR * YEARS));

    private CohortDays() {}

    /** Midnight UTC of a day no other cohort of this run has. */
    public static Instant next() {
        int i = Math.floorMod(NEXT.getAndIncrement(), DAYS_A_YEAR * YEARS);
        return Instant.parse((2001 + i / DAYS_A_YEAR) + "-06-01T00:00:00Z").plus(i % DAYS_A_YEAR, ChronoUnit.DAYS);
    }
}
