/**
 * What every capability stands on: the database, time, security, errors and the web shell. An open module: every
 * capability may use all of its packages.
 */
@ApplicationModule(type = ApplicationModule.Type.OPEN)
package dev.kindling.platform;

import org.springframework.modulith.ApplicationModule;
