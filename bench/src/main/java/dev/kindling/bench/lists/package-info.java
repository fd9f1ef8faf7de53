/**
 * Workload W4, dynamic lists: a full set-based rebuild of one list created and then edited through the API, next to
 * a hand-written {@code INSERT … SELECT} of the same membership, and the latency from one accepted activity to the
 * membership it causes being visible.
 */
package dev.kindling.bench.lists;
