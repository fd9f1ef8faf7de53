/** What every capability stands on: the database, time, security, errors and the web shell. */
package dev.kindling.platform;
