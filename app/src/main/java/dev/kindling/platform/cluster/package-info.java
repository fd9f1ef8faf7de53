/**
 * What lets several instances share one database (docs/cluster.md): configuration changes announced to every instance
 * through PostgreSQL {@code LISTEN/NOTIFY} ({@link dev.kindling.platform.cluster.ConfigurationChanges}), and the
 * database lock of the jobs that run on one instance at a time ({@link dev.kindling.platform.cluster.Singletons}).
 */
package dev.kindling.platform.cluster;
