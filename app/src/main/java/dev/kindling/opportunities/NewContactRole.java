package dev.kindling.opportunities;

/** A prospect to put on an opportunity, in a role; at most one contact of an opportunity is primary. */
public record NewContactRole(long prospectId, ContactRole role, boolean primary) {}
