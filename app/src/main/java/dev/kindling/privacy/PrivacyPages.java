package dev.kindling.privacy;

import dev.kindling.platform.web.ConflictException;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.prospects.ProspectView;
import dev.kindling.prospects.Prospects;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The privacy actions of the prospect page: download the export (ADMIN), record a consent, and erase (ADMIN) after a
 * confirmation page where the admin types the prospect's email.
 */
@Controller
class PrivacyPages {

    private final Prospects prospects;
    private final ProspectExport export;
    private final ProspectErasure erasure;
    private final Consents consents;

    PrivacyPages(Prospects prospects, ProspectExport export, ProspectErasure erasure, Consents consents) {
        this.prospects = prospects;
        this.export = export;
        this.erasure = erasure;
        this.consents = consents;
    }

    @GetMapping("/prospects/{id}/export")
    ResponseEntity<String> export(@PathVariable String id) {
        long prospectId = prospect(id).id();
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_TYPE, "application/json")
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"prospect-" + prospectId + ".json\"")
                .body(export.of(prospectId));
    }

    @GetMapping("/prospects/{id}/erase")
    String confirm(@PathVariable String id, Model model) {
        model.addAttribute("p", prospect(id));
        model.addAttribute("error", null);
        return "privacy/erase";
    }

    @PostMapping("/prospects/{id}/erase")
    String erase(
            @PathVariable String id,
            @RequestParam(defaultValue = "") String confirm,
            Model model,
            HttpServletResponse response) {
        ProspectView p = prospect(id);
        try {
            erasure.erase(p.id(), confirm);
        } catch (InvalidInputException e) {
            response.setStatus(400);
            model.addAttribute("p", p);
            model.addAttribute("error", "Type the prospect's email exactly to confirm.");
            return "privacy/erase";
        } catch (ConflictException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
        }
        return "redirect:/prospects/" + p.id();
    }

    @PostMapping("/prospects/{id}/consents")
    String consent(
            @PathVariable String id,
            @RequestParam(defaultValue = "") String purpose,
            @RequestParam(defaultValue = "") String status,
            @RequestParam(defaultValue = "") String text) {
        ProspectView p = prospect(id);
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("purpose", purpose);
        raw.put("status", status);
        raw.put("text", text);
        ConsentInput in;
        try {
            in = ConsentInput.parse(raw, "ui");
        } catch (InvalidInputException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "The consent is not valid");
        }
        consents.record(p.id(), in.purpose(), in.granted(), in.source(), in.text());
        return "redirect:/prospects/" + p.id();
    }

    private ProspectView prospect(String id) {
        Optional<ProspectView> found;
        try {
            found = prospects.find(Long.parseLong(id));
        } catch (NumberFormatException e) {
            found = Optional.empty();
        }
        return found.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No prospect " + id));
    }
}
