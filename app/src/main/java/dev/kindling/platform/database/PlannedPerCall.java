package dev.kindling.platform.database;

import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGStatement;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A {@link JdbcClient} whose statements PostgreSQL plans with their parameters' values at every execution. pgJDBC
 * prepares a statement on the server from its fifth execution, and the server's plan cache then keeps a generic plan
 * when its estimate is no worse than the custom plans' — an estimate made without the arrays' lengths or the instants
 * bound. For a read whose best plan depends on those values (which partitions a window reaches, how many prospects an
 * array names) the generic plan can be several times slower than the custom one: the conditions' read of counted
 * activities took 114 ms a call with the generic plan and 16 ms with custom plans, in two quiet runs of one jar, the
 * claimed activities' read 32–102 ms against 4–5 ms (docs/benchmarks.md, "W1: reads planned per call"). Statements run
 * through it are never prepared on the server (pgJDBC's {@code prepareThreshold} 0 for the statement): each is planned
 * at its bind, at the cost of its planning every call. Same data source, so it takes part in the caller's transaction.
 */
public final class PlannedPerCall {

    private PlannedPerCall() {}

    /** A client over {@code dataSource} whose statements are planned at every execution. */
    public static JdbcClient client(DataSource dataSource) {
        return JdbcClient.create(new JdbcTemplate(dataSource) {
            @Override
            protected void applyStatementSettings(Statement statement) throws SQLException {
                super.applyStatementSettings(statement);
                if (statement.isWrapperFor(PGStatement.class)) {
                    statement.unwrap(PGStatement.class).setPrepareThreshold(0);
                }
            }
        });
    }
}
