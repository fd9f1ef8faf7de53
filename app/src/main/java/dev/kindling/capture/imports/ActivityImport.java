package dev.kindling.capture.imports;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.identity.EmailAddress;
import dev.kindling.intake.ActivityIntake;
import dev.kindling.intake.NewActivity;
import dev.kindling.intake.SalesActivities;
import dev.kindling.platform.web.InputDates;
import dev.kindling.platform.web.InvalidInputException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Imports historical activities from CSV with their original {@code occurredAt}. Columns
 * externalId, email, type and occurredAt are required; campaignId and customName are optional;
 * any other column becomes a property. Invalid rows are reported and left out; the valid ones are
 * accepted through the intake in batches of 1,000, idempotent by externalId like any batch.
 */
@Component
class ActivityImport {

    static final int BATCH = 1000;
    private static final Set<String> KNOWN =
            Set.of("externalid", "email", "type", "occurredat", "campaignid", "customname");
    private static final List<String> REQUIRED = List.of("externalId", "email", "type", "occurredAt");

    private final ActivityIntake intake;
    private final JdbcClient jdbc;

    ActivityImport(ActivityIntake intake, JdbcClient jdbc) {
        this.intake = intake;
        this.jdbc = jdbc;
    }

    record RowError(int row, String reason) {}

    record Result(int accepted, int duplicates, int skipped, List<RowError> errors) {}

    /** Imports the table; opportunity activities are refused row by row unless {@code salesSystem} may record them. */
    Result run(CsvTable table, boolean salesSystem) {
        Map<String, Integer> columns = new LinkedHashMap<>();
        Map<Integer, String> propertyColumns = new LinkedHashMap<>();
        for (int i = 0; i < table.header().size(); i++) {
            String name = table.header().get(i);
            String key = name.toLowerCase(Locale.ROOT);
            if (KNOWN.contains(key)) {
                columns.putIfAbsent(key, i);
            } else if (!name.isEmpty()) {
                propertyColumns.put(i, name);
            }
        }
        for (String required : REQUIRED) {
            if (!columns.containsKey(required.toLowerCase(Locale.ROOT))) {
                throw InvalidInputException.of("file", "has no " + required + " column");
            }
        }
        Set<Long> campaigns = knownCampaigns(table, columns.get("campaignid"));
        List<RowError> errors = new ArrayList<>();
        List<NewActivity> valid = new ArrayList<>();
        for (CsvTable.Row row : table.rows()) {
            List<String> problems = new ArrayList<>();
            String externalId = row.cell(columns.get("externalid")).strip();
            if (externalId.isEmpty() || externalId.length() > 200 || hasControl(externalId)) {
                problems.add("externalId must be 1 to 200 printable characters");
            }
            EmailAddress email = EmailAddress.parse(row.cell(columns.get("email")));
            if (email == null) {
                problems.add("email is not a valid email address");
            }
            ActivityType type =
                    ActivityType.parse(row.cell(columns.get("type")).strip().toUpperCase(Locale.ROOT));
            if (type == null) {
                problems.add("type is not an activity type");
            } else if (!salesSystem && SalesActivities.TYPES.contains(type)) {
                problems.add(
                        "type " + type + " is recorded only by a sales system (an ADMIN, INSIDE_SALES or SALES key)");
            }
            Instant occurredAt = instant(row.cell(columns.get("occurredat")));
            if (occurredAt == null) {
                problems.add("occurredAt must be an ISO-8601 timestamp with offset (2024-05-01T09:30:00Z)");
            }
            String customName = columns.containsKey("customname")
                    ? row.cell(columns.get("customname")).strip()
                    : "";
            if (type == ActivityType.CUSTOM && customName.isEmpty()) {
                problems.add("customName is required for CUSTOM");
            } else if (customName.length() > 100 || hasControl(customName)) {
                problems.add("customName must be at most 100 printable characters");
            }
            Long campaignId = null;
            String rawCampaign = columns.containsKey("campaignid")
                    ? row.cell(columns.get("campaignid")).strip()
                    : "";
            if (!rawCampaign.isEmpty()) {
                campaignId = number(rawCampaign);
                if (campaignId == null || !campaigns.contains(campaignId)) {
                    problems.add("campaignId names no campaign");
                }
            }
            Map<String, String> properties = new LinkedHashMap<>();
            propertyColumns.forEach((column, name) -> {
                String value = row.cell(column);
                if (!value.isEmpty()) {
                    properties.put(name, value);
                }
            });
            if (properties.values().stream().anyMatch(v -> v.length() > 2000)) {
                problems.add("properties must be at most 2000 characters each");
            }
            if (!problems.isEmpty()) {
                errors.add(new RowError(row.number(), String.join("; ", problems)));
                continue;
            }
            valid.add(new NewActivity(
                    externalId,
                    null,
                    email.value(),
                    null,
                    type,
                    type == ActivityType.CUSTOM ? customName : null,
                    occurredAt,
                    campaignId,
                    properties,
                    false));
        }
        int accepted = 0;
        int duplicates = 0;
        for (int from = 0; from < valid.size(); from += BATCH) {
            ActivityIntake.Accepted result = intake.accept(valid.subList(from, Math.min(valid.size(), from + BATCH)));
            accepted += result.accepted();
            duplicates += result.duplicates();
        }
        return new Result(accepted, duplicates, errors.size(), errors);
    }

    private Set<Long> knownCampaigns(CsvTable table, Integer column) {
        if (column == null) {
            return Set.of();
        }
        Set<Long> ids = new HashSet<>();
        for (CsvTable.Row row : table.rows()) {
            Long id = number(row.cell(column).strip());
            if (id != null) {
                ids.add(id);
            }
        }
        if (ids.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("SELECT id FROM campaign WHERE id = ANY(:ids)")
                .param("ids", ids.toArray(Long[]::new))
                .query(Long.class)
                .list());
    }

    private static Long number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant instant(String raw) {
        try {
            return InputDates.offsetDateTime(raw.strip());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }
}
