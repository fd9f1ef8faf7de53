/**
 * Privacy requests (GDPR/APPI): consent records per prospect and purpose, the export of everything held about a
 * prospect, and erasure (see {@code docs/privacy.md}).
 */
package dev.kindling.privacy;
