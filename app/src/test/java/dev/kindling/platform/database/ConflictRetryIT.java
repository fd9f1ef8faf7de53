package dev.kindling.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link ConflictRetry} against a real deadlock: two transactions lock two prospect rows in opposite orders, PostgreSQL
 * fails the one whose deadlock check runs first (the retried work, whose {@code deadlock_timeout} is the shorter), and
 * the work is taken again from the start and commits; the other transaction commits too.
 */
@IntegrationTest
class ConflictRetryIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    private long prospect(String run, String name) {
        TestApi api = new TestApi(port);
        return api.post("/api/v1/prospects", "{\"email\":\"" + name + "-" + run + "@example.com\"}")
                .json()
                .path("id")
                .asLong();
    }

    private String phone(long id) {
        return jdbc.sql("SELECT coalesce(phone, '(none)') FROM prospect WHERE id = :id")
                .param("id", id)
                .query(String.class)
                .single();
    }

    @Test
    void theLoserOfADeadlockIsTakenAgainAndCommits() throws Exception {
        String run = UUID.randomUUID().toString();
        long a = prospect(run, "retry-a");
        long b = prospect(run, "retry-b");
        TransactionTemplate tx = new TransactionTemplate(transactions);
        CountDownLatch aLocked = new CountDownLatch(1);
        CountDownLatch bLocked = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();

        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> tx.executeWithoutResult(status -> {
            jdbc.sql("SET LOCAL deadlock_timeout = '30s'").update(); // never the one to detect the cycle
            await(aLocked);
            jdbc.sql("UPDATE prospect SET phone = 'other' WHERE id = :id")
                    .param("id", b)
                    .update();
            bLocked.countDown();
            jdbc.sql("UPDATE prospect SET phone = 'other' WHERE id = :id")
                    .param("id", a)
                    .update(); // waits for a
        }));

        String answer = ConflictRetry.inTransaction(tx, "test work", () -> {
            int attempt = attempts.incrementAndGet();
            if (attempt > 1) {
                // the retry starts once the other transaction, free to take a when the first attempt rolled back, has
                // committed: on a loaded machine its backend was scheduled after this retry had already updated a, and
                // the retry deadlocked again (done in attempt 3)
                other.join();
            }
            jdbc.sql("SET LOCAL deadlock_timeout = '200ms'").update();
            jdbc.sql("UPDATE prospect SET phone = :c WHERE id = :id")
                    .param("c", "work " + attempt)
                    .param("id", a)
                    .update();
            if (attempt == 1) {
                aLocked.countDown();
                await(bLocked);
            }
            // the first attempt closes the cycle (b is the other's, which waits for a): PostgreSQL fails this one
            jdbc.sql("UPDATE prospect SET phone = :c WHERE id = :id")
                    .param("c", "work " + attempt)
                    .param("id", b)
                    .update();
            return "done in attempt " + attempt;
        });
        other.get(30, TimeUnit.SECONDS);

        assertThat(answer).isEqualTo("done in attempt 2");
        assertThat(attempts).hasValue(2);
        // the second attempt ran after the other transaction had committed (it waited for a), then wrote both
        assertThat(phone(a)).isEqualTo("work 2");
        assertThat(phone(b)).isEqualTo("work 2");
    }

    @Test
    void aConflictThatKeepsRecurringIsThrownAfterTheLastAttemptWithNothingKept() {
        String run = UUID.randomUUID().toString();
        long a = prospect(run, "retry-c");
        TransactionTemplate tx = new TransactionTemplate(transactions);
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> ConflictRetry.inTransaction(tx, "test work", () -> {
                    jdbc.sql("UPDATE prospect SET phone = 'kept?' WHERE id = :id")
                            .param("id", a)
                            .update();
                    attempts.incrementAndGet();
                    throw new CannotAcquireLockException("simulated lock failure");
                }))
                .isInstanceOf(ConcurrencyFailureException.class);
        assertThat(attempts).hasValue(ConflictRetry.ATTEMPTS);
        assertThat(phone(a)).isEqualTo("(none)");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other transaction did not get there");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
