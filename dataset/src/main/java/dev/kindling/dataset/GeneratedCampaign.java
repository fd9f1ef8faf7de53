package dev.kindling.dataset;

import java.math.BigDecimal;
import java.time.LocalDate;

/** A generated marketing campaign; it runs from {@code startDate} to {@code endDate} inclusive. */
public record GeneratedCampaign(
        String name, CampaignChannel channel, BigDecimal cost, LocalDate startDate, LocalDate endDate) {}
