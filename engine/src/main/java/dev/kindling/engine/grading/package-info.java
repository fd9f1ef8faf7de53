/**
 * Fit grading: grades F..A+, profiles of weighted criteria on prospect and account fields, the
 * assignment of a profile to a prospect, and the signals derived from grade and score (stars,
 * flames, the fit × interest quadrant). Pure decisions; the app loads facts and stores grades.
 */
package dev.kindling.engine.grading;
