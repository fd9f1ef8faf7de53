/**
 * Grading (fit): stores grading profiles and assignment rules, grades prospects with the engine
 * when their fields change and re-grades set-based when a profile changes, explains grades, and
 * derives stars, flames and the fit × interest quadrant for every prospect.
 */
package dev.kindling.grading;
