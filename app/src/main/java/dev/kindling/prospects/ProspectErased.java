package dev.kindling.prospects;

/**
 * A prospect was erased at their request (docs/privacy.md), published inside the erasing transaction after the
 * prospect row was anonymised. Each capability that keeps personal data about prospects listens (a synchronous
 * {@code @EventListener}) and removes it from its own tables in that same transaction.
 */
public record ProspectErased(long prospectId) {}
