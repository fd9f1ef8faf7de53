/**
 * Lists (SPEC §8): static lists (members added by hand, import or action) and dynamic lists (the prospects meeting
 * a condition, kept current on the event path and at time-relative flips, rebuilt set-based after an edit), with
 * membership history. {@code docs/lists.md} is the reference.
 */
package dev.kindling.lists;
