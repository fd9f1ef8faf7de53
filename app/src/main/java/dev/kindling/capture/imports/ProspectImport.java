package dev.kindling.capture.imports;

import dev.kindling.capture.FilledValues;
import dev.kindling.engine.activity.ActivityType;
import dev.kindling.intake.ActivityIntake;
import dev.kindling.intake.NewActivity;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.CustomField;
import dev.kindling.prospects.ProspectChanges;
import dev.kindling.prospects.ProspectField;
import dev.kindling.prospects.ProspectValidator;
import dev.kindling.prospects.Prospects;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports prospects from CSV. Every row is validated first; the valid ones are then written in
 * chunks, each chunk one transaction (prospect upserts plus their LIST_IMPORT activities). Should
 * a chunk fail in the database, its rows are retried one by one, so one bad row costs only itself.
 * Rows are applied in file order, so a later row with the same email updates the earlier one.
 */
@Component
class ProspectImport {

    private static final Logger log = LoggerFactory.getLogger(ProspectImport.class);
    private static final int CHUNK = 500;

    private final Prospects prospects;
    private final ActivityIntake intake;
    private final TransactionTemplate transactions;
    private final Clock clock;

    ProspectImport(Prospects prospects, ActivityIntake intake, TransactionTemplate transactions, Clock clock) {
        this.prospects = prospects;
        this.intake = intake;
        this.transactions = transactions;
        this.clock = clock;
    }

    enum Status {
        CREATED,
        UPDATED,
        SKIPPED
    }

    record RowResult(int row, Status status, Long prospectId, String reason) {}

    record Result(int created, int updated, int skipped, List<RowResult> rows) {}

    private record Valid(CsvTable.Row row, ProspectChanges changes) {}

    /** Column index to field name, from the client's mapping or, without one, from headers equal to a field name. */
    Map<Integer, String> mapping(CsvTable table, Map<String, String> requested) {
        Map<String, CustomField> custom = prospects.customFields();
        Map<Integer, String> columns = new LinkedHashMap<>();
        if (requested == null) {
            for (int i = 0; i < table.header().size(); i++) {
                String field = fieldNamed(table.header().get(i), custom);
                if (field != null && !columns.containsValue(field)) {
                    columns.put(i, field);
                }
            }
        } else {
            List<FieldError> errors = new ArrayList<>();
            for (Map.Entry<String, String> m : requested.entrySet()) {
                int column = table.header().indexOf(m.getKey().strip());
                if (column < 0) {
                    errors.add(new FieldError("mapping." + m.getKey(), "is not a column of the file"));
                } else if (ProspectField.byJson(m.getValue()) == null && !custom.containsKey(m.getValue())) {
                    errors.add(new FieldError("mapping." + m.getKey(), "must name a prospect field or a custom field"));
                } else {
                    columns.put(column, m.getValue());
                }
            }
            if (!errors.isEmpty()) {
                throw new InvalidInputException(errors);
            }
        }
        if (!columns.containsValue(ProspectField.EMAIL.json())) {
            throw InvalidInputException.of("file", "has no email column (map one with mapping)");
        }
        return columns;
    }

    Result run(CsvTable table, Map<Integer, String> columns, Long campaignId) {
        List<RowResult> results = apply(
                table,
                table.rows(),
                columns,
                campaignId,
                Dedup.UPDATE,
                UUID.randomUUID().toString());
        int created =
                (int) results.stream().filter(r -> r.status() == Status.CREATED).count();
        int updated =
                (int) results.stream().filter(r -> r.status() == Status.UPDATED).count();
        return new Result(created, updated, results.size() - created - updated, results);
    }

    /** What to do with a row whose email names a prospect already there. */
    enum Dedup {
        /** Write every mapped value (an empty cell still clears nothing). */
        UPDATE,
        /** Leave the prospect as it is; the row is skipped. */
        SKIP,
        /** Write only the fields the prospect has no value for. */
        FILL_BLANKS
    }

    /** The rows that would be written (with their changes) and those that are invalid (with their reasons). */
    private record Checked(List<Valid> valid, List<RowResult> invalid) {}

    private Checked check(CsvTable table, List<CsvTable.Row> rows, Map<Integer, String> columns) {
        Map<String, CustomField> custom = prospects.customFields();
        List<RowResult> invalid = new ArrayList<>();
        List<Valid> valid = new ArrayList<>();
        for (CsvTable.Row row : rows) {
            Map<String, Object> raw = new LinkedHashMap<>();
            columns.forEach((column, field) -> raw.put(field, row.cell(column)));
            List<FieldError> errors = new ArrayList<>();
            if (row.cells().size() > table.header().size()
                    && row.cells().subList(table.header().size(), row.cells().size()).stream()
                            .anyMatch(c -> !c.isBlank())) {
                errors.add(new FieldError("row", "has more cells than the header"));
            }
            ProspectValidator.Result validated = ProspectValidator.validate(raw, custom, true, "");
            errors.addAll(validated.errors());
            if (errors.isEmpty()) {
                valid.add(new Valid(row, FilledValues.of(validated.changes())));
            } else {
                invalid.add(new RowResult(row.number(), Status.SKIPPED, null, reason(errors)));
            }
        }
        return new Checked(valid, invalid);
    }

    /**
     * What importing these rows would do, without writing anything: each valid row would create a prospect, update
     * one (its email is known, or an earlier row of the file creates it) or be skipped ({@link Dedup#SKIP}).
     */
    List<RowResult> dryRun(CsvTable table, Map<Integer, String> columns, Dedup dedup) {
        Checked checked = check(table, table.rows(), columns);
        List<String> emails =
                checked.valid().stream().map(v -> v.changes().email()).toList();
        java.util.Set<String> known = new java.util.HashSet<>(prospects.knownEmails(emails));
        List<RowResult> results = new ArrayList<>(checked.invalid());
        for (Valid v : checked.valid()) {
            String email = v.changes().email();
            boolean exists = !known.add(email);
            Status status = !exists ? Status.CREATED : dedup == Dedup.SKIP ? Status.SKIPPED : Status.UPDATED;
            results.add(new RowResult(
                    v.row().number(),
                    status,
                    null,
                    status == Status.SKIPPED ? "a prospect with this email exists" : null));
        }
        results.sort(java.util.Comparator.comparingInt(RowResult::row));
        return results;
    }

    /** Validates and writes these rows in chunks of {@value #CHUNK}, one transaction each (see the class comment). */
    List<RowResult> apply(
            CsvTable table,
            List<CsvTable.Row> rows,
            Map<Integer, String> columns,
            Long campaignId,
            Dedup dedup,
            String importId) {
        Checked checked = check(table, rows, columns);
        List<RowResult> results = new ArrayList<>(checked.invalid());
        List<Valid> valid = checked.valid();
        for (int from = 0; from < valid.size(); from += CHUNK) {
            List<Valid> chunk = valid.subList(from, Math.min(valid.size(), from + CHUNK));
            try {
                results.addAll(transactions.execute(tx -> write(chunk, importId, campaignId, dedup)));
            } catch (RuntimeException e) {
                log.warn("An import chunk failed; retrying its rows one by one", e);
                for (Valid one : chunk) {
                    try {
                        results.addAll(transactions.execute(tx -> write(List.of(one), importId, campaignId, dedup)));
                    } catch (RuntimeException rowFailure) {
                        results.add(new RowResult(one.row().number(), Status.SKIPPED, null, "could not be stored"));
                    }
                }
            }
        }
        results.sort(java.util.Comparator.comparingInt(RowResult::row));
        return results;
    }

    private List<RowResult> write(List<Valid> chunk, String importId, Long campaignId, Dedup dedup) {
        Instant now = clock.instant();
        List<RowResult> results = new ArrayList<>(chunk.size());
        List<NewActivity> activities = new ArrayList<>(chunk.size());
        for (Valid v : chunk) {
            ProspectChanges changes = v.changes();
            if (dedup != Dedup.UPDATE) {
                var existing = prospects.findByEmail(changes.email()).orElse(null);
                if (existing != null && dedup == Dedup.SKIP) {
                    results.add(new RowResult(
                            v.row().number(), Status.SKIPPED, existing.id(), "a prospect with this email exists"));
                    continue;
                }
                if (existing != null) {
                    changes = blanksOnly(changes, existing);
                }
            }
            Prospects.Upserted upserted = prospects.upsert(changes, "import");
            results.add(new RowResult(
                    v.row().number(), upserted.created() ? Status.CREATED : Status.UPDATED, upserted.id(), null));
            activities.add(new NewActivity(
                    "import-" + importId + "-" + v.row().number(),
                    upserted.id(),
                    null,
                    null,
                    ActivityType.LIST_IMPORT,
                    null,
                    now,
                    campaignId,
                    Map.of("row", Integer.toString(v.row().number())),
                    false));
        }
        intake.accept(activities);
        return results;
    }

    /** The changes that fill a field the prospect has no value for; the email stays (it finds the prospect). */
    private static ProspectChanges blanksOnly(ProspectChanges changes, dev.kindling.prospects.ProspectView existing) {
        Map<String, Object> current = JSON.convertValue(existing, MAP);
        Map<ProspectField, Object> fields = new java.util.EnumMap<>(ProspectField.class);
        changes.fields().forEach((field, value) -> {
            Object now = current.get(field.json());
            if (field == ProspectField.EMAIL || now == null || now.toString().isBlank()) {
                fields.put(field, value);
            }
        });
        Map<String, Object> custom = new LinkedHashMap<>();
        Map<String, Object> currentCustom = existing.custom() == null ? Map.of() : existing.custom();
        changes.custom().forEach((name, value) -> {
            Object now = currentCustom.get(name);
            if (now == null || now.toString().isBlank()) {
                custom.put(name, value);
            }
        });
        return new ProspectChanges(fields, custom);
    }

    private static final tools.jackson.databind.json.JsonMapper JSON =
            tools.jackson.databind.json.JsonMapper.builder().build();
    private static final tools.jackson.core.type.TypeReference<Map<String, Object>> MAP =
            new tools.jackson.core.type.TypeReference<>() {};

    private static String fieldNamed(String header, Map<String, CustomField> custom) {
        for (ProspectField f : ProspectField.values()) {
            if (f.json().equalsIgnoreCase(header)) {
                return f.json();
            }
        }
        for (String name : custom.keySet()) {
            if (name.equalsIgnoreCase(header)) {
                return name;
            }
        }
        return null;
    }

    static String reason(List<FieldError> errors) {
        return errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; "));
    }
}
