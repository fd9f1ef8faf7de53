package dev.kindling.email;

import dev.kindling.platform.time.Recurring;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Finishes subject A/B tests whose time is up: reads only the tests due by the injected clock (an index on the due
 * time), picks each winner and sends it to the rest of the list. Runs every {@code kindling.email.ab-interval}
 * (30 s; 0 never starts the loop, tests call {@link #runDue()}).
 */
@Component
class AbWinnerJob {

    private final EmailSends sends;
    private final Recurring recurring;

    AbWinnerJob(EmailSends sends, @Value("${kindling.email.ab-interval:30s}") Duration interval) {
        this.sends = sends;
        this.recurring = new Recurring("email-ab-winners", interval, this::runDue);
    }

    /** Finishes every due test; returns how many. */
    int runDue() {
        int finished = 0;
        for (long id : sends.dueTests(100)) {
            if (sends.finishTest(id)) {
                finished++;
            }
        }
        return finished;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        recurring.start();
    }

    @jakarta.annotation.PreDestroy
    void stop() throws InterruptedException {
        recurring.stop();
    }
}
