/**
 * The DataSource: an external PostgreSQL when configured, else an embedded one with a persistent data directory; and
 * the database reports read ({@link dev.kindling.platform.database.ReportDatabase}: a streaming replica when one is
 * configured and current enough, else the primary).
 */
package dev.kindling.platform.database;
