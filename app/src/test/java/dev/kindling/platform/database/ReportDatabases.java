package dev.kindling.platform.database;

import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** The report database of a test's own database (no replica), for tests outside this package. */
public final class ReportDatabases {

    private ReportDatabases() {}

    public static ReportDatabase primaryOnly(DataSource dataSource, Clock clock) {
        return ReportDatabase.primaryOnly(dataSource, new DataSourceTransactionManager(dataSource), clock);
    }
}
