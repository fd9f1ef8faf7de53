/**
 * The condition language in the app: the JSON form (parsed and validated into the engine's model),
 * the allow-list of fields conditions may test, and the compiler to a parameterised SQL predicate for
 * set-based work (retroactive rules, list rebuilds, previews). {@code docs/conditions.md} is the reference.
 */
package dev.kindling.conditions;
