package dev.kindling.lists;

/**
 * What a set-based rebuild of a dynamic list did.
 *
 * @param joined    prospects that became members
 * @param left      members that no longer match
 * @param millis    how long the rebuild statements took
 * @param scheduled for a time-relative condition, prospects whose answer the clock can still change, whose next
 *                  condition check was brought forward to the condition's next flip where that is earlier (0
 *                  otherwise)
 */
public record ListRebuild(long joined, long left, long millis, long scheduled) {}
