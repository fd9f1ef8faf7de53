/**
 * Lifecycle stages in the app: the policy settings and their API, the intake step, stage moves outside intake
 * (capture policies, grade and threshold changes, manual moves), the inactivity job, stage history and the
 * lifecycle settings page.
 */
package dev.kindling.lifecycle;
