package dev.kindling.engine.attribution;

/**
 * The credit one touch earns: its campaign ({@code null} for the {@code (no touch)} row), the touch (null for
 * {@code PRIMARY_CAMPAIGN} and for no touch), its share of the opportunity (0…1) and its cents.
 */
public record Credit(Long campaignId, Touch touch, double share, long cents) {}
