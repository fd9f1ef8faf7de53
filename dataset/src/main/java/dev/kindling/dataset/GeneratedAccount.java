package dev.kindling.dataset;

/**
 * A generated company. The {@code domain} is unique within a dataset and never a free-mail
 * domain; {@code tier} is one of STRATEGIC, ENTERPRISE, MID_MARKET, SMB (by size).
 */
public record GeneratedAccount(
        String name, String domain, String industry, int employees, String country, String tier) {}
