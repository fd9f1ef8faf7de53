/**
 * Automation decisions that need no framework: the one action model of rules, completion actions and program steps
 * ({@link dev.kindling.engine.automation.Action}), and when a prospect that meets a rule's condition is eligible to
 * match it (again).
 */
package dev.kindling.engine.automation;
