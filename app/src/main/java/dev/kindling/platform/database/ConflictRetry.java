package dev.kindling.platform.database;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a unit of work in a transaction of its own and, when PostgreSQL rolls it back as the loser of a deadlock or a
 * serialization failure with another transaction (Spring's {@link ConcurrencyFailureException}), runs it again from
 * the start, up to {@value #ATTEMPTS} attempts: the whole transaction rolled back, so taking it again is safe. Work
 * that locks many prospect rows (a retroactive rule page, a program sweep batch) can meet the intake or another
 * worker locking some of the same rows in another order; PostgreSQL breaks such a cycle by failing one side.
 */
public final class ConflictRetry {

    /** Attempts before the failure is thrown to the caller. */
    public static final int ATTEMPTS = 3;

    private static final Logger log = LoggerFactory.getLogger(ConflictRetry.class);

    private ConflictRetry() {}

    /** {@code work} in a transaction of {@code tx}, taken again after a concurrency failure; its answer. */
    public static <T> T inTransaction(TransactionTemplate tx, String what, Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.execute(status -> work.get());
            } catch (ConcurrencyFailureException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                log.info("{} rolled back by a conflict with another transaction ({}); retrying", what, e.getMessage());
            }
        }
    }
}
