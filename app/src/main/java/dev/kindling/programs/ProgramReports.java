package dev.kindling.programs;

import dev.kindling.engine.program.Enrollment;
import dev.kindling.engine.program.ProgramDefinition;
import dev.kindling.engine.program.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Program reports, over all versions of a program by step id: per step how many enrollments entered it, wait on it
 * now (active or paused there), passed it through yes / no / next, and for sends the emails sent, opened, clicked
 * and the unsubscribes they brought; per program the enrollments active, paused, completed and exited. Four grouped
 * queries, whatever the number of enrollments.
 */
@Component
public class ProgramReports {

    /** One step's figures. */
    public record StepReport(
            String stepId,
            String type,
            long entered,
            long waiting,
            long passedYes,
            long passedNo,
            long passedNext,
            long skipped,
            long sent,
            long opened,
            long clicked,
            long unsubscribed) {}

    /** The program's figures and its steps' (in the current version's order, then steps of older versions). */
    public record Report(
            long programId, long active, long paused, long completed, long exited, List<StepReport> steps) {

        /** The report of a step, or null. */
        public StepReport step(String id) {
            return steps.stream().filter(s -> s.stepId().equals(id)).findFirst().orElse(null);
        }
    }

    private final JdbcClient jdbc;
    private final Programs programs;

    ProgramReports(JdbcClient jdbc, Programs programs) {
        this.jdbc = jdbc;
        this.programs = programs;
    }

    public Report report(long programId) {
        ProgramDefinition current = programs.current(programId);
        Map<String, long[]> figures = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (Step step : current.steps()) {
            figures.put(step.id(), new long[10]);
            types.put(step.id(), type(step));
        }
        jdbc.sql("SELECT step_id, count(*) AS n FROM program_step_entry WHERE program_id = :p GROUP BY step_id")
                .param("p", programId)
                .query((rs, i) -> row(figures, rs.getString("step_id"))[0] = rs.getLong("n"))
                .list();
        long[] totals = new long[4];
        jdbc.sql("""
                        SELECT step_id, status, count(*) AS n FROM program_enrollment WHERE program_id = :p
                         GROUP BY step_id, status""")
                .param("p", programId)
                .query((rs, i) -> {
                    Enrollment.Status status = Enrollment.Status.valueOf(rs.getString("status"));
                    long n = rs.getLong("n");
                    switch (status) {
                        case ACTIVE -> totals[0] += n;
                        case PAUSED -> totals[1] += n;
                        case COMPLETED -> totals[2] += n;
                        case EXITED -> totals[3] += n;
                    }
                    if (!status.isFinished()) {
                        row(figures, rs.getString("step_id"))[1] += n;
                    }
                    return n;
                })
                .list();
        jdbc.sql("""
                        SELECT r.step_id,
                               count(*) FILTER (WHERE r.entered) AS entered,
                               count(*) FILTER (WHERE r.passed = 'YES') AS yes,
                               count(*) FILTER (WHERE r.passed = 'NO') AS no,
                               count(*) FILTER (WHERE r.passed = 'NEXT') AS next,
                               count(*) FILTER (WHERE r.outcome LIKE 'SKIPPED:%' OR r.outcome LIKE 'SUPPRESSED%') AS skipped,
                               count(m.id) FILTER (WHERE m.status = 'SENT') AS sent,
                               count(m.opened_at) AS opened, count(m.clicked_at) AS clicked,
                               count(m.unsubscribed_at) AS unsubscribed
                          FROM program_step_run r LEFT JOIN email_message m ON m.id = r.message_id
                         WHERE r.program_id = :p
                         GROUP BY r.step_id""")
                .param("p", programId)
                .query((rs, i) -> {
                    long[] f = row(figures, rs.getString("step_id"));
                    // a step entered and executed in one advance is recorded by its run alone (V767)
                    f[0] += rs.getLong("entered");
                    f[2] = rs.getLong("yes");
                    f[3] = rs.getLong("no");
                    f[4] = rs.getLong("next");
                    f[5] = rs.getLong("skipped");
                    f[6] = rs.getLong("sent");
                    f[7] = rs.getLong("opened");
                    f[8] = rs.getLong("clicked");
                    f[9] = rs.getLong("unsubscribed");
                    return f;
                })
                .list();
        List<StepReport> steps = new ArrayList<>();
        figures.forEach((id, f) -> steps.add(new StepReport(
                id, types.getOrDefault(id, "OLD"), f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9])));
        return new Report(programId, totals[0], totals[1], totals[2], totals[3], steps);
    }

    private static long[] row(Map<String, long[]> figures, String stepId) {
        return figures.computeIfAbsent(stepId, k -> new long[10]);
    }

    static String type(Step step) {
        return switch (step) {
            case Step.ActionStep a -> "ACTION";
            case Step.TriggerStep t -> "TRIGGER";
            case Step.RuleStep r -> "RULE";
            case Step.WaitStep w -> "WAIT";
            case Step.EndStep e -> "END";
        };
    }
}
