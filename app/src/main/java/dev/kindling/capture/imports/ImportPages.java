package dev.kindling.capture.imports;

import dev.kindling.campaigns.Campaigns;
import dev.kindling.intake.SalesActivities;
import dev.kindling.platform.security.Role;
import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.Csv;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.FieldMessages;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.ProspectField;
import dev.kindling.prospects.Prospects;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ContentDisposition;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/**
 * The import pages: {@code /imports} (recent imports; upload a CSV of prospects or of historical activities), an
 * import's page (the columns detected with a sample, the mapping to fields — remembered by header —, dedup mode and
 * campaign, a dry run, then the background import with its progress bar) and its per-row results as CSV. Writes for
 * ADMIN and MARKETING.
 */
@Controller
class ImportPages {

    static final int DRY_RUN_ROWS = 50;

    private final ImportJobs jobs;
    private final Prospects prospects;
    private final Campaigns campaigns;

    ImportPages(ImportJobs jobs, Prospects prospects, Campaigns campaigns) {
        this.jobs = jobs;
        this.prospects = prospects;
        this.campaigns = campaigns;
    }

    /** A dry run's counts and its first rows. */
    record DryRun(long created, long updated, long skipped, List<ProspectImport.RowResult> rows) {}

    @GetMapping("/imports")
    String index(Model model, Authentication user) {
        return index(model, user, List.of());
    }

    private String index(Model model, Authentication user, List<FieldError> errors) {
        model.addAttribute("jobs", jobs.recent());
        model.addAttribute("errors", FieldMessages.of(errors));
        model.addAttribute("mayWrite", Role.any(user, Role.ADMIN, Role.MARKETING));
        return "imports/index";
    }

    @PostMapping("/imports/upload")
    String upload(
            @RequestParam(required = false) MultipartFile file,
            @RequestParam(defaultValue = "PROSPECTS") String kind,
            Model model,
            Authentication user,
            HttpServletResponse response) {
        try {
            if (file == null || file.isEmpty()) {
                throw InvalidInputException.of("file", "choose a CSV file to upload");
            }
            ImportJobs.Kind k = Arrays.stream(ImportJobs.Kind.values())
                    .filter(v -> v.name().equals(kind))
                    .findFirst()
                    .orElseThrow(() -> InvalidInputException.of("kind", "must be PROSPECTS or ACTIVITIES"));
            long id = jobs.upload(
                    k, file.getOriginalFilename(), file.getBytes(), SalesActivities.mayRecord(user), user.getName());
            return "redirect:/imports/" + id;
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return index(model, user, e.errors());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GetMapping("/imports/{id}")
    String page(@PathVariable long id, Model model, Authentication user, HttpServletResponse response) {
        ImportJobs.Job job = jobs.find(id).orElse(null);
        if (job == null) {
            response.setStatus(404);
            return "not-found";
        }
        return page(model, user, job, job.mapping(), null, List.of());
    }

    @PostMapping("/imports/{id}/dry-run")
    String dryRun(
            @PathVariable long id,
            @RequestParam(name = "map", required = false) List<String> map,
            @RequestParam(defaultValue = "UPDATE") String dedup,
            @RequestParam(defaultValue = "") String campaignId,
            Model model,
            Authentication user,
            HttpServletResponse response) {
        ImportJobs.Job job = jobs.get(id);
        Map<String, String> mapping = mapping(id, map);
        try {
            jobs.configure(id, mapping, dedup(dedup), campaign(campaignId));
            List<ProspectImport.RowResult> rows = jobs.dryRun(id);
            DryRun dry = new DryRun(
                    count(rows, ProspectImport.Status.CREATED),
                    count(rows, ProspectImport.Status.UPDATED),
                    count(rows, ProspectImport.Status.SKIPPED),
                    rows.stream().limit(DRY_RUN_ROWS).toList());
            return page(model, user, jobs.get(id), mapping, dry, List.of());
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return page(model, user, job, mapping, null, e.errors());
        } catch (ConflictException e) {
            response.setStatus(409);
            return page(model, user, job, mapping, null, List.of(new FieldError("", e.getMessage())));
        }
    }

    @PostMapping("/imports/{id}/start")
    String start(
            @PathVariable long id,
            @RequestParam(name = "map", required = false) List<String> map,
            @RequestParam(defaultValue = "UPDATE") String dedup,
            @RequestParam(defaultValue = "") String campaignId,
            Model model,
            Authentication user,
            HttpServletResponse response) {
        ImportJobs.Job job = jobs.get(id);
        Map<String, String> mapping = job.kind() == ImportJobs.Kind.PROSPECTS ? mapping(id, map) : Map.of();
        try {
            jobs.configure(id, mapping, dedup(dedup), campaign(campaignId));
            jobs.queue(id);
            return "redirect:/imports/" + id;
        } catch (InvalidInputException e) {
            response.setStatus(400);
            return page(model, user, job, mapping, null, e.errors());
        } catch (ConflictException e) {
            response.setStatus(409);
            return page(model, user, job, mapping, null, List.of(new FieldError("", e.getMessage())));
        }
    }

    /** The progress bar alone, polled by htmx while the import runs. */
    @GetMapping("/imports/{id}/progress")
    String progress(@PathVariable long id, Model model) {
        model.addAttribute("job", jobs.get(id));
        return "imports/page :: progress";
    }

    @GetMapping("/imports/{id}/results.csv")
    ResponseEntity<String> results(@PathVariable long id) {
        return ResponseEntity.ok()
                .contentType(Csv.MEDIA_TYPE)
                .header(
                        "Content-Disposition",
                        ContentDisposition.attachment()
                                .filename("import-" + id + "-results.csv")
                                .build()
                                .toString())
                .body(jobs.resultsCsv(id));
    }

    private String page(
            Model model,
            Authentication user,
            ImportJobs.Job job,
            Map<String, String> mapping,
            DryRun dry,
            List<FieldError> errors) {
        model.addAttribute("job", job);
        model.addAttribute("mapping", mapping);
        model.addAttribute("dry", dry);
        model.addAttribute("errors", FieldMessages.of(errors));
        model.addAttribute("mayWrite", Role.any(user, Role.ADMIN, Role.MARKETING));
        if (job.status().equals("UPLOADED")) {
            model.addAttribute("columns", jobs.columns(job.id()));
            model.addAttribute("sample", jobs.sample(job.id(), 3));
            model.addAttribute("targets", targets());
            model.addAttribute("campaigns", campaigns.list());
            model.addAttribute("dedups", ProspectImport.Dedup.values());
        }
        return "imports/page";
    }

    private Map<String, String> mapping(long id, List<String> map) {
        List<String> columns = jobs.columns(id);
        Map<String, String> mapping = new LinkedHashMap<>();
        for (int i = 0; map != null && i < Math.min(map.size(), columns.size()); i++) {
            if (!map.get(i).isBlank()) {
                mapping.put(columns.get(i), map.get(i));
            }
        }
        return mapping;
    }

    private Long campaign(String campaignId) {
        if (campaignId.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(campaignId.strip());
            if (campaigns.exists(id)) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw InvalidInputException.of("campaignId", "names no campaign");
    }

    private static ProspectImport.Dedup dedup(String dedup) {
        return Arrays.stream(ProspectImport.Dedup.values())
                .filter(d -> d.name().equals(dedup))
                .findFirst()
                .orElseThrow(() -> InvalidInputException.of("dedup", "must be UPDATE, SKIP or FILL_BLANKS"));
    }

    private static long count(List<ProspectImport.RowResult> rows, ProspectImport.Status status) {
        return rows.stream().filter(r -> r.status() == status).count();
    }

    /** The fields a column may fill: "(skip)", the standard fields, then the custom fields. */
    private Map<String, String> targets() {
        Map<String, String> targets = new LinkedHashMap<>();
        targets.put("", "(do not import)");
        Arrays.stream(ProspectField.values()).forEach(f -> targets.put(f.json(), f.json()));
        prospects.customFields().values().forEach(c -> targets.put(c.name(), c.label() + " (custom)"));
        return targets;
    }
}
