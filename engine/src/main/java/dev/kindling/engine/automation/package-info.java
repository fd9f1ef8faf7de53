/**
 * Automation decisions that need no framework: when a prospect that meets a rule's condition is eligible to match
 * it (again).
 */
package dev.kindling.engine.automation;
