package dev.kindling.sales;

import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Sales tasks ({@code sales_task}): something a rep must do about a lead by a due time — the follow-up task every
 * handoff opens (SPEC §9), a task made by an automation rule, completion action or program step ("create sales
 * task", SPEC §7), or one a user adds. Listed on the lead page and, open ones, in their owner's queue; any user who
 * works leads completes them. Everything runs in the caller's transaction and in batch.
 */
@Component
class Tasks {

    static final int MAX_SUBJECT = 200;
    static final int MAX_HOURS = 24 * 365;
    static final int MAX_LISTED = 200;

    /** A task as shown; {@code createdBy} names its origin ({@code handoff:<id>}, {@code rule:<id>}, {@code user:<email>} …). */
    record Task(
            long id,
            long prospectId,
            String prospectEmail,
            String prospectName,
            Long ownerId,
            String ownerName,
            String subject,
            Instant dueAt,
            String status,
            String createdBy,
            Instant createdAt,
            Instant doneAt,
            String doneByName) {

        /** The kind of origin: HANDOFF, RULE, FORM, LINK, PROGRAM or USER. */
        public String origin() {
            int colon = createdBy.indexOf(':');
            return (colon < 0 ? createdBy : createdBy.substring(0, colon)).toUpperCase(java.util.Locale.ROOT);
        }
    }

    /** A task to create. */
    record NewTask(long prospectId, Long ownerId, String subject, Instant dueAt, String createdBy, Long handoffId) {}

    /** A user's request for a task: due at {@code dueAt}; the owner, when not given, is the prospect's (else the user). */
    record Request(String subject, Instant dueAt, Long ownerId) {}

    private final JdbcClient jdbc;
    private final Clock clock;

    Tasks(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Creates the tasks in one statement, dated now. */
    void create(List<NewTask> tasks) {
        if (tasks.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        INSERT INTO sales_task (prospect_id, owner_id, subject, due_at, created_by, handoff_id, created_at)
                        SELECT u.*, :at FROM unnest(CAST(:prospects AS bigint[]), CAST(:owners AS bigint[]),
                                                    CAST(:subjects AS text[]), CAST(:due AS timestamptz[]),
                                                    CAST(:by AS text[]), CAST(:handoffs AS bigint[])) AS u""")
                .param("prospects", tasks.stream().map(NewTask::prospectId).toArray(Long[]::new))
                .param("owners", tasks.stream().map(NewTask::ownerId).toArray(Long[]::new))
                .param("subjects", tasks.stream().map(NewTask::subject).toArray(String[]::new))
                .param("due", tasks.stream().map(t -> Timestamp.from(t.dueAt())).toArray(Timestamp[]::new))
                .param("by", tasks.stream().map(NewTask::createdBy).toArray(String[]::new))
                .param("at", Timestamp.from(clock.instant()))
                .param("handoffs", tasks.stream().map(NewTask::handoffId).toArray(Long[]::new))
                .update();
    }

    /**
     * A task for each of these prospects, owned by {@code ownerId} or (null) by each prospect's owner — none when the
     * prospect has no owner: the task is then on the lead page for whoever picks the lead up.
     */
    void createFor(List<Long> prospectIds, Long ownerId, String subject, Duration dueIn, String createdBy) {
        if (prospectIds.isEmpty()) {
            return;
        }
        Instant due = clock.instant().plus(dueIn);
        List<NewTask> tasks = new ArrayList<>();
        jdbc.sql("SELECT id, owner_id FROM prospect WHERE id = ANY(:ids) ORDER BY id")
                .param("ids", prospectIds.toArray(Long[]::new))
                .query(rs -> {
                    Long owner = ownerId != null ? ownerId : (Long) rs.getObject(2);
                    tasks.add(new NewTask(rs.getLong(1), owner, subject, due, createdBy, null));
                });
        create(tasks);
    }

    /** A user adds a task to a lead; 404 when the prospect does not exist. */
    @Transactional
    Task add(long prospectId, Request request, Rep rep) {
        List<Long> owner = jdbc.sql("SELECT owner_id FROM prospect WHERE id = :id FOR UPDATE")
                .param("id", prospectId)
                .query((rs, n) -> (Long) rs.getObject(1))
                .list();
        if (owner.isEmpty()) {
            throw new NotFoundException("No prospect " + prospectId);
        }
        Long taskOwner = request.ownerId() != null
                ? request.ownerId()
                : owner.getFirst() != null ? owner.getFirst() : Long.valueOf(rep.id());
        long id = jdbc.sql("""
                        INSERT INTO sales_task (prospect_id, owner_id, subject, due_at, created_by, created_at)
                        VALUES (:prospect, :owner, :subject, :due, :by, :at) RETURNING id""")
                .param("prospect", prospectId)
                .param("owner", taskOwner)
                .param("subject", request.subject())
                .param("due", Timestamp.from(request.dueAt()))
                .param("by", "user:" + rep.email())
                .param("at", Timestamp.from(clock.instant()))
                .query(Long.class)
                .single();
        return get(id);
    }

    /** Completes an open task; 404 when there is none, 409 when it is done already. */
    @Transactional
    Task complete(long taskId, Rep rep) {
        boolean open = jdbc.sql("SELECT status = 'OPEN' FROM sales_task WHERE id = :id FOR UPDATE")
                .param("id", taskId)
                .query(Boolean.class)
                .optional()
                .orElseThrow(() -> new NotFoundException("No task " + taskId));
        if (!open) {
            throw new ConflictException("Task " + taskId + " is done already");
        }
        jdbc.sql("UPDATE sales_task SET status = 'DONE', done_at = :at, done_by = :by WHERE id = :id")
                .param("at", Timestamp.from(clock.instant()))
                .param("by", rep.id())
                .param("id", taskId)
                .update();
        return get(taskId);
    }

    /** Completes the open follow-up task of a handoff (its first contact happened). */
    void followedUp(long handoffId, Instant at) {
        jdbc.sql("UPDATE sales_task SET status = 'DONE', done_at = :at WHERE handoff_id = :h AND status = 'OPEN'")
                .param("at", Timestamp.from(at))
                .param("h", handoffId)
                .update();
    }

    Task get(long taskId) {
        return jdbc.sql(SELECT + " WHERE t.id = :id")
                .param("id", taskId)
                .query(Tasks::task)
                .optional()
                .orElseThrow(() -> new NotFoundException("No task " + taskId));
    }

    /** The prospect's tasks: open ones first, by due time, then the done ones, newest first. */
    List<Task> ofProspect(long prospectId) {
        return jdbc.sql(SELECT + """
                         WHERE t.prospect_id = :id
                         ORDER BY t.status = 'DONE', CASE WHEN t.status = 'OPEN' THEN t.due_at END,
                                  t.done_at DESC, t.id DESC
                         LIMIT :limit""")
                .param("id", prospectId)
                .param("limit", MAX_LISTED)
                .query(Tasks::task)
                .list();
    }

    /** A user's open tasks, the earliest due first. */
    List<Task> openOf(long userId) {
        return jdbc.sql(SELECT + " WHERE t.owner_id = :id AND t.status = 'OPEN' ORDER BY t.due_at, t.id LIMIT :limit")
                .param("id", userId)
                .param("limit", MAX_LISTED)
                .query(Tasks::task)
                .list();
    }

    /** {@code {"subject", "dueAt" | "dueInHours", "ownerId"}}: every error listed. */
    Request request(Map<String, Object> raw) {
        List<FieldError> errors = SalesActions.unknown(raw, Set.of("subject", "dueAt", "dueInHours", "ownerId"));
        String subject = raw.get("subject") instanceof String s
                        && !s.isBlank()
                        && s.strip().length() <= MAX_SUBJECT
                ? s.strip()
                : null;
        if (subject == null) {
            errors.add(new FieldError("subject", "is required, at most " + MAX_SUBJECT + " characters"));
        }
        Instant due = null;
        if (raw.get("dueAt") != null && raw.get("dueInHours") != null) {
            errors.add(new FieldError("dueAt", "give dueAt or dueInHours, not both"));
        } else if (raw.get("dueAt") != null) {
            try {
                due = raw.get("dueAt") instanceof String s ? Instant.parse(s.strip()) : null;
            } catch (DateTimeParseException e) {
                due = null;
            }
            if (due == null) {
                errors.add(new FieldError("dueAt", "must be an instant such as 2030-06-30T09:00:00Z"));
            }
        } else {
            Object hours = raw.getOrDefault("dueInHours", 24L);
            if (hours instanceof Long h && h >= 1 && h <= MAX_HOURS) {
                due = clock.instant().plus(Duration.ofHours(h));
            } else {
                errors.add(new FieldError("dueInHours", "must be a whole number of hours from 1 to " + MAX_HOURS));
            }
        }
        Long owner = null;
        if (raw.get("ownerId") != null) {
            owner = raw.get("ownerId") instanceof Long o
                            && jdbc.sql("SELECT count(*) FROM app_user WHERE id = :id AND active")
                                            .param("id", o)
                                            .query(Long.class)
                                            .single()
                                    > 0
                    ? o
                    : null;
            if (owner == null) {
                errors.add(new FieldError("ownerId", "names no active user"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Request(subject, due, owner);
    }

    private static final String SELECT = """
            SELECT t.id, t.prospect_id, p.email,
                   trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')) AS prospect_name,
                   t.owner_id, o.name AS owner_name, t.subject, t.due_at, t.status, t.created_by, t.created_at,
                   t.done_at, d.name AS done_by_name
              FROM sales_task t
              JOIN prospect p ON p.id = t.prospect_id
              LEFT JOIN app_user o ON o.id = t.owner_id
              LEFT JOIN app_user d ON d.id = t.done_by
            """;

    private static Task task(ResultSet rs, int n) throws SQLException {
        String name = rs.getString("prospect_name");
        return new Task(
                rs.getLong("id"),
                rs.getLong("prospect_id"),
                rs.getString("email"),
                name == null || name.isBlank() ? null : name,
                (Long) rs.getObject("owner_id"),
                rs.getString("owner_name"),
                rs.getString("subject"),
                rs.getTimestamp("due_at").toInstant(),
                rs.getString("status"),
                rs.getString("created_by"),
                rs.getTimestamp("created_at").toInstant(),
                Handoffs.instant(rs.getTimestamp("done_at")),
                rs.getString("done_by_name"));
    }
}
