package dev.kindling.email;

import dev.kindling.prospects.MergeStep;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A merge moves the loser's marketing messages and bounces to the survivor, so the frequency cap and the send
 * reports count the person once.
 */
@Component
class EmailMergeStep implements MergeStep {

    private final JdbcClient jdbc;

    EmailMergeStep(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Set<String> columns() {
        return Set.of("email_message.prospect_id", "email_bounce.prospect_id");
    }

    @Override
    public void merge(Pair pair) {
        MergeStep.repoint(jdbc, pair, columns());
    }
}
