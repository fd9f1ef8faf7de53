/** The DataSource: an external PostgreSQL when configured, else an embedded one with a persistent data directory. */
package dev.kindling.platform.database;
