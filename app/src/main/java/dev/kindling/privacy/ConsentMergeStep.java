package dev.kindling.privacy;

import dev.kindling.prospects.MergeStep;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** A merge moves the loser's consent records to the survivor; the latest record per purpose still decides. */
@Component
class ConsentMergeStep implements MergeStep {

    private final JdbcClient jdbc;

    ConsentMergeStep(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Set<String> columns() {
        return Set.of("consent.prospect_id");
    }

    @Override
    public void merge(Pair pair) {
        MergeStep.repoint(jdbc, pair, columns());
    }
}
