package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every table has exactly one owning module, and only the owner changes it: the SQL in each module's main sources
 * ({@code INSERT INTO}, {@code UPDATE}, {@code DELETE FROM}, {@code MERGE INTO}, {@code COPY}, {@code TRUNCATE}) may
 * name only tables the module owns. Other modules go through the owner's public API or publish an event the owner
 * handles. Reads across modules are not checked here (the reports are the documented read model). The owners are
 * listed in {@code docs/architecture.md}, which this test keeps true.
 */
class TableOwnershipTest {

    /** Each table and the module (top-level package under {@code dev.kindling}) that owns it. */
    static final Map<String, String> OWNERS = owners(Map.ofEntries(
            Map.entry(
                    "platform",
                    List.of(
                            "app_setting",
                            "app_user",
                            "api_key",
                            "security_setting",
                            "sign_in_throttle",
                            "spring_session",
                            "spring_session_attributes",
                            "shedlock")),
            Map.entry("audit", List.of("audit_entry")),
            Map.entry(
                    "prospects",
                    List.of(
                            "prospect",
                            "prospect_due",
                            "account",
                            "custom_field",
                            "prospect_merged",
                            "erased_email",
                            "saved_view")),
            Map.entry(
                    "intake",
                    List.of(
                            "activity",
                            "activity_key",
                            "activity_default",
                            "activity_queue",
                            "visitor",
                            "prospect_action")),
            Map.entry(
                    "capture",
                    List.of(
                            "form",
                            "tracked_link",
                            "tracked_file",
                            "import_job",
                            "import_job_row",
                            "import_mapping",
                            "rate_limit_bucket")),
            Map.entry(
                    "lists", List.of("list", "list_member", "list_membership_event", "list_membership_event_default")),
            Map.entry(
                    "lifecycle",
                    List.of("lifecycle_thresholds", "stage_transition", "stage_transition_default", "stage_reached")),
            Map.entry(
                    "scoring",
                    List.of("scoring_rule", "scoring_settings", "score_ledger", "score_ledger_default", "score_cap")),
            Map.entry(
                    "grading",
                    List.of("grading_profile", "grading_criterion", "grading_assignment_rule", "grade_history")),
            Map.entry("automation", List.of("automation_rule", "automation_match", "automation_rule_prospect")),
            Map.entry("opportunities", List.of("opportunity", "opportunity_contact_role")),
            Map.entry("campaigns", List.of("campaign")),
            Map.entry("people", List.of("team")),
            Map.entry("assignment", List.of("assignment", "assignment_setting", "territory")),
            Map.entry("mail", List.of("mail_outbox")),
            Map.entry("notifications", List.of("webhook_subscription", "webhook_outbox", "webhook_signing_secret")),
            Map.entry("sales", List.of("sales_handoff", "sales_attempt", "sales_task", "sales_settings")),
            Map.entry(
                    "email",
                    List.of(
                            "email_template",
                            "email_send",
                            "email_send_variant",
                            "email_message",
                            "email_bounce",
                            "email_suppression_list")),
            Map.entry(
                    "programs",
                    List.of(
                            "program",
                            "program_version",
                            "program_enrollment",
                            "program_step_entry",
                            "program_step_run")),
            Map.entry("privacy", List.of("consent")),
            Map.entry("reports", List.of("stage_journey")),
            Map.entry(
                    "salesforce",
                    List.of(
                            "salesforce_connection",
                            "salesforce_watermark",
                            "salesforce_account",
                            "salesforce_cycle",
                            "salesforce_error",
                            "salesforce_opportunity",
                            "salesforce_contact_role",
                            "salesforce_campaign",
                            "salesforce_campaign_member",
                            "salesforce_user",
                            "salesforce_delete_check",
                            "salesforce_record",
                            "salesforce_outbox",
                            "salesforce_member_push",
                            "salesforce_campaign_push",
                            "salesforce_field_map",
                            "salesforce_sync_settings")),
            Map.entry("demo", List.of("demo_deal"))));

    /**
     * The one exception: the demo loader seeds a generated sales history (deals, their handoffs, stage moves and
     * assignments) set-based into a new, empty database, the way a migration would; everything the demo configures
     * goes through the public API ({@code DemoSetup}).
     */
    static final Set<String> SEEDING = Set.of("demo/DemoSales.java");

    private static final Path SOURCES = Path.of("src/main/java/dev/kindling");
    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    private static final Path ARCHITECTURE = Path.of("../docs/architecture.md");
    /** String literals and text blocks: the SQL, never the comments around it. */
    private static final Pattern LITERAL =
            Pattern.compile("\"\"\"(.*?)\"\"\"|\"((?:[^\"\\\\\\n]|\\\\.)*)\"", Pattern.DOTALL);

    private static final Pattern WRITE = Pattern.compile(
            "\\b(?:INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|MERGE\\s+INTO|COPY|TRUNCATE(?:\\s+TABLE)?)\\s+(?:ONLY\\s+)?"
                    + "([a-z_][a-z0-9_]*)\\b");
    private static final Pattern CREATE =
            Pattern.compile("(?i)CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?" + "([a-z_][a-z0-9_]*)");

    @Test
    void eachModuleWritesOnlyTheTablesItOwns() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : javaFiles()) {
            String relative = SOURCES.relativize(file).toString().replace('\\', '/');
            if (!relative.contains("/") || SEEDING.contains(relative)) {
                continue; // KindlingApplication itself, or the seeding
            }
            String module = relative.substring(0, relative.indexOf('/'));
            for (String table : writtenTables(Files.readString(file))) {
                String owner = OWNERS.get(table);
                if (owner == null) {
                    violations.add(relative + " writes table " + table + ", which has no owner: add it to "
                            + "TableOwnershipTest.OWNERS and to docs/architecture.md");
                } else if (!owner.equals(module)) {
                    violations.add(relative + " writes table " + table + ", owned by module " + owner
                            + ": change it through " + owner + "'s public API, or publish an event " + owner
                            + " handles");
                }
            }
        }
        assertThat(violations).as("writes to another module's table").isEmpty();
    }

    @Test
    void everyTableOfTheSchemaHasAnOwner() throws IOException {
        Set<String> created = new TreeSet<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                Matcher m = CREATE.matcher(Files.readString(file));
                while (m.find()) {
                    created.add(m.group(1).toLowerCase());
                }
            }
        }
        assertThat(OWNERS.keySet())
                .as("tables created by the migrations that have no owner")
                .containsAll(created);
    }

    @Test
    void theArchitecturePageListsEachTableUnderItsOwner() throws IOException {
        List<String> lines = Files.readAllLines(ARCHITECTURE);
        List<String> missing = new ArrayList<>();
        OWNERS.forEach((table, owner) -> {
            boolean listed = lines.stream()
                    .anyMatch(line -> line.startsWith("| `" + owner + "` |") && line.contains("`" + table + "`"));
            if (!listed) {
                missing.add(table + " (owner " + owner + ")");
            }
        });
        assertThat(missing)
                .as("tables docs/architecture.md does not list in their owner's row")
                .isEmpty();
    }

    @Test
    void theScanFindsWritesInStringsAndTextBlocksButNotInComments() {
        String source = """
                // one UPDATE and one INSERT each: prose, not SQL
                jdbc.sql("UPDATE prospect SET " + set + " WHERE id = :id");
                jdbc.sql(\"""
                        WITH gone AS (DELETE FROM list_member WHERE list_id = :l RETURNING prospect_id)
                        INSERT INTO list_membership_event (list_id) SELECT :l FROM gone
                        ON CONFLICT DO NOTHING\""");
                jdbc.sql("SELECT id FROM activity FOR UPDATE SKIP LOCKED");
                """;
        assertThat(writtenTables(source)).containsExactly("list_member", "list_membership_event", "prospect");
    }

    /** The tables the SQL in this source writes. */
    static Set<String> writtenTables(String source) {
        Set<String> tables = new TreeSet<>();
        Matcher literal = LITERAL.matcher(source);
        while (literal.find()) {
            String sql = literal.group(1) != null ? literal.group(1) : literal.group(2);
            Matcher write = WRITE.matcher(sql);
            while (write.find()) {
                tables.add(write.group(1));
            }
        }
        return tables;
    }

    private static List<Path> javaFiles() {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> owners(Map<String, List<String>> byModule) {
        Map<String, String> owners = new TreeMap<>();
        byModule.forEach((module, tables) -> tables.forEach(table -> {
            String before = owners.put(table, module);
            if (before != null) {
                throw new IllegalStateException(table + " has two owners: " + before + " and " + module);
            }
        }));
        return owners;
    }
}
