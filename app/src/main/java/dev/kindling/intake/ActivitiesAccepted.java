package dev.kindling.intake;

/** Published inside the accepting transaction; the processor wakes once it has committed. */
public record ActivitiesAccepted(int count) {}
