package dev.kindling.mail;

import dev.kindling.prospects.MergeStep;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** A merge moves the mail sent (or waiting to be sent) to the loser to the survivor. */
@Component
class MailMergeStep implements MergeStep {

    private final JdbcClient jdbc;

    MailMergeStep(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Set<String> columns() {
        return Set.of("mail_outbox.prospect_id");
    }

    @Override
    public void merge(Pair pair) {
        MergeStep.repoint(jdbc, pair, columns());
    }
}
