package dev.kindling.capture.imports;

import dev.kindling.campaigns.Campaigns;
import dev.kindling.intake.SalesActivities;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.platform.web.JsonValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

@RestController
@RequestMapping(path = "/api/v1/imports", produces = "application/json")
class ImportController {

    private final ProspectImport prospectImport;
    private final ActivityImport activityImport;
    private final Campaigns campaigns;
    private final JsonMapper json;

    ImportController(
            ProspectImport prospectImport, ActivityImport activityImport, Campaigns campaigns, JsonMapper json) {
        this.prospectImport = prospectImport;
        this.activityImport = activityImport;
        this.campaigns = campaigns;
        this.json = json;
    }

    /** Imports prospects; each row's outcome is in the result, so the answer is 200 even when rows were skipped. */
    @PostMapping(path = "/prospects", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ProspectImport.Result prospects(
            @RequestParam("file") MultipartFile file,
            @RequestParam(name = "mapping", required = false) String mapping,
            @RequestParam(name = "campaignId", required = false) Long campaignId) {
        Map<String, String> requested = mapping == null || mapping.isBlank() ? null : mapping(mapping);
        if (campaignId != null && !campaigns.exists(campaignId)) {
            throw InvalidInputException.of("campaignId", "names no campaign");
        }
        CsvTable table = CsvTable.read(bytes(file));
        return prospectImport.run(table, prospectImport.mapping(table, requested), campaignId);
    }

    @PostMapping(path = "/activities", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ActivityImport.Result activities(@RequestParam("file") MultipartFile file, Authentication who) {
        return activityImport.run(CsvTable.read(bytes(file)), SalesActivities.mayRecord(who));
    }

    private Map<String, String> mapping(String text) {
        Map<String, Object> raw;
        try {
            raw = JsonValues.object(json.readTree(text), "mapping");
        } catch (JacksonException e) {
            throw InvalidInputException.of("mapping", "must be a JSON object of CSV column to prospect field");
        }
        Map<String, String> mapping = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            if (!(e.getValue() instanceof String field)) {
                throw InvalidInputException.of("mapping." + e.getKey(), "must be a prospect field name");
            }
            mapping.put(e.getKey(), field);
        }
        return mapping;
    }

    private static byte[] bytes(MultipartFile file) {
        if (file.isEmpty()) {
            throw InvalidInputException.of("file", "is empty");
        }
        try {
            return file.getBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
