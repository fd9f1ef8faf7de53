package dev.kindling.lists;

import java.time.Instant;

/** One join or leave of a list: who, when, which ({@code JOINED}/{@code LEFT}) and why (condition, manual, import, action, rebuild). */
public record MembershipEvent(
        long id, long listId, long prospectId, String email, Instant at, String change, String reason) {}
