package dev.kindling.reports;

import dev.kindling.platform.database.ReportDatabases;
import java.time.Clock;
import javax.sql.DataSource;

/** The lifecycle report over a test's own database, for tests outside this package. */
public final class LifecycleReports {

    private LifecycleReports() {}

    public static LifecycleFunnel run(DataSource dataSource, Clock clock, LifecycleQuery query) {
        return new LifecycleReport(ReportDatabases.primaryOnly(dataSource, clock), clock).run(query);
    }
}
