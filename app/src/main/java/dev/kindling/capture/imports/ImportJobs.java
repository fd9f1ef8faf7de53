package dev.kindling.capture.imports;

import dev.kindling.platform.time.Recurring;
import dev.kindling.platform.web.Csv;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.NotFoundException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * CSV imports started from the Imports page: a durable job row holding the file, its column mapping, dedup mode and
 * campaign. An uploaded job waits for its mapping and dry run; a queued one is claimed by the worker
 * ({@code FOR UPDATE SKIP LOCKED}, with a claim that expires) and written a slice of rows at a time, each slice one
 * transaction that also records its rows' outcomes and advances {@code done_rows}. After a restart the expired claim
 * is taken again and the job goes on from {@code done_rows}: no row is written twice, none is lost.
 */
@Component
class ImportJobs {

    private static final Logger log = LoggerFactory.getLogger(ImportJobs.class);
    static final int SLICE = 500;
    static final Duration CLAIM = Duration.ofMinutes(2);
    private static final TypeReference<LinkedHashMap<String, String>> MAPPING = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final ProspectImport prospectImport;
    private final ActivityImport activityImport;
    private final JsonMapper json;
    private final Clock clock;
    private final Recurring worker;

    ImportJobs(
            JdbcClient jdbc,
            TransactionTemplate tx,
            ProspectImport prospectImport,
            ActivityImport activityImport,
            JsonMapper json,
            Clock clock,
            @Value("${kindling.imports.poll-interval:PT1S}") Duration interval) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.prospectImport = prospectImport;
        this.activityImport = activityImport;
        this.json = json;
        this.clock = clock;
        this.worker = new Recurring("imports", interval, this::runQueued);
    }

    enum Kind {
        PROSPECTS,
        ACTIVITIES
    }

    /** A job as the pages show it. */
    record Job(
            long id,
            Kind kind,
            String filename,
            Map<String, String> mapping,
            ProspectImport.Dedup dedup,
            Long campaignId,
            String status,
            int totalRows,
            int doneRows,
            int created,
            int updated,
            int skipped,
            String error,
            String createdBy,
            Instant createdAt,
            Instant finishedAt) {

        public int percent() {
            return totalRows == 0 ? 100 : (int) Math.floor(100.0 * doneRows / totalRows);
        }

        public boolean waiting() {
            return status.equals("QUEUED") || status.equals("RUNNING");
        }
    }

    /** One row's outcome. */
    record RowOutcome(int row, String status, String email, String reason) {}

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        worker.start();
    }

    @EventListener(ContextClosedEvent.class)
    void stop() throws InterruptedException {
        worker.stop();
    }

    /** Keeps an uploaded file as a job waiting for its mapping; answers 400 for a file that is not a readable CSV. */
    long upload(Kind kind, String filename, byte[] content, boolean salesSystem, String by) {
        CsvTable table = CsvTable.read(content);
        Map<String, String> mapping = kind == Kind.PROSPECTS ? rememberedOrGuessed(table) : Map.of();
        return jdbc.sql("""
                        INSERT INTO import_job (kind, filename, content, mapping, sales_system, status, total_rows,
                                                created_by, created_at)
                        VALUES (:kind, :filename, :content, CAST(:mapping AS jsonb), :sales, 'UPLOADED', :total, :by, :now)
                        RETURNING id""")
                .param("kind", kind.name())
                .param(
                        "filename",
                        filename == null || filename.isBlank()
                                ? "upload.csv"
                                : filename.substring(0, Math.min(filename.length(), 200)))
                .param("content", content)
                .param("mapping", json.writeValueAsString(mapping))
                .param("sales", salesSystem)
                .param("total", table.rows().size())
                .param("by", by)
                .param("now", Timestamp.from(clock.instant()))
                .query(Long.class)
                .single();
    }

    /** The columns of the job's file. */
    List<String> columns(long id) {
        return table(id).header();
    }

    /** The first rows of the file, for the mapping page. */
    List<List<String>> sample(long id, int rows) {
        return table(id).rows().stream().limit(rows).map(CsvTable.Row::cells).toList();
    }

    /** Sets the mapping, dedup mode and campaign of an uploaded job; the mapping is validated as for the API. */
    void configure(long id, Map<String, String> mapping, ProspectImport.Dedup dedup, Long campaignId) {
        Job job = get(id);
        if (!job.status().equals("UPLOADED")) {
            throw new dev.kindling.platform.web.ConflictException("Import " + id + " has started already");
        }
        if (job.kind() == Kind.PROSPECTS) {
            prospectImport.mapping(table(id), mapping);
        }
        jdbc.sql("""
                        UPDATE import_job SET mapping = CAST(:mapping AS jsonb), dedup = :dedup, campaign_id = :campaign
                         WHERE id = :id""")
                .param("mapping", json.writeValueAsString(mapping))
                .param("dedup", dedup.name())
                .param("campaign", campaignId)
                .param("id", id)
                .update();
    }

    /** What the import would do, by row; nothing is written. */
    List<ProspectImport.RowResult> dryRun(long id) {
        Job job = get(id);
        CsvTable table = table(id);
        return prospectImport.dryRun(table, prospectImport.mapping(table, job.mapping()), job.dedup());
    }

    /** Queues an uploaded job for the worker and remembers its mapping for files with the same headers. */
    void queue(long id) {
        Job job = get(id);
        if (!job.status().equals("UPLOADED")) {
            throw new dev.kindling.platform.web.ConflictException("Import " + id + " has started already");
        }
        if (job.kind() == Kind.PROSPECTS) {
            CsvTable table = table(id);
            prospectImport.mapping(table, job.mapping());
            jdbc.sql("""
                            INSERT INTO import_mapping (headers, mapping, updated_at)
                            VALUES (:headers, CAST(:mapping AS jsonb), :now)
                            ON CONFLICT (headers) DO UPDATE SET mapping = EXCLUDED.mapping, updated_at = EXCLUDED.updated_at""")
                    .param("headers", headers(table))
                    .param("mapping", json.writeValueAsString(job.mapping()))
                    .param("now", Timestamp.from(clock.instant()))
                    .update();
        }
        jdbc.sql("UPDATE import_job SET status = 'QUEUED' WHERE id = :id AND status = 'UPLOADED'")
                .param("id", id)
                .update();
        worker.wake();
    }

    Optional<Job> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM import_job WHERE id = :id")
                .param("id", id)
                .query(this::job)
                .optional();
    }

    Job get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("No import " + id));
    }

    List<Job> recent() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM import_job ORDER BY id DESC LIMIT 50")
                .query(this::job)
                .list();
    }

    /** The per-row outcomes as CSV (row, status, email, reason). */
    String resultsCsv(long id) {
        get(id);
        StringBuilder csv = new StringBuilder("row,status,email,reason\r\n");
        jdbc.sql("SELECT row, status, email, reason FROM import_job_row WHERE job_id = :id ORDER BY row")
                .param("id", id)
                .query(rs -> {
                    csv.append(rs.getInt(1))
                            .append(',')
                            .append(Csv.cell(text(rs.getString(2))))
                            .append(',')
                            .append(Csv.cell(text(rs.getString(3))))
                            .append(',')
                            .append(Csv.cell(text(rs.getString(4))))
                            .append("\r\n");
                });
        return csv.toString();
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    /** Claims and runs queued jobs (and jobs whose worker stopped) until none is left. */
    void runQueued() {
        Long id;
        while ((id = claim()) != null) {
            try {
                run(id);
            } catch (RuntimeException e) {
                log.warn("Import {} failed", id, e);
                jdbc.sql("""
                                UPDATE import_job SET status = 'FAILED', error = :error, finished_at = :now,
                                       claimed_until = NULL WHERE id = :id""")
                        .param("error", "the import stopped: " + e.getClass().getSimpleName())
                        .param("now", Timestamp.from(clock.instant()))
                        .param("id", id)
                        .update();
            }
        }
    }

    private Long claim() {
        Instant now = clock.instant();
        return tx.execute(status -> jdbc.sql("""
                        UPDATE import_job SET status = 'RUNNING', claimed_until = :until,
                               started_at = coalesce(started_at, :now)
                         WHERE id = (SELECT id FROM import_job
                                      WHERE status = 'QUEUED' OR (status = 'RUNNING' AND claimed_until < :now)
                                      ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
                        RETURNING id""")
                .param("now", Timestamp.from(now))
                .param("until", Timestamp.from(now.plus(CLAIM)))
                .query(Long.class)
                .optional()
                .orElse(null));
    }

    private void run(long id) {
        Job job = get(id);
        CsvTable table = table(id);
        if (job.kind() == Kind.ACTIVITIES) {
            boolean sales = jdbc.sql("SELECT sales_system FROM import_job WHERE id = :id")
                    .param("id", id)
                    .query(Boolean.class)
                    .single();
            ActivityImport.Result result = activityImport.run(table, sales);
            tx.executeWithoutResult(status -> {
                for (ActivityImport.RowError e : result.errors()) {
                    record(id, new RowOutcome(e.row(), "SKIPPED", null, e.reason()));
                }
                finish(id, table.rows().size(), result.accepted(), result.duplicates(), result.skipped());
            });
            return;
        }
        Map<Integer, String> columns = prospectImport.mapping(table, job.mapping());
        int emailColumn = columns.entrySet().stream()
                .filter(e -> e.getValue().equals("email"))
                .findFirst()
                .orElseThrow()
                .getKey();
        int done = job.doneRows();
        List<CsvTable.Row> rows = table.rows();
        while (done < rows.size()) {
            List<CsvTable.Row> slice = rows.subList(done, Math.min(rows.size(), done + SLICE));
            int next = done + slice.size();
            // the slice's writes are committed chunk by chunk by the import; its outcomes and progress after them —
            // a slice cut off by a restart is written again, and the upserts make that harmless
            List<ProspectImport.RowResult> results = prospectImport.apply(
                    table, slice, columns, job.campaignId(), job.dedup(), "job-" + id + "-" + done);
            Map<Integer, String> emails = slice.stream()
                    .collect(Collectors.toMap(
                            CsvTable.Row::number,
                            r -> r.cell(emailColumn).strip().toLowerCase(Locale.ROOT),
                            (a, b) -> a));
            tx.executeWithoutResult(status -> {
                int created = 0;
                int updated = 0;
                int skipped = 0;
                for (ProspectImport.RowResult r : results) {
                    record(id, new RowOutcome(r.row(), r.status().name(), emails.get(r.row()), r.reason()));
                    switch (r.status()) {
                        case CREATED -> created++;
                        case UPDATED -> updated++;
                        case SKIPPED -> skipped++;
                    }
                }
                jdbc.sql("""
                                UPDATE import_job SET done_rows = :done, created = created + :c, updated = updated + :u,
                                       skipped = skipped + :s, claimed_until = :until WHERE id = :id""")
                        .param("done", next)
                        .param("c", created)
                        .param("u", updated)
                        .param("s", skipped)
                        .param("until", Timestamp.from(clock.instant().plus(CLAIM)))
                        .param("id", id)
                        .update();
            });
            done = next;
        }
        tx.executeWithoutResult(status -> jdbc.sql("""
                        UPDATE import_job SET status = 'DONE', finished_at = :now, claimed_until = NULL WHERE id = :id""")
                .param("now", Timestamp.from(clock.instant()))
                .param("id", id)
                .update());
    }

    private void finish(long id, int total, int created, int updated, int skipped) {
        jdbc.sql("""
                        UPDATE import_job SET status = 'DONE', done_rows = :total, created = :c, updated = :u, skipped = :s,
                               finished_at = :now, claimed_until = NULL WHERE id = :id""")
                .param("total", total)
                .param("c", created)
                .param("u", updated)
                .param("s", skipped)
                .param("now", Timestamp.from(clock.instant()))
                .param("id", id)
                .update();
    }

    private void record(long id, RowOutcome row) {
        jdbc.sql("""
                        INSERT INTO import_job_row (job_id, row, status, email, reason) VALUES (:id, :row, :status, :email, :reason)
                        ON CONFLICT (job_id, row) DO UPDATE SET status = EXCLUDED.status, email = EXCLUDED.email,
                               reason = EXCLUDED.reason""")
                .param("id", id)
                .param("row", row.row())
                .param("status", row.status())
                .param("email", row.email())
                .param("reason", row.reason())
                .update();
    }

    /** The remembered mapping of a file with the same headers, else headers equal to a field name. */
    private Map<String, String> rememberedOrGuessed(CsvTable table) {
        Optional<Map<String, String>> remembered = jdbc.sql(
                        "SELECT mapping::text FROM import_mapping WHERE headers = :h")
                .param("h", headers(table))
                .query(String.class)
                .optional()
                .map(text -> (Map<String, String>) json.readValue(text, MAPPING));
        if (remembered.isPresent()) {
            return remembered.get();
        }
        Map<String, String> guessed = new LinkedHashMap<>();
        try {
            prospectImport
                    .mapping(table, null)
                    .forEach((column, field) -> guessed.put(table.header().get(column), field));
        } catch (InvalidInputException e) {
            // no email column to guess: the person maps it
        }
        return guessed;
    }

    private static String headers(CsvTable table) {
        return table.header().stream()
                .map(h -> h.strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining("\u001f"));
    }

    private CsvTable table(long id) {
        byte[] content = jdbc.sql("SELECT content FROM import_job WHERE id = :id")
                .param("id", id)
                .query(byte[].class)
                .optional()
                .orElseThrow(() -> new NotFoundException("No import " + id));
        return CsvTable.read(content);
    }

    private static final String COLUMNS = """
            id, kind, filename, mapping::text AS mapping, dedup, campaign_id, status, total_rows, done_rows, created,
            updated, skipped, error, created_by, created_at, finished_at""";

    private Job job(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new Job(
                rs.getLong("id"),
                Kind.valueOf(rs.getString("kind")),
                rs.getString("filename"),
                json.readValue(rs.getString("mapping"), MAPPING),
                ProspectImport.Dedup.valueOf(rs.getString("dedup")),
                (Long) rs.getObject("campaign_id"),
                rs.getString("status"),
                rs.getInt("total_rows"),
                rs.getInt("done_rows"),
                rs.getInt("created"),
                rs.getInt("updated"),
                rs.getInt("skipped"),
                rs.getString("error"),
                rs.getString("created_by"),
                rs.getTimestamp("created_at").toInstant(),
                finished == null ? null : finished.toInstant());
    }
}
