package dev.kindling.opportunities;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * A PATCH of an opportunity: only what is given changes. Status changes only through won / lost.
 *
 * @param name             a new name, or null to keep it
 * @param amount           a new amount (≥ 0), or null to keep it
 * @param stage            a new stage label, or null to keep it
 * @param closeDate        the new close date (null with {@code closeDateGiven} clears it)
 * @param closeDateGiven   whether the close date changes
 * @param probability      the new probability (null with {@code probabilityGiven} clears it)
 * @param probabilityGiven whether the probability changes
 */
public record OpportunityChanges(
        String name,
        BigDecimal amount,
        String stage,
        LocalDate closeDate,
        boolean closeDateGiven,
        Integer probability,
        boolean probabilityGiven) {}
